package io.maasops.security.concern.migration;

import io.maasops.security.status.Reason;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why a migration attempt failed, with what follows from it: whether it is retried by itself (it
 * changed nothing in MAAS and Vault will come back), and the hint the user reads. Persisted as
 * status.migration.reason ({@link #reason()}), which {@link MigrationDecision} reads back.
 */
public enum MigrationFailure {
    VAULT_SEALED(
            Reason.VAULT_SEALED,
            true,
            ". Vault is sealed: unseal it with `vault operator unseal`; the migration resumes by itself"),
    VAULT_UNREACHABLE(
            Reason.VAULT_UNREACHABLE,
            true,
            ". Vault cannot be reached; the migration resumes by itself once it answers"),
    /** A 5xx, or a call cut short, in the pre-flight or the verification: those steps change nothing in MAAS. */
    VAULT_ERROR(Reason.VAULT_ERROR, true, ". Vault answered with a server error; the migration retries by itself"),
    /** MAAS's own AppRole login, made before anything moves or restarts. */
    VAULT_TEST_FAILED(
            Reason.VAULT_TEST_FAILED,
            true,
            ". MAAS stopped at its own Vault login, before moving anything; the migration retries by itself"),
    PREFLIGHT_FAILED(Reason.PREFLIGHT_FAILED, false, ""),
    VERIFICATION_FAILED(Reason.VERIFICATION_FAILED, false, ""),
    FAILED(Reason.FAILED, false, "");

    private final Reason reason;
    private final boolean retryable;
    private final String hint;

    MigrationFailure(Reason reason, boolean retryable, String hint) {
        this.reason = reason;
        this.retryable = retryable;
        this.hint = hint;
    }

    /** The reason in status.migration.reason and the SecretsMigrated condition. */
    public Reason reason() {
        return reason;
    }

    /** Retried automatically (once Vault is back); otherwise it stays Failed until the spec changes. */
    public boolean retryable() {
        return retryable;
    }

    /** Appended to the failure's message ("" when there is nothing to add). */
    public String hint() {
        return hint;
    }

    /** The failure a persisted status.migration.reason names. */
    public static Optional<MigrationFailure> of(String reason) {
        return Arrays.stream(values())
                .filter(f -> f.reason.value().equals(reason))
                .findFirst();
    }
}
