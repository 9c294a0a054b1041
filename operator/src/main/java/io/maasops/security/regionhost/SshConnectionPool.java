package io.maasops.security.regionhost;

import io.maasops.security.util.Digests;
import io.maasops.security.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH client for the whole operator and one authenticated session per controller (host, port, user and
 * credentials), reused across reconciles and closed after {@code idleTimeout} without use. Sessions that the
 * server dropped are replaced on the next {@link #acquire}.
 */
public final class SshConnectionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnectionPool.class);

    private final SshClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Map<String, Pooled> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    /**
     * Parsed private keys by a digest of their PEM: parsing one is a few ms of CPU, and every region of a
     * deployment usually shares one key (3 % of the operator's CPU at 1000 regions). Bounded, so keys of
     * deleted Secrets do not pile up.
     */
    private final Map<String, List<KeyPair>> identities = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<KeyPair>> eldest) {
            return size() > MAX_CACHED_IDENTITIES;
        }
    };

    static final int MAX_CACHED_IDENTITIES = 16;

    private static final class Pooled {
        final ClientSession session;
        volatile long lastUsedNanos = System.nanoTime();
        int inUse;

        Pooled(ClientSession session) {
            this.session = session;
        }
    }

    public SshConnectionPool(Duration connectTimeout, Duration idleTimeout) {
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.client = SshClient.setUpDefaultClient();
        // Nothing from the operator's own home directory: no ~/.ssh/config, no ~/.ssh/id_*, no ~/.ssh/known_hosts.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        KnownHostsVerifier verifier = new KnownHostsVerifier(java.time.Clock.systemUTC());
        client.setServerKeyVerifier(verifier);
        client.addSessionListener(verifier); // orders host key algorithms per host, as ssh does
        client.setKeyExchangeFactories(SshKeyExchanges.factories());
        client.setCipherFactories(SshAlgorithms.ciphers());
        client.setMacFactories(SshAlgorithms.macs());
        client.setSignatureFactories(SshAlgorithms.signatures());
        // each command is a handful of small request/reply packets: without TCP_NODELAY, Nagle's
        // algorithm and the peer's delayed ACK hold some of them back (tens of ms per command)
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        long period = Math.max(100, idleTimeout.toMillis() / 2);
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssh-pool-idle-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** A session lent out by {@link #acquire}; give it back with {@link #release}. */
    public record Lease(String key, ClientSession session, boolean reused) {}

    /** Returns an authenticated session to {@code target}, opening one when none is open. */
    public Lease acquire(SshTarget target, SshCredentials credentials) {
        String key = poolKey(target, credentials);
        synchronized (this) {
            Pooled p = sessions.get(key);
            if (p != null && p.session.isOpen() && p.session.isAuthenticated()) {
                p.inUse++;
                p.lastUsedNanos = System.nanoTime();
                return new Lease(key, p.session, true);
            }
            if (p != null) {
                sessions.remove(key);
                closeQuietly(p.session);
            }
        }
        ClientSession fresh = open(target, credentials);
        synchronized (this) {
            Pooled existing = sessions.get(key);
            if (existing != null && existing.session.isOpen()) {
                // Another thread won the race; use its session and drop ours.
                closeQuietly(fresh);
                existing.inUse++;
                existing.lastUsedNanos = System.nanoTime();
                return new Lease(key, existing.session, true);
            }
            Pooled p = new Pooled(fresh);
            p.inUse = 1;
            sessions.put(key, p);
            return new Lease(key, fresh, false);
        }
    }

    public synchronized void release(Lease lease) {
        Pooled p = sessions.get(lease.key());
        if (p != null && p.session == lease.session()) {
            p.inUse = Math.max(0, p.inUse - 1);
            p.lastUsedNanos = System.nanoTime();
        }
    }

    /** Closes a session that misbehaved (e.g. after a timeout) so the next call reconnects. */
    public synchronized void discard(Lease lease) {
        Pooled p = sessions.get(lease.key());
        if (p != null && p.session == lease.session()) {
            sessions.remove(lease.key());
        }
        closeQuietly(lease.session());
    }

    /** Number of open pooled sessions (for tests and metrics). */
    public synchronized int openSessions() {
        return (int) sessions.values().stream().filter(p -> p.session.isOpen()).count();
    }

    void closeIdle() {
        List<ClientSession> toClose = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            sessions.entrySet().removeIf(e -> {
                Pooled p = e.getValue();
                boolean idle = p.inUse == 0 && now - p.lastUsedNanos >= idleTimeout.toNanos();
                if (idle || !p.session.isOpen()) {
                    toClose.add(p.session);
                    return true;
                }
                return false;
            });
        }
        toClose.forEach(SshConnectionPool::closeQuietly);
    }

    private ClientSession open(SshTarget target, SshCredentials credentials) {
        List<KeyPair> identities = loadIdentities(credentials.privateKeyPem());
        KnownHostsVerifier.Expectation expectation = new KnownHostsVerifier.Expectation(
                target.host(), target.port(), KnownHostsVerifier.parse(credentials.knownHosts()));
        ClientSession session = null;
        try {
            session = client.connect(
                            target.user(),
                            target.host(),
                            target.port(),
                            AttributeRepository.ofKeyValuePair(KnownHostsVerifier.EXPECTATION, expectation),
                            null)
                    .verify(connectTimeout)
                    .getSession();
            for (KeyPair kp : identities) {
                session.addPublicKeyIdentity(kp);
            }
            session.auth().verify(connectTimeout);
            LOG.debug("SSH session opened to {}", target.describe());
            return session;
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                closeQuietly(session);
            }
            throw classify(target, expectation, e);
        }
    }

    private static RegionAccessException classify(SshTarget target, KnownHostsVerifier.Expectation exp, Exception e) {
        String where = target.describe();
        if (exp.rejection != null) {
            return new RegionAccessException(
                    RegionAccessException.Kind.HOST_KEY_REJECTED, where + ": " + exp.rejection);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                return new RegionAccessException(
                        RegionAccessException.Kind.UNREACHABLE,
                        where + ": cannot connect (" + t.getClass().getSimpleName() + ")",
                        e);
            }
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No more authentication methods") || msg.toLowerCase().contains("auth")) {
            return new RegionAccessException(
                    RegionAccessException.Kind.AUTH_FAILED, where + ": the server did not accept the SSH key", e);
        }
        if (msg.toLowerCase().contains("timeout") || msg.toLowerCase().contains("timed out")) {
            return new RegionAccessException(
                    RegionAccessException.Kind.UNREACHABLE, where + ": connection timed out", e);
        }
        return new RegionAccessException(
                RegionAccessException.Kind.TRANSPORT_ERROR,
                where + ": SSH connection failed (" + e.getClass().getSimpleName() + ")",
                e);
    }

    private List<KeyPair> loadIdentities(Secret privateKey) {
        String digest = Digests.sha256Hex(privateKey.reveal());
        synchronized (identities) {
            List<KeyPair> cached = identities.get(digest);
            if (cached != null) {
                return cached;
            }
        }
        List<KeyPair> parsed = parseIdentities(privateKey);
        synchronized (identities) {
            identities.put(digest, parsed);
        }
        return parsed;
    }

    /** Number of parsed private keys held (for tests). */
    int cachedIdentities() {
        synchronized (identities) {
            return identities.size();
        }
    }

    private static List<KeyPair> parseIdentities(Secret privateKey) {
        List<KeyPair> out = new ArrayList<>();
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("ssh-private-key"),
                    new ByteArrayInputStream(privateKey.reveal().getBytes(StandardCharsets.UTF_8)),
                    null);
            if (pairs != null) {
                pairs.forEach(out::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Never include the exception message: parsers may quote the key material.
            throw new RegionAccessException(
                    RegionAccessException.Kind.INVALID_CREDENTIALS,
                    "the SSH private key could not be read (" + e.getClass().getSimpleName()
                            + "); expected an unencrypted OpenSSH or PEM private key");
        }
        if (out.isEmpty()) {
            throw new RegionAccessException(
                    RegionAccessException.Kind.INVALID_CREDENTIALS, "the SSH private key Secret holds no private key");
        }
        return List.copyOf(out);
    }

    /** Key by controller and by a digest of the credentials, so a rotated key or known_hosts opens a new session. */
    private static String poolKey(SshTarget target, SshCredentials credentials) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(credentials.privateKeyPem().reveal().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(credentials.knownHosts().getBytes(StandardCharsets.UTF_8));
            return target.user() + "@" + target.host() + ":" + target.port() + "#"
                    + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(ClientSession s) {
        try {
            s.close(true);
        } catch (RuntimeException ignored) {
            // closing a broken session can fail; nothing more to do
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        synchronized (this) {
            sessions.values().forEach(p -> closeQuietly(p.session));
            sessions.clear();
        }
        client.stop();
    }
}
