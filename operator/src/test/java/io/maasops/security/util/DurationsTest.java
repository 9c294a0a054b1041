package io.maasops.security.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"0s,0", "90s,90", "5m,300", "1h30m,5400", "12h,43200", "1500ms,1"})
    void parsesGoStyleDurations(String text, long seconds) {
        assertThat(Durations.parse(text).toSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "-5m", "1d", "5 m", "m5", "1.5h", "99999999999999999999h"})
    void refusesEverythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"300,300s", "0,0s"})
    void rendersVaultSeconds(long seconds, String expected) {
        assertThat(Durations.toVaultSeconds(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }
}
