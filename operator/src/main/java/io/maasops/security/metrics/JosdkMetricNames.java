package io.maasops.security.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;

/**
 * JOSDK 5.2's Micrometer metrics put the controller's name into two gauge names
 * ({@code operator.sdk.reconciliations.executions.<controller>}, {@code ...queue.size.<controller>}),
 * so each controller is a metric of its own. This filter moves it into a {@code controller} label, as
 * JOSDK's own timers already have it: {@code operator_sdk_reconciliations_executions{controller="maasregion"}}.
 */
final class JosdkMetricNames {

    static final List<String> WITH_CONTROLLER_SUFFIX =
            List.of("operator.sdk.reconciliations.executions.", "operator.sdk.reconciliations.queue.size.");

    static final MeterFilter CONTROLLER_AS_LABEL = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            for (String prefix : WITH_CONTROLLER_SUFFIX) {
                if (id.getName().startsWith(prefix) && id.getName().length() > prefix.length()) {
                    return id.withName(prefix.substring(0, prefix.length() - 1))
                            .withTag(io.micrometer.core.instrument.Tag.of(
                                    "controller", id.getName().substring(prefix.length())));
                }
            }
            return id;
        }
    };

    private JosdkMetricNames() {}
}
