package io.maasops.security.tls;

import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.metrics.ResourceKey;
import io.maasops.security.metrics.ResourceSeries;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.micrometer.core.instrument.Tags;

/**
 * One gauge per region and source: when the certificate expires, in Prometheus
 * {@code maasops_certificate_expiry_timestamp_seconds{kind="MaasRegion",namespace,name,source}} (days
 * left are {@code (that - time()) / 86400}). The series go with the source, or with the region.
 */
public final class CertificateMetrics {

    public static final String EXPIRY = "maasops.certificate.expiry.timestamp";
    static final String KIND = "MaasRegion";

    private final ResourceSeries series;

    public CertificateMetrics(OperatorMetrics metrics) {
        this.series = metrics.resources();
    }

    public void record(String namespace, String region, String source, Evaluation evaluation) {
        series.set(
                EXPIRY,
                "notAfter of the certificate, as a Unix timestamp",
                "seconds",
                new ResourceKey(KIND, namespace, region),
                Tags.of("source", source),
                evaluation.notAfter().getEpochSecond());
    }

    /** Drops the series of a source that is no longer configured (or every source of the region when source is null). */
    public void remove(String namespace, String region, String source) {
        series.remove(
                EXPIRY,
                new ResourceKey(KIND, namespace, region),
                t -> source == null
                        || t.stream()
                                .anyMatch(x -> x.getKey().equals("source")
                                        && x.getValue().equals(source)));
    }
}
