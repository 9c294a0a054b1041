package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19 item 11: regions configured together do not all come due together. */
class RotationScheduleOffsetTest {

    static final Instant CONFIGURED = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration DAY = Duration.ofDays(1);

    static AppRoleStatus configured() {
        AppRoleStatus a = new AppRoleStatus();
        a.setSecretIdAccessor("acc-1");
        a.setConfiguredAt(CONFIGURED.toString());
        return a;
    }

    @Test
    void offsetsSpreadTheDueTimesOfRegionsConfiguredTogether() {
        List<Instant> due = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            due.add(RotationSchedule.nextDue(configured(), DAY, "maas/region-" + i));
        }
        // early, never late: no secret-id outlives the period, and none is rotated before three quarters of it
        assertThat(due)
                .allSatisfy(d -> assertThat(d)
                        .isAfterOrEqualTo(CONFIGURED.plus(DAY).minus(DAY.dividedBy(4)))
                        .isBeforeOrEqualTo(CONFIGURED.plus(DAY)));
        assertThat(new HashSet<>(due)).as("distinct due times").hasSize(20);
        Instant first = due.stream().min(Instant::compareTo).orElseThrow();
        Instant last = due.stream().max(Instant::compareTo).orElseThrow();
        assertThat(Duration.between(first, last)).as("spread").isGreaterThan(DAY.dividedBy(8));
    }

    @Test
    void theOffsetIsTheSameForTheSameRegionAndScalesWithThePeriod() {
        Duration a = RotationSchedule.offset("maas/region-a", DAY);
        assertThat(RotationSchedule.offset("maas/region-a", DAY)).isEqualTo(a);
        assertThat(RotationSchedule.offset("other/region-a", DAY)).isNotEqualTo(a);
        assertThat(RotationSchedule.offset("maas/region-a", DAY.multipliedBy(2)).toMillis())
                .isBetween(a.toMillis() * 2 - 2, a.toMillis() * 2 + 2);
        assertThat(RotationSchedule.offset("maas/region-a", Duration.ZERO)).isZero();
    }

    @Test
    void dueOnlyOnceItsOwnOffsetIsReached() {
        String region = "maas/region-b";
        Instant due = CONFIGURED.plus(DAY).minus(RotationSchedule.offset(region, DAY));
        assertThat(RotationSchedule.due(configured(), DAY, null, due.minusSeconds(1), region))
                .isNull();
        assertThat(RotationSchedule.due(configured(), DAY, null, due, region)).contains("rotation period");
    }

    @Test
    void aRequestByAnnotationIsNotDelayedByTheOffset() {
        assertThat(RotationSchedule.due(configured(), DAY, "now", CONFIGURED.plusSeconds(1), "maas/region-a"))
                .contains("requested");
    }
}
