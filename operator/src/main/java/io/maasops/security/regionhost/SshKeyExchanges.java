package io.maasops.security.regionhost;

import java.util.List;
import org.apache.sshd.client.kex.DHGClient;
import org.apache.sshd.client.kex.DHGEXClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchange;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.session.Session;

/**
 * The SSH key exchanges the operator offers, in order (the client's order decides).
 *
 * <p>MINA's default puts sntrup761x25519 first, which it computes in pure Java with Bouncy Castle:
 * measured in the provisioning benchmark, that key exchange was half of the operator's CPU (one per
 * region per pooled session). ML-KEM (mlkem768x25519-sha256, OpenSSH 9.9+) is as post-quantum and
 * cheap, so it comes first; then curve25519, which every OpenSSH on a MAAS host (Ubuntu 22.04's
 * 8.9, 24.04's 9.6) offers. The session carries response-wrapped, single-use tokens with a short
 * TTL, not long-lived secrets, so recording it now to decrypt later gains an attacker nothing once
 * the token was unwrapped or expired. sntrup761 remains, last, for servers that offer nothing else.
 * None uses SHA-1 (no diffie-hellman-group1/group14-sha1, no group-exchange-sha1).
 *
 * <p>The key exchanges leave host certificates to {@link KnownHostsVerifier}: MINA's own check in
 * {@code DHGClient.verifyCertificate} would end the connection on a certificate that OpenSSH's {@code ssh}
 * merely ignores (it then checks the plain key), and would accept certificates some {@code ssh} versions
 * refuse. The exchange still proves that the server holds the certificate's key.
 */
final class SshKeyExchanges {

    static final List<BuiltinDHFactories> PREFERENCE = List.of(
            BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.ecdhp256,
            BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521,
            BuiltinDHFactories.dhgex256,
            BuiltinDHFactories.dhg16_512,
            BuiltinDHFactories.dhg18_512,
            BuiltinDHFactories.dhg14_256,
            BuiltinDHFactories.sntrup761x25519,
            BuiltinDHFactories.sntrup761x25519_openssh);

    private SshKeyExchanges() {}

    /** The factories for {@link #PREFERENCE}, leaving out any this JVM cannot run. */
    static List<KeyExchangeFactory> factories() {
        return NamedFactory.setUpTransformedFactories(true, PREFERENCE, SshKeyExchanges::clientExchange);
    }

    /** Like MINA's {@code ClientBuilder.DH2KEX}, with host certificate checks deferred to the verifier. */
    private static KeyExchangeFactory clientExchange(DHFactory factory) {
        if (factory.isGroupExchange()) {
            return DHGEXClient.newFactory(factory);
        }
        return new KeyExchangeFactory() {
            @Override
            public String getName() {
                return factory.getName();
            }

            @Override
            public KeyExchange createKeyExchange(Session session) throws Exception {
                return new CertificateDeferringClient(factory, session);
            }
        };
    }

    private static final class CertificateDeferringClient extends DHGClient {
        CertificateDeferringClient(DHFactory factory, Session session) {
            super(factory, session);
        }

        @Override
        protected void verifyCertificate(Session session, OpenSshCertificate certificate) {
            // KnownHostsVerifier decides, with known_hosts' @cert-authority and @revoked lines (see class comment)
        }
    }
}
