package io.maasops.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Properties;
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
    var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        java.nio.file.Path.of("../helm/maas-security-operator/values.schema.json").toFile());
    assertThat(schema.path("properties").path("logging").path("properties").path("level").path("enum"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactlyElementsOf(LogLevel.LEVELS);
  }

  /** slf4j-simple is configured when the first logger is made: OperatorMain must not make one when its class loads. */
  @Test
  void operatorMainHasNoStaticLogger() {
    assertThat(Arrays.stream(OperatorMain.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && Logger.class.isAssignableFrom(f.getType()))).isEmpty();
  }

  @Test
  void packagedDefaultsKeepNoisyLibrariesAtWarn() throws IOException {
    var p = new Properties();
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("src/main/resources/simplelogger.properties"))) {
      p.load(in);
    }
    assertThat(p.getProperty("org.slf4j.simpleLogger.log.io.fabric8")).isEqualTo("warn");
    assertThat(p.getProperty("org.slf4j.simpleLogger.log.org.apache.sshd")).isEqualTo("warn");
  }
}
