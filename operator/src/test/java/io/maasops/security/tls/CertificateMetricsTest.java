package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateMetricsTest {

  @Test
  void gaugesPerRegionAndSourceAndRemoval() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CertificateMetrics metrics = new CertificateMetrics(registry);
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    Instant notAfter = now.plus(Duration.ofDays(12).plusHours(5));
    metrics.record("maas", "region-a", "secret", CertificateEvaluator.evaluate(notAfter, now, 30));
    metrics.record("maas", "region-a", "endpoint", CertificateEvaluator.evaluate(now.minusSeconds(5), now, 30));

    assertThat(registry.get(CertificateMetrics.DAYS_REMAINING).tag("source", "secret").gauge().value()).isEqualTo(12);
    assertThat(registry.get(CertificateMetrics.EXPIRY).tag("source", "secret").gauge().value())
        .isEqualTo(notAfter.getEpochSecond());
    assertThat(registry.get(CertificateMetrics.DAYS_REMAINING).tag("source", "endpoint").gauge().value()).isEqualTo(-1);

    // a later check updates the same series
    metrics.record("maas", "region-a", "secret", CertificateEvaluator.evaluate(notAfter, now.plus(Duration.ofDays(2)), 30));
    assertThat(registry.get(CertificateMetrics.DAYS_REMAINING).tag("source", "secret").gauges()).hasSize(1);
    assertThat(registry.get(CertificateMetrics.DAYS_REMAINING).tag("source", "secret").gauge().value()).isEqualTo(10);

    metrics.remove("maas", "region-a", "endpoint");
    assertThat(registry.find(CertificateMetrics.DAYS_REMAINING).tag("source", "endpoint").gauge()).isNull();
    metrics.remove("maas", "region-a", null);
    assertThat(registry.getMeters()).isEmpty();
  }
}
