package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateMetricsTest {

    @Test
    void gaugePerRegionAndSourceAndRemoval() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CertificateMetrics metrics = new CertificateMetrics(new OperatorMetrics(registry));
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        Instant notAfter = now.plus(Duration.ofDays(12).plusHours(5));
        metrics.record("maas", "region-a", "secret", CertificateEvaluator.evaluate(notAfter, now, 30));
        metrics.record("maas", "region-a", "endpoint", CertificateEvaluator.evaluate(now.minusSeconds(5), now, 30));

        var secret = registry.get(CertificateMetrics.EXPIRY)
                .tag("source", "secret")
                .tag("kind", "MaasRegion")
                .tag("namespace", "maas")
                .tag("name", "region-a");
        assertThat(secret.gauge().value()).isEqualTo(notAfter.getEpochSecond());
        assertThat(registry.get(CertificateMetrics.EXPIRY)
                        .tag("source", "endpoint")
                        .gauge()
                        .value())
                .isEqualTo(now.minusSeconds(5).getEpochSecond());

        // a later check updates the same series
        Instant renewed = notAfter.plus(Duration.ofDays(90));
        metrics.record(
                "maas", "region-a", "secret", CertificateEvaluator.evaluate(renewed, now.plus(Duration.ofDays(2)), 30));
        assertThat(registry.get(CertificateMetrics.EXPIRY)
                        .tag("source", "secret")
                        .gauges())
                .hasSize(1);
        assertThat(registry.get(CertificateMetrics.EXPIRY)
                        .tag("source", "secret")
                        .gauge()
                        .value())
                .isEqualTo(renewed.getEpochSecond());

        metrics.remove("maas", "region-a", "endpoint");
        assertThat(registry.find(CertificateMetrics.EXPIRY)
                        .tag("source", "endpoint")
                        .gauge())
                .isNull();
        assertThat(registry.find(CertificateMetrics.EXPIRY)
                        .tag("source", "secret")
                        .gauge())
                .isNotNull();
        metrics.remove("maas", "region-a", null);
        assertThat(registry.find(CertificateMetrics.EXPIRY).gauges()).isEmpty();
    }
}
