package io.maasops.security.bootstrap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator process. Connects with the usual kubeconfig / in-cluster rules of the fabric8
 * client (KUBECONFIG, ~/.kube/config, or the pod's service account).
 */
@Command(
        name = "maas-security-operator",
        mixinStandardHelpOptions = true,
        description =
                "Kubernetes operator for MAAS security hardening (Vault AppRoles, secret migration, file permissions, certificate reminders, roles).")
public final class OperatorMain implements Callable<Integer> {

    // not a static field: no logger may exist before --log-level and --log-format are applied
    private Logger log;
    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    @Option(
            names = "--watch-namespaces",
            split = ",",
            defaultValue = "${env:WATCH_NAMESPACES:-}",
            description = "Comma-separated namespaces to watch; empty = all namespaces (env WATCH_NAMESPACES).")
    String[] watchNamespaces = new String[0];

    @Option(
            names = "--leader-election",
            negatable = true,
            defaultValue = "${env:LEADER_ELECTION:-true}",
            fallbackValue = "true",
            description = "Elect a leader through a Lease before reconciling (env LEADER_ELECTION, default true).")
    boolean leaderElection = true;

    @Option(
            names = "--lease-name",
            defaultValue = "${env:LEASE_NAME:-maas-security-operator}",
            description = "Lease name (env LEASE_NAME).")
    String leaseName;

    @Option(
            names = "--lease-namespace",
            defaultValue = "${env:POD_NAMESPACE:-}",
            description = "Lease namespace (env POD_NAMESPACE; default: the service account's namespace).")
    String leaseNamespace;

    @Option(
            names = "--http-port",
            defaultValue = "${env:HTTP_PORT:-8080}",
            description = "Port of /healthz, /readyz and /metrics (env HTTP_PORT).")
    int httpPort;

    @Option(
            names = "--reconcile-threads",
            defaultValue = "${env:RECONCILE_THREADS:-10}",
            description = "Concurrent reconciliations (env RECONCILE_THREADS).")
    int reconcileThreads;

    @Option(
            names = "--max-backoff",
            defaultValue = "${env:MAX_BACKOFF:-5m}",
            description = "Cap of the retry backoff after errors (env MAX_BACKOFF).")
    String maxBackoff;

    @Option(
            names = "--watch-labelled-secrets",
            negatable = true,
            defaultValue = "${env:WATCH_LABELLED_SECRETS:-false}",
            fallbackValue = "true",
            description =
                    "Watch Secrets labelled security.maasops.io/watched=true so certificate renewals are seen at once; "
                            + "needs list/watch on Secrets (env WATCH_LABELLED_SECRETS, default false: Secrets are only read by name).")
    boolean watchSecrets;

    @Option(
            names = "--cluster-resource-namespace",
            defaultValue = "${env:CLUSTER_RESOURCE_NAMESPACE:-}",
            description =
                    "Namespace of the Secrets that cluster-scoped VaultIntegrations name (Vault token, Vault CA); "
                            + "env CLUSTER_RESOURCE_NAMESPACE, default: the operator's own namespace.")
    String clusterResourceNamespace;

    @Option(
            names = "--vault-token-path",
            defaultValue = "${env:VAULT_SA_TOKEN_PATH:-/var/run/secrets/vault/token}",
            description =
                    "Projected service-account token (audience vault) used for Vault Kubernetes auth (env VAULT_SA_TOKEN_PATH).")
    String vaultTokenPath;

    @Option(
            names = "--log-level",
            defaultValue = "${env:LOG_LEVEL:-info}",
            description =
                    "trace, debug, info, warn or error (env LOG_LEVEL, default info); fabric8 and MINA SSHD stay at warn.")
    String logLevel;

    @Option(
            names = "--log-format",
            defaultValue = "${env:LOG_FORMAT:-text}",
            description =
                    "text or json: one JSON object per line with the reconciled resource's kind, namespace and name "
                            + "(env LOG_FORMAT, default text).")
    String logFormat;

    @Option(
            names = "--shutdown-timeout",
            defaultValue = "${env:SHUTDOWN_TIMEOUT:-10s}",
            description =
                    "After SIGTERM, how long running reconciles may take to finish before they are interrupted; keep it "
                            + "below the Lease's 15 s and the pod's terminationGracePeriodSeconds (env SHUTDOWN_TIMEOUT, default 10s).")
    String shutdownTimeout;

    @Option(
            names = "--retry-floor",
            defaultValue = "${env:RETRY_FLOOR:-5s}",
            description =
                    "Shortest wait before a failure that resolves outside the operator (sealed or unreachable Vault, a "
                            + "controller that is down) is retried; the wait then grows with how long it has lasted (env RETRY_FLOOR, default 5s).")
    String retryFloor;

    @Option(
            names = "--retry-cap",
            defaultValue = "${env:RETRY_CAP:-2m}",
            description = "Longest wait between such retries (env RETRY_CAP, default 2m).")
    String retryCap;

    @Option(
            names = "--missing-reference-recheck",
            defaultValue = "${env:MISSING_REFERENCE_RECHECK:-30s}",
            description =
                    "How often a resource whose Secret (or key) is missing looks for it again (env MISSING_REFERENCE_RECHECK, default 30s).")
    String missingReferenceRecheck;

    @Option(
            names = "--config-files-first-retry",
            defaultValue = "${env:CONFIG_FILES_FIRST_RETRY:-10s}",
            description = "First wait after a failed config-file check; it doubles with each failure, up to 5m "
                    + "(env CONFIG_FILES_FIRST_RETRY, default 10s).")
    String configFilesFirstRetry;

    @Option(
            names = "--secret-id-audit-interval",
            defaultValue = "${env:SECRET_ID_AUDIT_INTERVAL:-10m}",
            description = "How often each configured region's secret-ids in Vault (one LIST) and the AppRole its"
                    + " regiond.conf names (one command on the controller) are compared with what the operator recorded"
                    + " (env SECRET_ID_AUDIT_INTERVAL, default 10m).")
    String secretIdAuditInterval;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LogLevel.apply(logLevel);
        LogFormat.apply(logFormat);
        log = LoggerFactory.getLogger(OperatorMain.class);
        Set<String> namespaces = Arrays.stream(watchNamespaces)
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        String leaseNs = leaseNamespace == null || leaseNamespace.isBlank() ? ownNamespace() : leaseNamespace;
        String resourceNs = clusterResourceNamespace == null || clusterResourceNamespace.isBlank()
                ? ownNamespace()
                : clusterResourceNamespace;
        var settings = new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNs,
                httpPort,
                reconcileThreads,
                true,
                io.maasops.security.util.Durations.parse(maxBackoff),
                watchSecrets,
                resourceNs,
                Path.of(vaultTokenPath),
                io.maasops.security.util.Durations.parse(shutdownTimeout),
                retryDelays());
        KubernetesClient client = io.maasops.security.kube.OperatorKubernetesClient.configure(
                        new KubernetesClientBuilder())
                .build();
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var assembly = MaasSecurityOperator.assemble(client, settings, Clock.systemUTC(), registry);
        // after the operator's metrics: their meter filter must be configured before any meter exists
        ProcessMetrics.bindTo(registry);
        Operator operator = assembly.operator();
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (HealthServer health = new HealthServer(httpPort, operator, registry)) {
            // SIGTERM (a pod being stopped) and SIGINT: stop on this thread, then exit 0. Left to the JVM,
            // the signal would end the process with 143 after the shutdown hooks, which Kubernetes reports
            // as an error. Any other way out (System.exit, SIGHUP) still stops cleanly through the hook.
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopRequested.countDown());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> assembly.stop(client), "shutdown"));
            operator.start();
            log.info(
                    "started: namespaces={}, leaderElection={} (identity {}), http port {}",
                    namespaces.isEmpty() ? "all" : namespaces,
                    leaderElection,
                    assembly.identity(),
                    health.port());
            stopRequested.await();
            log.info("shutting down: running reconciles get up to {} to finish", settings.shutdownTimeout());
            assembly.stop(client);
        }
        client.close();
        log.info("stopped");
        return 0;
    }

    /** The retry flags as the operator's settings. */
    io.maasops.security.contract.RetryDelays retryDelays() {
        return new io.maasops.security.contract.RetryDelays(
                io.maasops.security.util.Durations.parse(retryFloor),
                io.maasops.security.util.Durations.parse(retryCap),
                io.maasops.security.util.Durations.parse(missingReferenceRecheck),
                io.maasops.security.util.Durations.parse(configFilesFirstRetry),
                io.maasops.security.util.Durations.parse(secretIdAuditInterval));
    }

    private static String ownNamespace() {
        try {
            return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
        } catch (Exception e) {
            return "default";
        }
    }
}
