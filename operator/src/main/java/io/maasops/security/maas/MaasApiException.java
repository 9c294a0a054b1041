package io.maasops.security.maas;

/**
 * A failed MAAS API call, classified. The message carries the method, the API path, the HTTP
 * status and MAAS's own error text as a short sanitised excerpt ({@link
 * io.maasops.security.util.RemoteText}); never the API key or the Authorization header.
 */
public class MaasApiException extends Exception {

    /** What went wrong, so callers branch on a kind instead of parsing messages. */
    public enum Kind {
        /** 401: the key is wrong or revoked. */
        UNAUTHORIZED,
        /** 403: the key's user lacks the permission. */
        FORBIDDEN,
        NOT_FOUND,
        /** 400: MAAS rejected the input (validation errors in the message). */
        BAD_REQUEST,
        CONFLICT,
        /** 404 on /groups/: this MAAS predates 3.8's user groups and entitlements. */
        GROUPS_API_UNSUPPORTED,
        SERVER_ERROR,
        /** Connection refused, DNS, timeout. */
        UNREACHABLE,
        /** TLS handshake or certificate verification failed. */
        TLS,
        /** MAAS answered something this client cannot read. */
        INVALID_RESPONSE
    }

    private final Kind kind;
    private final int status;
    private final String maasMessage;

    public MaasApiException(Kind kind, int status, String message, String maasMessage, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.maasMessage = maasMessage;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }

    /** MAAS's error body as a short sanitised excerpt, or null. */
    public String maasMessage() {
        return maasMessage;
    }

    static Kind kindForStatus(int status) {
        return switch (status) {
            case 400 -> Kind.BAD_REQUEST;
            case 401 -> Kind.UNAUTHORIZED;
            case 403 -> Kind.FORBIDDEN;
            case 404 -> Kind.NOT_FOUND;
            case 409 -> Kind.CONFLICT;
            default -> status >= 500 ? Kind.SERVER_ERROR : Kind.INVALID_RESPONSE;
        };
    }
}
