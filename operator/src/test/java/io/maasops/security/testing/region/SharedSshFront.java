package io.maasops.security.testing.region;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.Command;

/**
 * One SSH server on 127.0.0.1 in front of many simulated region hosts, for scale runs: a dedicated
 * MINA server per host costs about five threads each (1000 hosts: 5000 threads in the benchmark's
 * JVM, which then measures the doubles instead of the operator). The login name picks the host
 * ({@link RegionHostDouble#sshUser()} is its hostname), so every region still has its own files,
 * authorised keys and command log; all share this server's port and host key.
 *
 * <p>What a shared host cannot do: go down on its own ({@link RegionHostDouble#stop()} only refuses
 * new logins for it) or change its host key. Fault tests use dedicated hosts.
 */
public final class SharedSshFront implements AutoCloseable {

    private final KeyPair hostKey = KeyMaterial.generateEd25519();
    private final Map<String, RegionHostDouble> hosts = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService commands = RegionHostDouble.newCommandPool();
    private final SshServer server;
    private final int port;

    public SharedSshFront() {
        server = RegionHostDouble.startSshServer(
                0,
                () -> hostKey,
                () -> null,
                (user, key, session) -> {
                    RegionHostDouble h = hosts.get(user);
                    return h != null && h.isAuthorized(key);
                },
                (channel, line) -> {
                    RegionHostDouble h = hosts.get(channel.getSession().getUsername());
                    if (h == null) {
                        throw new IOException("no region host behind user "
                                + channel.getSession().getUsername());
                    }
                    return (Command) h.newCommand(line);
                },
                "the shared SSH front");
        port = ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
    }

    void register(RegionHostDouble host) {
        hosts.put(host.sshUser(), host);
    }

    void unregister(RegionHostDouble host) {
        hosts.remove(host.sshUser(), host);
    }

    java.util.concurrent.ExecutorService commands() {
        return commands;
    }

    public int port() {
        return port;
    }

    public PublicKey hostPublicKey() {
        return hostKey.getPublic();
    }

    @Override
    public void close() {
        commands.shutdownNow();
        try {
            server.stop(true);
        } catch (IOException ignored) {
            // already down
        }
    }
}
