package io.maasops.security.vault;

import java.util.List;

/**
 * {@link VaultException}s as the gateway classifies them, for the in-memory fakes (test scope: the
 * constructor stays package-private in production). Messages are the gateway's: "operation: KIND (HTTP n): errors".
 */
public final class VaultFailures {

    private VaultFailures() {}

    /** A sealed Vault answers 503 with "Vault is sealed". */
    public static VaultException sealed(String operation) {
        return new VaultException(VaultErrorKind.SEALED, operation, 503, List.of("Vault is sealed"), null);
    }

    /** No HTTP answer at all. */
    public static VaultException unreachable(String operation) {
        return new VaultException(VaultErrorKind.UNREACHABLE, operation, 0, List.of(), null);
    }

    public static VaultException denied(String operation) {
        return new VaultException(VaultErrorKind.PERMISSION_DENIED, operation, 403, List.of("permission denied"), null);
    }

    /** LIST secret-ids of a missing role: Vault's 400 {@code role "x" does not exist}, classified as the gateway does. */
    public static VaultException roleMissing(String operation, String role) {
        return new VaultException(
                VaultErrorKind.NOT_FOUND, operation, 400, List.of("role \"" + role + "\" does not exist"), null);
    }
}
