package io.maasops.security.configfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @Test
    void dueWhenNeverChecked() {
        assertThat(CheckSchedule.due(T0, null, TEN_MINUTES, false)).isTrue();
    }

    @Test
    void dueOnSpecChangeEvenJustAfterACheck() {
        assertThat(CheckSchedule.due(T0.plusSeconds(1), T0, TEN_MINUTES, true)).isTrue();
    }

    @Test
    void notDueWithinTheIntervalThenDueAtItsEnd() {
        assertThat(CheckSchedule.due(T0.plus(Duration.ofMinutes(9)), T0, TEN_MINUTES, false))
                .isFalse();
        assertThat(CheckSchedule.timeLeft(T0.plus(Duration.ofMinutes(9)), T0, TEN_MINUTES))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(CheckSchedule.due(T0.plus(TEN_MINUTES), T0, TEN_MINUTES, false))
                .isTrue();
    }

    @Test
    void backoffDoublesFromTenSecondsAndIsCappedAtFiveMinutes() {
        assertThat(CheckSchedule.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(CheckSchedule.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(CheckSchedule.backoff(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(CheckSchedule.backoff(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(CheckSchedule.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
    }
}
