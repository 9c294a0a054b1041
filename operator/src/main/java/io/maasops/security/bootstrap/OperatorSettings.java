package io.maasops.security.bootstrap;

import io.maasops.security.contract.RetryDelays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Operator-wide settings (flags and environment variables of {@link OperatorMain}).
 *
 * @param namespaces namespaces to watch for MaasRegions and RoleBindings; empty means all namespaces
 *     (VaultIntegrations are cluster-scoped and always watched cluster-wide)
 * @param leaderElection whether to elect a leader through a Lease before reconciling
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease (the operator's own)
 * @param httpPort port of /healthz, /readyz and /metrics; 0 picks a free port
 * @param reconcileThreads concurrent reconciliations
 * @param exitOnLostLeadership exit the process when leadership is lost (true in production)
 * @param maxReconcileBackoff cap of the retry backoff after unexpected errors
 * @param watchLabelledSecrets watch Secrets labelled security.maasops.io/watched=true (needs list and
 *     watch on Secrets), so a renewed certificate is seen at once rather than at the next check
 * @param clusterResourceNamespace where the Secrets a cluster-scoped VaultIntegration names (Vault
 *     token, Vault CA) are read from: the operator's own namespace, which only the admin controls
 * @param vaultTokenPath the projected service-account token (audience vault) the operator logs in
 *     to Vault with when a VaultIntegration uses Kubernetes auth
 * @param shutdownTimeout on stop, how long running reconciles may take to finish before they are
 *     interrupted (zero: interrupted at once)
 * @param retries how soon expected failures are looked at again (retry floor and cap, missing
 *     references, config-file checks); tests shorten them, as JOSDK waits in real time
 */
public record OperatorSettings(
        Set<String> namespaces,
        boolean leaderElection,
        String leaseName,
        String leaseNamespace,
        int httpPort,
        int reconcileThreads,
        boolean exitOnLostLeadership,
        Duration maxReconcileBackoff,
        boolean watchLabelledSecrets,
        String clusterResourceNamespace,
        Path vaultTokenPath,
        Duration shutdownTimeout,
        RetryDelays retries) {

    /** Where the chart mounts the projected token with audience "vault". */
    public static final Path DEFAULT_VAULT_TOKEN_PATH = Path.of("/var/run/secrets/vault/token");

    /** Running reconciles get this long to finish after SIGTERM (env SHUTDOWN_TIMEOUT): below the Lease's 15 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** Defaults whose running reconciles are interrupted at once on stop (tests, the sandbox); OperatorMain sets its own. */
    public static OperatorSettings defaults() {
        return new OperatorSettings(
                Set.of(),
                true,
                "maas-security-operator",
                "default",
                8080,
                10,
                true,
                Duration.ofMinutes(5),
                false,
                "default",
                DEFAULT_VAULT_TOKEN_PATH,
                Duration.ZERO,
                RetryDelays.DEFAULTS);
    }

    public OperatorSettings withNamespaces(Set<String> ns) {
        return new OperatorSettings(
                ns,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withLeaderElection(boolean on, String leaseNs, boolean exitOnLost) {
        return new OperatorSettings(
                namespaces,
                on,
                leaseName,
                leaseNs,
                httpPort,
                reconcileThreads,
                exitOnLost,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withWatchLabelledSecrets(boolean on) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                on,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withHttpPort(int port) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                port,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withReconcileThreads(int threads, Duration maxBackoff) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                threads,
                exitOnLostLeadership,
                maxBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withClusterResourceNamespace(String ns) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                ns,
                vaultTokenPath,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withVaultTokenPath(Path path) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                path,
                shutdownTimeout,
                retries);
    }

    public OperatorSettings withShutdownTimeout(Duration timeout) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                timeout,
                retries);
    }

    public OperatorSettings withRetries(RetryDelays delays) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                leaseName,
                leaseNamespace,
                httpPort,
                reconcileThreads,
                exitOnLostLeadership,
                maxReconcileBackoff,
                watchLabelledSecrets,
                clusterResourceNamespace,
                vaultTokenPath,
                shutdownTimeout,
                delays);
    }
}
