package io.maasops.security.vault;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the operator reaches Vault. TLS is always verified: against {@code caPem} when given, else against the
 * JVM's default trust store. {@code namespace} is sent as X-Vault-Namespace only when non-blank.
 */
public record VaultConnectionSettings(URI address, String caPem, String namespace, Duration connectTimeout,
                                      Duration readTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

    public VaultConnectionSettings {
        Objects.requireNonNull(address, "address");
        String scheme = address.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("Vault address must be http(s)://host:port, got " + address);
        }
        if (address.getHost() == null) {
            throw new IllegalArgumentException("Vault address has no host: " + address);
        }
        caPem = caPem == null || caPem.isBlank() ? null : caPem;
        namespace = namespace == null || namespace.isBlank() ? null : namespace;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    }

    public static VaultConnectionSettings of(URI address) {
        return new VaultConnectionSettings(address, null, null, null, null);
    }

    public VaultConnectionSettings withCaPem(String pem) {
        return new VaultConnectionSettings(address, pem, namespace, connectTimeout, readTimeout);
    }

    public VaultConnectionSettings withNamespace(String ns) {
        return new VaultConnectionSettings(address, caPem, ns, connectTimeout, readTimeout);
    }

    public VaultConnectionSettings withTimeouts(Duration connect, Duration read) {
        return new VaultConnectionSettings(address, caPem, namespace, connect, read);
    }

    /** Address without a trailing slash, as the driver expects. */
    String baseAddress() {
        String s = address.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
