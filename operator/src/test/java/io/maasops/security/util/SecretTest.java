package io.maasops.security.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void neverPrintsItsValue() {
        Secret s = Secret.of("hvs.very-secret");
        assertThat(s.toString()).isEqualTo("<redacted>");
        assertThat(String.valueOf(s)).doesNotContain("very-secret");
        assertThat(s.reveal()).isEqualTo("hvs.very-secret");
        assertThat(s).isEqualTo(Secret.of("hvs.very-secret")).hasSameHashCodeAs(Secret.of("hvs.very-secret"));
    }
}
