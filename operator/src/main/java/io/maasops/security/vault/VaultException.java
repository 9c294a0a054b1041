package io.maasops.security.vault;

import java.util.List;

/**
 * A classified failure of one gateway operation. The message keeps Vault's own error text but never a token,
 * secret-id or wrapping token (see {@link Redaction}).
 */
public final class VaultException extends RuntimeException {
    /** The operation a Kubernetes auth login's failure is reported as (not the operation that needed the token). */
    public static final String KUBERNETES_LOGIN = "kubernetes_login";

    private final VaultErrorKind kind;
    private final String operation;
    private final int httpStatus;
    private final List<String> vaultErrors;

    VaultException(VaultErrorKind kind, String operation, int httpStatus, List<String> vaultErrors, Throwable cause) {
        super(
                operation + ": " + kind + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "")
                        + (vaultErrors.isEmpty() ? "" : ": " + String.join("; ", vaultErrors)),
                cause);
        this.kind = kind;
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.vaultErrors = List.copyOf(vaultErrors);
    }

    public VaultErrorKind kind() {
        return kind;
    }

    public String operation() {
        return operation;
    }

    /** 0 when no HTTP answer was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Vault's "errors" (already redacted), e.g. ["permission denied"]. */
    public List<String> vaultErrors() {
        return vaultErrors;
    }

    /** True when Vault's message contains {@code text} (Vault messages are matched by substring, never whole). */
    public boolean mentions(String text) {
        return vaultErrors.stream().anyMatch(m -> m.contains(text));
    }
}
