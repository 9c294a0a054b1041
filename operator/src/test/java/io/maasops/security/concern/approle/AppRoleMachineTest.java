package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.concern.approle.AppRoleMachine.Facts;
import io.maasops.security.concern.approle.AppRoleMachine.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tier 1 (pure): the phase derived from status.appRole, and what the machine does in each phase. */
class AppRoleMachineTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration DAY = Duration.ofDays(1);

    static AppRoleStatus status(String roleId, String accessor, String configuredAt, String pending) {
        AppRoleStatus a = new AppRoleStatus();
        a.setRoleId(roleId);
        a.setSecretIdAccessor(accessor);
        a.setConfiguredAt(configuredAt);
        a.setPendingSecretIdAccessor(pending);
        return a;
    }

    @Test
    void thePhaseIsDerivedFromTheRecordedFieldsInOnePlace() {
        assertThat(AppRolePhase.of(null)).isEqualTo(AppRolePhase.NO_ROLE);
        assertThat(AppRolePhase.of(new AppRoleStatus())).isEqualTo(AppRolePhase.NO_ROLE);
        assertThat(AppRolePhase.of(status(null, null, null, "p"))).isEqualTo(AppRolePhase.ISSUED_UNCONFIRMED);
        assertThat(AppRolePhase.of(status("r", null, null, null))).isEqualTo(AppRolePhase.ROLE_READY);
        assertThat(AppRolePhase.of(status("r", null, null, "p"))).isEqualTo(AppRolePhase.ISSUED_UNCONFIRMED);
        assertThat(AppRolePhase.of(status("r", "a", "2026-01-01T00:00:00Z", null)))
                .isEqualTo(AppRolePhase.CONFIGURED);
        assertThat(AppRolePhase.of(status("r", "a", "2026-01-01T00:00:00Z", "p")))
                .isEqualTo(AppRolePhase.ROTATING);
        // an accessor without a confirmed configuration is not "configured"
        assertThat(AppRolePhase.of(status("r", "a", null, null))).isEqualTo(AppRolePhase.ROLE_READY);
    }

    @Test
    void onlyAConfiguredRegionMayGoWithoutIssuing() {
        assertThat(AppRolePhase.CONFIGURED.mayIssue()).isFalse();
        for (AppRolePhase p : new AppRolePhase[] {
            AppRolePhase.NO_ROLE, AppRolePhase.ROLE_READY, AppRolePhase.ISSUED_UNCONFIRMED, AppRolePhase.ROTATING
        }) {
            assertThat(p.mayIssue()).as(p.name()).isTrue();
        }
    }

    @Test
    void everyPhaseBeforeConfigurationConfigures() {
        Facts none = new Facts(false, null, null, null);
        for (AppRolePhase p :
                new AppRolePhase[] {AppRolePhase.NO_ROLE, AppRolePhase.ROLE_READY, AppRolePhase.ISSUED_UNCONFIRMED}) {
            assertThat(AppRoleMachine.next(p, none, NOW).kind()).as(p.name()).isEqualTo(Kind.CONFIGURE);
        }
    }

    @Test
    void aConfiguredRegionKeepsItsSecretIdUntilTheNextRotation() {
        var next = AppRoleMachine.next(AppRolePhase.CONFIGURED, new Facts(false, null, null, DAY), NOW);
        assertThat(next.kind()).isEqualTo(Kind.KEEP);
        assertThat(next.after()).isEqualTo(DAY);
    }

    @Test
    void aConfiguredRegionRotatesWhenDueWhenItsRoleIdChangedOrWhenAnIssuedSecretIdWasNeverConfirmed() {
        assertThat(AppRoleMachine.next(
                        AppRolePhase.CONFIGURED, new Facts(false, "rotation period 86400s elapsed", null, null), NOW))
                .extracting(AppRoleMachine.Next::kind, AppRoleMachine.Next::why)
                .containsExactly(Kind.ROTATE, "rotation period 86400s elapsed");
        assertThat(AppRoleMachine.next(AppRolePhase.CONFIGURED, new Facts(true, null, null, null), NOW)
                        .why())
                .isEqualTo("its role-id changed");
        assertThat(AppRoleMachine.next(AppRolePhase.ROTATING, new Facts(false, null, null, null), NOW)
                        .why())
                .isEqualTo("an issued secret-id was never confirmed");
    }

    @Test
    void afterAFailedRotationItWaitsUntilTheRetryTimeThenRotates() {
        Instant retryAt = NOW.plusSeconds(20);
        var waiting = AppRoleMachine.next(AppRolePhase.CONFIGURED, new Facts(false, "due", retryAt, DAY), NOW);
        assertThat(waiting.kind()).isEqualTo(Kind.WAIT);
        assertThat(waiting.after()).isEqualTo(Duration.ofSeconds(20));
        assertThat(AppRoleMachine.next(AppRolePhase.CONFIGURED, new Facts(false, "due", retryAt, DAY), retryAt)
                        .kind())
                .isEqualTo(Kind.ROTATE);
    }
}
