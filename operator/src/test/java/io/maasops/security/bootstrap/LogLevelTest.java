package io.maasops.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogLevelTest {

    @Test
    void acceptsTheChartsLevelsAndRefusesOthers() throws IOException {
        for (String l : LogLevel.LEVELS) {
            assertThat(LogLevel.parse(l.toUpperCase())).isEqualTo(l);
        }
        assertThatThrownBy(() -> LogLevel.parse("verbose")).hasMessageContaining("verbose");
        assertThatThrownBy(() -> LogLevel.parse("")).isInstanceOf(IllegalArgumentException.class);
        // the chart's values.schema.json enum and this list are the same
        var schema = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("../helm/maas-security-operator/values.schema.json")
                        .toFile());
        assertThat(schema.path("properties")
                        .path("logging")
                        .path("properties")
                        .path("level")
                        .path("enum"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyElementsOf(LogLevel.LEVELS);
    }

    @Test
    void logFormatIsTextOrJsonAsTheChartSays() throws IOException {
        assertThat(LogFormat.parse(" JSON ")).isEqualTo("json");
        assertThatThrownBy(() -> LogFormat.parse("logfmt")).hasMessageContaining("logfmt");
        var schema = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("../helm/maas-security-operator/values.schema.json")
                        .toFile());
        assertThat(schema.path("properties")
                        .path("logging")
                        .path("properties")
                        .path("format")
                        .path("enum"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyElementsOf(LogFormat.FORMATS);
    }

    /** Logback is configured when the first logger is made: OperatorMain must not make one when its class loads. */
    @Test
    void operatorMainHasNoStaticLogger() {
        assertThat(Arrays.stream(OperatorMain.class.getDeclaredFields())
                        .filter(f -> Modifier.isStatic(f.getModifiers()) && Logger.class.isAssignableFrom(f.getType())))
                .isEmpty();
    }

    @Test
    void packagedDefaultsKeepNoisyLibrariesAtWarnInBothFormats() throws IOException {
        String levels =
                java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/maasops-log-levels.xml"));
        assertThat(levels)
                .contains("<logger name=\"io.fabric8\" level=\"WARN\"/>")
                .contains("<logger name=\"org.apache.sshd\" level=\"WARN\"/>");
        for (String config : List.of("logback.xml", "logback-json.xml")) {
            assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources", config)))
                    .as(config)
                    .contains("<include resource=\"maasops-log-levels.xml\"/>")
                    .contains("${maasops.log.level:-INFO}");
        }
    }
}
