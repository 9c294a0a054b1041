package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.contract.RetryDelays;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecretIdRotationDueTest {

    static final Instant CONFIGURED = Instant.parse("2026-01-01T00:00:00Z");

    static AppRoleStatus configured() {
        AppRoleStatus a = new AppRoleStatus();
        a.setSecretIdAccessor("acc-1");
        a.setConfiguredAt(CONFIGURED.toString());
        return a;
    }

    @Test
    void neverWithAZeroPeriodAndNoAnnotation() {
        assertThat(RotationSchedule.due(configured(), Duration.ZERO, null, CONFIGURED.plus(Duration.ofDays(999))))
                .isNull();
    }

    @Test
    void dueOncePeriodElapsedSinceConfigurationThenSinceLastRotation() {
        Duration day = Duration.ofDays(1);
        assertThat(RotationSchedule.due(configured(), day, null, CONFIGURED.plus(Duration.ofHours(23))))
                .isNull();
        assertThat(RotationSchedule.due(configured(), day, null, CONFIGURED.plus(day)))
                .contains("rotation period 86400s elapsed");
        AppRoleStatus rotated = configured();
        rotated.setRotatedAt(CONFIGURED.plus(Duration.ofHours(30)).toString());
        assertThat(RotationSchedule.due(rotated, day, null, CONFIGURED.plus(Duration.ofHours(40))))
                .isNull();
        assertThat(RotationSchedule.due(rotated, day, null, CONFIGURED.plus(Duration.ofHours(54))))
                .isNotNull();
    }

    @Test
    void annotationDueOnlyForANewValue() {
        AppRoleStatus a = configured();
        assertThat(RotationSchedule.due(a, Duration.ZERO, "1", CONFIGURED)).contains("rotate-secret-id=1");
        a.setRotationRequest("1");
        assertThat(RotationSchedule.due(a, Duration.ZERO, "1", CONFIGURED)).isNull();
        assertThat(RotationSchedule.due(a, Duration.ZERO, "2", CONFIGURED)).isNotNull();
    }

    @Test
    void aRegionNotConfiguredYetIsNotRotated() {
        assertThat(RotationSchedule.due(
                        new AppRoleStatus(), Duration.ofSeconds(1), "x", CONFIGURED.plus(Duration.ofDays(9))))
                .isNull();
    }

    @Test
    void aRetryAfterAFailureComesDueEvenWhenTheAttemptWasStampedAfterTheFailure() {
        // the failure's condition carries the reconcile's start time, the secret-id its issue time: a
        // second later under load; the retry must still come due (it was postponed forever)
        String failedAt = "2026-01-01T00:00:14Z";
        Instant retry = RotationSchedule.retryAt("2026-01-01T00:00:15Z", failedAt, RetryDelays.DEFAULTS);
        assertThat(retry).isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(Instant.parse("2026-01-01T00:00:21Z")).isAfter(retry);
    }

    @Test
    void theWaitGrowsWithEachFailedAttemptUpToTheCap() {
        String failingSince = "2026-01-01T00:00:00Z";
        assertThat(RotationSchedule.retryAt("2026-01-01T00:00:00Z", failingSince, RetryDelays.DEFAULTS))
                .isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(RotationSchedule.retryAt("2026-01-01T00:00:05Z", failingSince, RetryDelays.DEFAULTS))
                .isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(RotationSchedule.retryAt("2026-01-01T00:00:10Z", failingSince, RetryDelays.DEFAULTS))
                .isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(RotationSchedule.retryAt("2026-01-01T01:00:00Z", failingSince, RetryDelays.DEFAULTS))
                .isEqualTo(Instant.parse("2026-01-01T01:02:00Z"));
    }
}
