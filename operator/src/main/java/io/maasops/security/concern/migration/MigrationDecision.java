package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MigrationMode;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationSettings;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import java.util.Objects;

/**
 * What the secret migration does next, from the spec, the last migration status and what the
 * integration knows about Vault and the regions. Pure: no I/O, unit-tested row by row.
 */
public final class MigrationDecision {

    /** The regions as the integration's RegionsConfigured condition last saw them. */
    public enum Regions {
        /** MAAS confirmed that every region it knows is configured. */
        ALL_CONFIGURED,
        /** A declared region is not configured, or MAAS names unconfigured regions. */
        UNCONFIGURED,
        /** No region declared yet, or MAAS has not been asked yet. */
        NOT_CONFIRMED
    }

    public enum Action {
        /** Secrets are in Vault; nothing to do (a migration is never undone). */
        DONE,
        /** Not requested: spec.migration is Manual without approval. */
        AWAIT_APPROVAL,
        /** The last attempt failed for a reason only a spec change (new approval) retries. */
        STAY_FAILED,
        /** Vault is sealed, unreachable or not set up yet. */
        WAIT_FOR_VAULT,
        /** MAAS has not confirmed the regions yet. */
        WAIT_FOR_REGIONS,
        /** Some region MAAS knows is not configured: MAAS itself would refuse. */
        BLOCKED,
        /** Check MAAS's status, pre-flight, run (or resume after a restart), verify. */
        RUN
    }

    private MigrationDecision() {}

    /** Automatic, or Manual with approved: true. */
    public static boolean requested(MigrationSettings spec) {
        if (spec == null) {
            return false;
        }
        return spec.getMode() == MigrationMode.Automatic || Boolean.TRUE.equals(spec.getApproved());
    }

    public static Action decide(
            MigrationSettings spec, MigrationStatus previous, long generation, boolean vaultReady, Regions regions) {
        return decide(spec, previous, generation, vaultReady, regions, false);
    }

    /**
     * @param maasReportsEnabled MAAS's {@code config-vault status} said {@code enabled} in this reconcile: whoever ran
     *     {@code migrate} (an admin by hand, too), the secrets are in Vault; RUN then only verifies (it asks MAAS
     *     first and never sends {@code migrate} to an enabled MAAS), approved or not
     */
    public static Action decide(
            MigrationSettings spec,
            MigrationStatus previous,
            long generation,
            boolean vaultReady,
            Regions regions,
            boolean maasReportsEnabled) {
        MigrationPhase phase = previous == null ? null : previous.getPhase();
        if (phase == MigrationPhase.Succeeded) {
            return Action.DONE;
        }
        if (phase == MigrationPhase.Running) {
            // a command may have run before a restart: resume (status first), whatever the spec says now
            return vaultReady ? Action.RUN : Action.WAIT_FOR_VAULT;
        }
        if (maasReportsEnabled
                && !(phase == MigrationPhase.Failed
                        && MigrationFailure.VERIFICATION_FAILED.reason().value().equals(previous.getReason()))) {
            // a failed verification of an enabled MAAS is not repeated until the spec changes
            return vaultReady ? Action.RUN : Action.WAIT_FOR_VAULT;
        }
        if (!requested(spec)) {
            return Action.AWAIT_APPROVAL;
        }
        if (phase == MigrationPhase.Failed
                && Objects.equals(previous.getAttemptGeneration(), generation)
                && !retryable(previous.getReason())) {
            return Action.STAY_FAILED;
        }
        if (!vaultReady) {
            return Action.WAIT_FOR_VAULT;
        }
        return switch (regions) {
            case UNCONFIGURED -> Action.BLOCKED;
            case NOT_CONFIRMED -> Action.WAIT_FOR_REGIONS;
            case ALL_CONFIGURED -> Action.RUN;
        };
    }

    /** True when the last attempt failed because Vault was sealed or unreachable (look at Vault again soon). */
    public static boolean failedOnVault(MigrationStatus status) {
        return status != null && status.getPhase() == MigrationPhase.Failed && retryable(status.getReason());
    }

    /** Whether a failure with this persisted reason is retried by itself ({@link MigrationFailure#retryable()}). */
    static boolean retryable(String reason) {
        return MigrationFailure.of(reason).map(MigrationFailure::retryable).orElse(false);
    }
}
