package io.maasops.security.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void neverPrintsItsValue() {
    Secret s = Secret.of("s.hvs.very-secret-token");
    assertThat(s.toString()).isEqualTo("<redacted>");
    assertThat(String.valueOf(s)).doesNotContain("very-secret");
    assertThat("token=" + s).doesNotContain("very-secret");
    assertThat(s.reveal()).isEqualTo("s.hvs.very-secret-token");
  }
}
