package io.maasops.security.tls;

import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges per region and source: when the certificate expires (epoch seconds) and how many whole
 * days are left (floored as MAAS does). In Prometheus they are
 * {@code maasops_certificate_expiry_timestamp_seconds} and {@code maasops_certificate_days_remaining},
 * labelled {@code namespace}, {@code region}, {@code source}.
 */
public final class CertificateMetrics {

  public static final String EXPIRY = "maasops.certificate.expiry.timestamp";
  public static final String DAYS_REMAINING = "maasops.certificate.days.remaining";

  private record Key(String namespace, String region, String source) {}

  private record Values(AtomicLong expiry, AtomicLong days, List<Gauge> gauges) {}

  private final MeterRegistry registry;
  private final Map<Key, Values> values = new ConcurrentHashMap<>();

  public CertificateMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String namespace, String region, String source, Evaluation evaluation) {
    Values v = values.computeIfAbsent(new Key(namespace, region, source), this::register);
    v.expiry().set(evaluation.notAfter().getEpochSecond());
    v.days().set(evaluation.daysRemaining());
  }

  /** Drops the series of a source that is no longer configured (or of a deleted region when source is null). */
  public void remove(String namespace, String region, String source) {
    values.entrySet().removeIf(e -> {
      Key k = e.getKey();
      boolean match = k.namespace().equals(namespace) && k.region().equals(region)
          && (source == null || k.source().equals(source));
      if (match) {
        e.getValue().gauges().forEach(registry::remove);
      }
      return match;
    });
  }

  private Values register(Key k) {
    Tags tags = Tags.of("namespace", k.namespace(), "region", k.region(), "source", k.source());
    AtomicLong expiry = new AtomicLong();
    AtomicLong days = new AtomicLong();
    Gauge g1 = Gauge.builder(EXPIRY, expiry, AtomicLong::doubleValue)
        .baseUnit("seconds")
        .description("notAfter of the certificate, as a Unix timestamp")
        .tags(tags)
        .register(registry);
    Gauge g2 = Gauge.builder(DAYS_REMAINING, days, AtomicLong::doubleValue)
        .description("whole days until the certificate expires (floored like MAAS; <= 0 is expired)")
        .tags(tags)
        .register(registry);
    return new Values(expiry, days, List.of(g1, g2));
  }
}
