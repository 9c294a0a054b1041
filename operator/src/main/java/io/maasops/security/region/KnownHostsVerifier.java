package io.maasops.security.region;

import java.io.IOException;
import java.io.StringReader;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Checks a server's host key against the known_hosts text given for that connection (from a Kubernetes
 * Secret, never ~/.ssh). A host without an entry, or whose key differs from every entry for it, is refused;
 * the reason is kept on the connection so the caller can report it. {@code @revoked} entries always refuse.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {
    /** Per-connection expectations, passed as the connection context of {@code SshClient.connect}. */
    static final AttributeKey<Expectation> EXPECTATION = new AttributeKey<>();

    /** What this connection expects, and why it was refused (if it was). */
    static final class Expectation {
        final String host;
        final int port;
        final List<KnownHostEntry> entries;
        volatile String rejection;

        Expectation(String host, int port, List<KnownHostEntry> entries) {
            this.host = host;
            this.port = port;
            this.entries = entries;
        }
    }

    static List<KnownHostEntry> parse(String knownHosts) {
        try {
            List<KnownHostEntry> entries = KnownHostEntry.readKnownHostEntries(new StringReader(knownHosts), true);
            return entries == null ? List.of() : new ArrayList<>(entries);
        } catch (IOException | RuntimeException e) {
            throw new RegionAccessException(RegionAccessException.Kind.INVALID_CREDENTIALS,
                    "known_hosts content could not be parsed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        Expectation exp = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(EXPECTATION);
        if (exp == null) {
            return false; // never connect without expectations
        }
        String presented = KeyUtils.getFingerPrint(serverKey);
        boolean sawEntryForHost = false;
        for (KnownHostEntry entry : exp.entries) {
            if (!entry.isHostMatch(exp.host, exp.port)) {
                continue;
            }
            PublicKey known;
            try {
                known = entry.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException e) {
                continue;
            }
            if (known == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(known, serverKey);
            if ("revoked".equals(entry.getMarker())) {
                if (same) {
                    exp.rejection = "host key " + presented + " of " + hostLabel(exp) + " is marked @revoked in known_hosts";
                    return false;
                }
                continue;
            }
            if (!KeyUtils.getKeyType(known).equals(KeyUtils.getKeyType(serverKey))) {
                // A known_hosts line for another algorithm neither confirms nor contradicts this key.
                sawEntryForHost = true;
                continue;
            }
            sawEntryForHost = true;
            if (same) {
                return true;
            }
        }
        exp.rejection = sawEntryForHost
                ? "host key of " + hostLabel(exp) + " has CHANGED: server presented " + presented
                        + ", which does not match known_hosts; refusing to connect (possible man-in-the-middle)"
                : "host key of " + hostLabel(exp) + " is unknown: server presented " + presented
                        + " and known_hosts has no entry for this host; refusing to connect";
        return false;
    }

    private static String hostLabel(Expectation exp) {
        return exp.port == 22 ? exp.host : "[" + exp.host + "]:" + exp.port;
    }
}
