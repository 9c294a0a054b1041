package io.maasops.security.regionhost;

import io.maasops.security.util.Secret;
import java.util.Objects;

/**
 * The client private key (OpenSSH or PEM; ed25519, RSA, ECDSA) and the known_hosts text the server's host key
 * is checked against. There is no "accept any host key" option on purpose.
 */
public record SshCredentials(Secret privateKeyPem, String knownHosts) {
    public SshCredentials {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(knownHosts, "knownHosts");
    }

    @Override
    public String toString() {
        return "SshCredentials[privateKeyPem=<redacted>, knownHosts="
                + knownHosts.lines().count() + " lines]";
    }
}
