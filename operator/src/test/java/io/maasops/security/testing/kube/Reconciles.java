package io.maasops.security.testing.kube;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reconciliations of one kind as JOSDK's Micrometer metrics count them in the operator's own
 * registry ({@link OperatorExtension#registry()}): counters {@code operator.sdk.reconciliations.*}
 * tagged with the resource's {@code kind}. The only place tests read JOSDK's metric names.
 */
public final class Reconciles {

    private Reconciles() {}

    /** Reconciliations of {@code kind} (e.g. "MaasRegion") started so far. */
    public static long started(MeterRegistry registry, String kind) {
        return sum(registry, "operator.sdk.reconciliations.started", kind);
    }

    /** Reconciliations of {@code kind} that ended so far, normally or with an exception. */
    public static long ended(MeterRegistry registry, String kind) {
        return sum(registry, "operator.sdk.reconciliations.success", kind)
                + sum(registry, "operator.sdk.reconciliations.failed", kind);
    }

    private static long sum(MeterRegistry registry, String name, String kind) {
        return Math.round(registry.find(name).tag("kind", kind).counters().stream()
                .mapToDouble(Counter::count)
                .sum());
    }
}
