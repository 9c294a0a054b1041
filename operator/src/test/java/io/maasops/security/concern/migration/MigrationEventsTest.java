package io.maasops.security.concern.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.concern.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secret migration's Events, from status.migration before and after a reconcile. */
class MigrationEventsTest {

    static MigrationStatus m(MigrationPhase phase, String startedAt, String message) {
        MigrationStatus m = new MigrationStatus();
        m.setPhase(phase);
        m.setStartedAt(startedAt);
        m.setRegion(startedAt == null ? null : "region-a");
        m.setMessage(message);
        return m;
    }

    static List<String> events(MigrationStatus before, MigrationStatus after) {
        return MigrationEvents.transitions(before, after).stream()
                .map(Notice::reason)
                .toList();
    }

    @Test
    void anAttemptThatStartsAndSucceedsInOneReconcileIsTwoEvents() {
        assertThat(events(
                        m(MigrationPhase.Pending, null, "awaiting approval"), m(MigrationPhase.Succeeded, "t1", "ok")))
                .containsExactly("MigrationStarted", "SecretsMigrated");
        assertThat(MigrationEvents.transitions(null, m(MigrationPhase.Succeeded, "t1", "ok"))
                        .get(0)
                        .message())
                .isEqualTo("running `maas config-vault migrate` on region-a");
    }

    @Test
    void aRetryThatFailsAgainWithTheSameMessageIsReportedAgain() {
        assertThat(events(m(MigrationPhase.Failed, "t1", "boom"), m(MigrationPhase.Failed, "t2", "boom")))
                .containsExactly("MigrationStarted", "MigrationFailed");
    }

    @Test
    void nothingChangedIsNoEventAndANewFailureMessageIsOne() {
        assertThat(events(m(MigrationPhase.Failed, "t1", "boom"), m(MigrationPhase.Failed, "t1", "boom")))
                .isEmpty();
        assertThat(events(m(MigrationPhase.Succeeded, "t1", "ok"), m(MigrationPhase.Succeeded, "t1", "ok")))
                .isEmpty();
        assertThat(events(m(MigrationPhase.Failed, "t1", "boom"), m(MigrationPhase.Failed, "t1", "other")))
                .containsExactly("MigrationFailed");
    }

    @Test
    void aRestartThatFindsTheSecretsMovedReportsTheOutcomeOnly() {
        // Running was checkpointed before the restart; this reconcile saw MAAS's status
        assertThat(events(m(MigrationPhase.Running, "t1", "running"), m(MigrationPhase.Succeeded, "t1", "ok")))
                .containsExactly("SecretsMigrated");
    }
}
