package io.maasops.security.regionhost;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;

/**
 * Checks a server's host key (or host certificate) against the known_hosts text given for that connection (from
 * a Kubernetes Secret, never ~/.ssh), with OpenSSH's rules ({@link KnownHosts}). A refused key's reason is kept
 * on the connection so the caller can report it.
 *
 * <p>As a {@link SessionListener} it also orders the host key algorithms of each new session the way {@code ssh}
 * does for that host, before the key exchange starts, so a server with several host keys presents the one
 * known_hosts can confirm.
 *
 * <p>MINA's own host certificate checks are switched off ({@link SshKeyExchanges}): they would abort the
 * connection on a certificate {@code ssh} merely ignores in favour of the plain key, and they accept what some
 * OpenSSH versions refuse (wildcard or missing principals). The CA signature, type, validity, principals,
 * critical options and CA signature algorithm are all checked here instead.
 */
final class KnownHostsVerifier implements ServerKeyVerifier, SessionListener {
    /** Per-connection expectations, passed as the connection context of {@code SshClient.connect}. */
    static final AttributeKey<Expectation> EXPECTATION = new AttributeKey<>();

    /** What this connection expects, and why it was refused (if it was). */
    static final class Expectation {
        final String host;
        final int port;
        final KnownHosts knownHosts;
        volatile String rejection;

        Expectation(String host, int port, KnownHosts knownHosts) {
            this.host = host;
            this.port = port;
            this.knownHosts = knownHosts;
        }
    }

    private final java.time.Clock clock;

    KnownHostsVerifier(java.time.Clock clock) {
        this.clock = clock;
    }

    static KnownHosts parse(String knownHosts) {
        return KnownHosts.parse(knownHosts);
    }

    private static Expectation expectation(Session session) {
        return session instanceof ClientSession cs && cs.getConnectionContext() != null
                ? cs.getConnectionContext().getAttribute(EXPECTATION)
                : null;
    }

    @Override
    public void sessionCreated(Session session) {
        Expectation exp = expectation(session);
        if (exp == null) {
            return;
        }
        List<NamedFactory<Signature>> offered = session.getSignatureFactories();
        Map<String, NamedFactory<Signature>> byName =
                offered.stream().collect(Collectors.toMap(NamedFactory::getName, Function.identity(), (a, b) -> a));
        List<String> order = exp.knownHosts.preferredAlgorithms(
                exp.host, exp.port, org.apache.sshd.common.NamedResource.getNameList(offered));
        session.setSignatureFactories(order.stream().map(byName::get).toList());
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        Expectation exp = expectation(session);
        if (exp == null) {
            return false; // never connect without expectations
        }
        KnownHosts.Verdict v = exp.knownHosts.verify(
                exp.host, exp.port, serverKey, clock.instant().getEpochSecond());
        if (!v.accepted()) {
            exp.rejection = v.reason();
        }
        return v.accepted();
    }
}
