package io.maasops.security.vault;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the operator reaches Vault. TLS is always verified: against {@code caPem} when given, else against the
 * JVM's default trust store. {@code namespace} is sent as X-Vault-Namespace only when non-blank.
 * {@code requestTimeout} bounds a whole request (connect, headers and body), {@code maxResponseBytes} the size of
 * an answer.
 */
public record VaultConnectionSettings(
        URI address,
        String caPem,
        String namespace,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxResponseBytes) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Every Vault call the operator makes is small; a healthy Vault answers in milliseconds, a busy one in seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The largest answer is a LIST of secret-id accessors (~50 bytes each): 4 MiB is ~80,000 of them. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

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
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        maxResponseBytes = maxResponseBytes <= 0 ? DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes;
    }

    /** Default deadline and size cap. */
    public VaultConnectionSettings(
            URI address, String caPem, String namespace, Duration connectTimeout, Duration requestTimeout) {
        this(address, caPem, namespace, connectTimeout, requestTimeout, 0);
    }

    public static VaultConnectionSettings of(URI address) {
        return new VaultConnectionSettings(address, null, null, null, null, 0);
    }

    public VaultConnectionSettings withCaPem(String pem) {
        return new VaultConnectionSettings(address, pem, namespace, connectTimeout, requestTimeout, maxResponseBytes);
    }

    public VaultConnectionSettings withNamespace(String ns) {
        return new VaultConnectionSettings(address, caPem, ns, connectTimeout, requestTimeout, maxResponseBytes);
    }

    /** {@code request} is the whole-request deadline. */
    public VaultConnectionSettings withTimeouts(Duration connect, Duration request) {
        return new VaultConnectionSettings(address, caPem, namespace, connect, request, maxResponseBytes);
    }

    public VaultConnectionSettings withMaxResponseBytes(int bytes) {
        return new VaultConnectionSettings(address, caPem, namespace, connectTimeout, requestTimeout, bytes);
    }

    /** Address without a trailing slash. */
    String baseAddress() {
        String s = address.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
