package io.maasops.security.concern.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.MigrationMode;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationSettings;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.concern.migration.MigrationDecision.Action;
import io.maasops.security.concern.migration.MigrationDecision.Regions;
import org.junit.jupiter.api.Test;

class MigrationDecisionTest {

    static MigrationSettings spec(MigrationMode mode, boolean approved) {
        MigrationSettings s = new MigrationSettings();
        s.setMode(mode);
        s.setApproved(approved);
        return s;
    }

    static MigrationStatus status(MigrationPhase phase, String reason, Long attemptGeneration) {
        MigrationStatus m = new MigrationStatus();
        m.setPhase(phase);
        m.setReason(reason);
        m.setAttemptGeneration(attemptGeneration);
        return m;
    }

    static final MigrationSettings MANUAL = spec(MigrationMode.Manual, false);
    static final MigrationSettings APPROVED = spec(MigrationMode.Manual, true);
    static final MigrationSettings AUTOMATIC = spec(MigrationMode.Automatic, false);

    @Test
    void requestedOnlyWhenAutomaticOrApproved() {
        assertThat(MigrationDecision.requested(MANUAL)).isFalse();
        assertThat(MigrationDecision.requested(APPROVED)).isTrue();
        assertThat(MigrationDecision.requested(AUTOMATIC)).isTrue();
        assertThat(MigrationDecision.requested(null)).isFalse();
    }

    @Test
    void notApprovedWaitsForApproval() {
        assertThat(MigrationDecision.decide(MANUAL, null, 1, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.AWAIT_APPROVAL);
    }

    @Test
    void approvedRunsOnlyWhenEveryRegionIsConfiguredAndVaultIsReady() {
        assertThat(MigrationDecision.decide(APPROVED, null, 1, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.RUN);
        assertThat(MigrationDecision.decide(AUTOMATIC, null, 1, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.RUN);
        assertThat(MigrationDecision.decide(APPROVED, null, 1, true, Regions.UNCONFIGURED))
                .isEqualTo(Action.BLOCKED);
        assertThat(MigrationDecision.decide(APPROVED, null, 1, true, Regions.NOT_CONFIRMED))
                .isEqualTo(Action.WAIT_FOR_REGIONS);
        assertThat(MigrationDecision.decide(APPROVED, null, 1, false, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.WAIT_FOR_VAULT);
    }

    @Test
    void succeededIsFinalWhateverTheSpecSays() {
        var done = status(MigrationPhase.Succeeded, "Migrated", 1L);
        assertThat(MigrationDecision.decide(MANUAL, done, 5, false, Regions.UNCONFIGURED))
                .isEqualTo(Action.DONE);
    }

    @Test
    void runningResumesAfterARestartOnceVaultIsReady() {
        var running = status(MigrationPhase.Running, "Running", 3L);
        assertThat(MigrationDecision.decide(APPROVED, running, 3, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.RUN);
        assertThat(MigrationDecision.decide(MANUAL, running, 4, true, Regions.UNCONFIGURED))
                .isEqualTo(Action.RUN);
        assertThat(MigrationDecision.decide(APPROVED, running, 3, false, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.WAIT_FOR_VAULT);
    }

    @Test
    void failedStaysFailedUntilTheSpecChanges() {
        var failed = status(MigrationPhase.Failed, "Failed", 2L);
        assertThat(MigrationDecision.decide(APPROVED, failed, 2, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.STAY_FAILED);
        assertThat(MigrationDecision.decide(APPROVED, failed, 3, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.RUN);
        var preflight = status(MigrationPhase.Failed, "PreflightFailed", 2L);
        assertThat(MigrationDecision.decide(APPROVED, preflight, 2, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.STAY_FAILED);
    }

    @Test
    void failedOnASealedOrUnreachableVaultRetriesOnceVaultIsBack() {
        // VaultError: a 5xx (or a call cut short) in the pre-flight or the verification
        for (String cause : new String[] {"VaultSealed", "VaultUnreachable", "VaultError"}) {
            var failed = status(MigrationPhase.Failed, cause, 2L);
            assertThat(MigrationDecision.failedOnVault(failed)).isTrue();
            assertThat(MigrationDecision.decide(APPROVED, failed, 2, false, Regions.ALL_CONFIGURED))
                    .isEqualTo(Action.WAIT_FOR_VAULT);
            assertThat(MigrationDecision.decide(APPROVED, failed, 2, true, Regions.ALL_CONFIGURED))
                    .isEqualTo(Action.RUN);
        }
        assertThat(MigrationDecision.failedOnVault(status(MigrationPhase.Failed, "Failed", 2L)))
                .isFalse();
    }

    @Test
    void approvalWithdrawnBeforeRunningWaitsAgain() {
        var blocked = status(MigrationPhase.Blocked, "Blocked", null);
        assertThat(MigrationDecision.decide(MANUAL, blocked, 2, true, Regions.ALL_CONFIGURED))
                .isEqualTo(Action.AWAIT_APPROVAL);
    }

    /** Issue 19 item 7: MAAS enabled by someone else is verified, approved or not; a failed verification stays. */
    @Test
    void aHandRunMigrationMaasReportsEnabledIsVerifiedWithoutApproval() {
        assertThat(MigrationDecision.decide(MANUAL, null, 1, true, Regions.ALL_CONFIGURED, true))
                .isEqualTo(Action.RUN);
        assertThat(MigrationDecision.decide(MANUAL, null, 1, false, Regions.ALL_CONFIGURED, true))
                .isEqualTo(Action.WAIT_FOR_VAULT);
        var failed = status(MigrationPhase.Failed, "Failed", 2L);
        assertThat(MigrationDecision.decide(APPROVED, failed, 2, true, Regions.ALL_CONFIGURED, true))
                .as("MAAS's own failure, then migrated by hand")
                .isEqualTo(Action.RUN);
        var unverified = status(MigrationPhase.Failed, "VerificationFailed", 2L);
        assertThat(MigrationDecision.decide(APPROVED, unverified, 2, true, Regions.ALL_CONFIGURED, true))
                .isEqualTo(Action.STAY_FAILED);
        assertThat(MigrationDecision.decide(
                        MANUAL,
                        status(MigrationPhase.Succeeded, "Migrated", 2L),
                        2,
                        true,
                        Regions.ALL_CONFIGURED,
                        true))
                .isEqualTo(Action.DONE);
    }
}
