package io.maasops.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.util.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The retry delays are settings (tests run the operator with short ones); production keeps the
 * delays it always had, whether started without flags or by the chart with its default values.
 */
class RetrySettingsTest {

    @Test
    void productionDefaultsAreUnchanged() {
        assertThat(RetryDelays.DEFAULTS)
                .isEqualTo(new RetryDelays(
                        Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(10)));
        assertThat(OperatorSettings.defaults().retries()).isEqualTo(RetryDelays.DEFAULTS);
    }

    @Test
    void flagsDefaultToThemAndSetThem() {
        OperatorMain none = new OperatorMain();
        new CommandLine(none).parseArgs();
        assertThat(none.retryDelays()).isEqualTo(RetryDelays.DEFAULTS);

        OperatorMain set = new OperatorMain();
        new CommandLine(set)
                .parseArgs(
                        "--retry-floor=250ms",
                        "--retry-cap=3s",
                        "--missing-reference-recheck=1s",
                        "--config-files-first-retry=500ms");
        assertThat(set.retryDelays())
                .isEqualTo(new RetryDelays(
                        Duration.ofMillis(250), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(500)));
    }

    @Test
    void theChartsDefaultValuesAreTheDefaults() throws Exception {
        JsonNode operator = new YAMLMapper()
                .readTree(MaasTestbed.readRepoFile("helm/maas-security-operator/values.yaml"))
                .path("operator");
        assertThat(new RetryDelays(
                        Durations.parse(operator.path("retryFloor").asText()),
                        Durations.parse(operator.path("retryCap").asText()),
                        Durations.parse(operator.path("missingReferenceRecheck").asText()),
                        Durations.parse(operator.path("configFilesFirstRetry").asText())))
                .isEqualTo(RetryDelays.DEFAULTS);
    }

    @Test
    void aZeroDelayOrACapBelowTheFloorIsRefused() {
        // zero would be a hot loop
        assertThatThrownBy(() -> new RetryDelays(
                        Duration.ZERO, Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryDelays(
                        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .hasMessageContaining("cap");
    }
}
