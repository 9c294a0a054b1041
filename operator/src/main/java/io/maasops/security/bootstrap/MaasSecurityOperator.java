package io.maasops.security.bootstrap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.maasops.security.concern.approle.AppRoleConcern;
import io.maasops.security.concern.certificate.CertificateConcern;
import io.maasops.security.concern.files.ConfigFilesConcern;
import io.maasops.security.controller.MaasRegionController;
import io.maasops.security.controller.RoleBindingController;
import io.maasops.security.controller.SharedRegions;
import io.maasops.security.controller.VaultIntegrationController;
import io.maasops.security.kube.EventRecorder;
import io.maasops.security.kube.ServiceAccountToken;
import io.maasops.security.maas.MaasClients;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.metrics.ResourceMetrics;
import io.maasops.security.regionhost.SshConnectionPool;
import io.maasops.security.vault.VaultGateways;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Assembles the operator: the three reconcilers, leader election, metrics and retry policy. Used
 * by {@link OperatorMain}, the tests and the sandbox alike, so they all run the same wiring.
 */
public final class MaasSecurityOperator {

    /**
     * How long an unused SSH session to a region stays open. A reconcile runs all its commands within
     * seconds and periodic reconciles are minutes apart, so a longer pool only holds a socket, buffers
     * and an sshd process on the region per region (measured: the operator's heap at 1000 regions).
     */
    static final Duration SSH_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private MaasSecurityOperator() {}

    /** The operator with its ports; stopping the operator does not close them (see {@link ProductionPorts#close()}). */
    public record Assembly(Operator operator, ProductionPorts ports, GracefulStop graceful) {

        /**
         * The production stop: running reconciles get {@link OperatorSettings#shutdownTimeout()} to
         * finish, the Lease is released (leader election on), then the services are closed. Idempotent.
         */
        public void stop(KubernetesClient client) {
            boolean first = !graceful.stopping();
            graceful.stop(operator, client);
            if (first) {
                ports.close();
            }
        }

        /** The leader-election identity (the Lease's holderIdentity while this instance leads). */
        public String identity() {
            return graceful.identity();
        }
    }

    public static Operator create(
            KubernetesClient client, OperatorSettings settings, Clock clock, MeterRegistry registry) {
        return assemble(client, settings, clock, registry).operator();
    }

    public static Assembly assemble(
            KubernetesClient client, OperatorSettings settings, Clock clock, MeterRegistry registry) {
        // JOSDK's own rule (HOSTNAME: the pod's name), made explicit so that the Lease can be released by it
        String hostname = System.getenv("HOSTNAME");
        var graceful = new GracefulStop(
                settings,
                hostname == null || hostname.isBlank()
                        ? java.util.UUID.randomUUID().toString()
                        : hostname);
        var metrics = new OperatorMetrics(registry);
        var ports = new ProductionPorts(
                client,
                new VaultGateways(metrics, clock, new ServiceAccountToken(settings.vaultTokenPath())),
                new SshConnectionPool(Duration.ofSeconds(10), SSH_IDLE_TIMEOUT),
                new MaasClients(metrics.maasApiCalls()),
                new EventRecorder(client, clock),
                metrics,
                settings.clusterResourceNamespace());
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads())
                    .withCacheSyncTimeout(Duration.ofMinutes(2))
                    // on stop, running reconciles finish (JOSDK's default, zero, interrupts them at once)
                    .withReconciliationTerminationTimeout(settings.shutdownTimeout())
                    // JSON patches for status and finalizers instead of server-side apply, as the Flink
                    // operator does: identical behaviour on every API server (and on the test mock server).
                    .withUseSSAToPatchPrimaryResource(false)
                    // compare resourceVersions numerically so a late event for an older version (e.g. the
                    // mid-reconcile status write of an issued secret-id accessor) never replaces a newer cache entry
                    .withParseResourceVersions(true)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    // JOSDK's metrics without per-resource labels; the per-resource series are ours, removed with their
                    // resource
                    .withMetrics(new ResourceMetrics(
                            MicrometerMetrics.newMicrometerMetricsBuilder(registry)
                                    .notCollectingMetricsPerResource()
                                    .build(),
                            metrics));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                settings.leaseName())
                        .withLeaseNamespace(settings.leaseNamespace())
                        .withIdentity(graceful.identity())
                        // never JOSDK's System.exit: it deadlocks a stop run from a shutdown hook (see GracefulStop)
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(graceful.callbacks())
                        .build());
            }
        });
        // one MaasRegion informer, the region controller's, for all three controllers
        var regions = new SharedRegions(settings.namespaces());
        // cluster-scoped: watched cluster-wide whatever the namespaces; its regions only in the watched ones
        register(
                operator,
                new VaultIntegrationController(ports, metrics, clock, settings.retries(), regions),
                settings,
                false);
        // the region's concerns, in the order their conditions roll up into Ready
        var concerns = java.util.List.of(
                new io.maasops.security.concern.maasinstall.MaasVersionConcern(),
                new AppRoleConcern(),
                new ConfigFilesConcern(),
                new CertificateConcern());
        register(
                operator,
                new MaasRegionController(
                        ports, metrics, clock, settings.retries(), concerns, settings.watchLabelledSecrets(), regions),
                settings,
                true);
        register(operator, new RoleBindingController(ports, clock, settings.retries(), regions), settings, true);
        return new Assembly(operator, ports, graceful);
    }

    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
            Operator operator, Reconciler<R> reconciler, OperatorSettings settings, boolean namespaced) {
        // Capped exponential retry: an unexpected error backs off to maxReconcileBackoff, never a hot loop.
        var retry = new GenericRetry()
                .setInitialInterval(2000)
                .setIntervalMultiplier(2.0)
                .setMaxInterval(settings.maxReconcileBackoff().toMillis())
                .withoutMaxAttempts();
        operator.register(reconciler, o -> {
            o.withRetry(retry);
            if (namespaced && !settings.namespaces().isEmpty()) {
                o.settingNamespaces(settings.namespaces());
            }
        });
    }
}
