package io.maasops.security.metrics;

import io.maasops.security.util.CallTiming;
import io.maasops.security.vault.VaultRequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's own metrics (JOSDK adds operator.sdk.* beside them, see {@link ResourceMetrics}).
 * Names follow Prometheus' rules once exported (dots become underscores, a unit and _total are
 * appended): the list is in the README. Labels carry identifiers from bounded sets only; a resource is
 * always {@code kind}, {@code namespace}, {@code name} ({@link ResourceKey}).
 */
public final class OperatorMetrics implements VaultRequestListener {

    public static final String BUILD_INFO = "maasops.build.info";
    public static final String VAULT_REQUESTS = "maasops.vault.requests";
    public static final String VAULT_LOGINS = "maasops.vault.logins";
    /** Histograms ({@code _duration_seconds}) of every HTTP request to Vault and the MAAS API and every region command. */
    public static final String VAULT_REQUEST_DURATION = "maasops.vault.request.duration";

    public static final String MAAS_API_REQUEST_DURATION = "maasops.maas.api.request.duration";
    public static final String REGION_COMMAND_DURATION = "maasops.region.command.duration";
    public static final String REGIONS_CONFIGURED = "maasops.regions.configured";
    public static final String REGIONS_DECLARED = "maasops.regions.declared";
    public static final String CONFIG_FILES_NONCOMPLIANT = "maasops.configfiles.noncompliant";

    /** Which kind a per-resource gauge set through {@link #gauge} describes (data, one line per metric). */
    private static final Map<String, String> KIND_OF = Map.of(
            REGIONS_CONFIGURED, "VaultIntegration",
            REGIONS_DECLARED, "VaultIntegration",
            CONFIG_FILES_NONCOMPLIANT, "MaasRegion");

    /** Bucket bounds of the duration histograms: a loopback call to a few minutes of `maas config-vault migrate`. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)
    };

    private final MeterRegistry registry;
    private final ResourceSeries resources;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.resources = new ResourceSeries(registry);
        registry.config().meterFilter(JosdkMetricNames.CONTROLLER_AS_LABEL);
        Gauge.builder(BUILD_INFO, () -> 1)
                .description("The operator's version and Java runtime (always 1)")
                .tags(Tags.of(
                        "version",
                        BuildInfo.version(),
                        "java_version",
                        Runtime.version().toString()))
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The per-resource series: removed with their resource by {@link ResourceMetrics}. */
    public ResourceSeries resources() {
        return resources;
    }

    @Override
    public void onRequest(String operation, String outcome) {
        Counter.builder(VAULT_REQUESTS)
                .description("Vault operations of the operator, by classified outcome")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    @Override
    public void onLogin(String method, String outcome) {
        Counter.builder(VAULT_LOGINS)
                .description("Operator logins to Vault")
                .tag("method", method)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    @Override
    public CallTiming httpTiming() {
        return timing(VAULT_REQUEST_DURATION, "HTTP requests to Vault", Tags.empty());
    }

    /** Timing of MAAS API requests ({@code operation} is e.g. {@code GET users/?op=whoami}). */
    public CallTiming maasApiCalls() {
        return timing(MAAS_API_REQUEST_DURATION, "HTTP requests to the MAAS API", Tags.empty());
    }

    /** Timing of commands on region controllers, reached by {@code access} ("ssh" or "pod"). */
    public CallTiming regionCommands(String access) {
        return timing(REGION_COMMAND_DURATION, "Commands run on MAAS region controllers", Tags.of("access", access));
    }

    private CallTiming timing(String name, String description, Tags tags) {
        return (operation, outcome, nanos) -> Timer.builder(name)
                .description(description)
                .tags(tags)
                .tag("operation", operation)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /**
     * Sets a per-resource gauge: {@code name} is one of this class's per-resource metrics, {@code namespace}
     * empty for a VaultIntegration. Removed with the resource.
     */
    public void gauge(String name, String description, String namespace, String resource, int value) {
        String kind = KIND_OF.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("not a per-resource metric: " + name);
        }
        resources.set(name, description, null, new ResourceKey(kind, namespace, resource), Tags.empty(), value);
    }
}
