package io.maasops.security.tls;

/** The endpoint could not be reached or did not complete a TLS handshake. */
public class CertificateProbeException extends Exception {

    /** Why the probe failed, for conditions and metrics. */
    public enum Kind {
        CONNECT_FAILED,
        TIMEOUT,
        HANDSHAKE_FAILED
    }

    private final Kind kind;

    public CertificateProbeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
