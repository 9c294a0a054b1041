package io.maasops.security.bootstrap;

import java.time.Duration;
import java.util.Set;

/**
 * Operator-wide settings (flags and environment variables of {@link OperatorMain}).
 *
 * @param namespaces namespaces to watch; empty means all namespaces
 * @param leaderElection whether to elect a leader through a Lease before reconciling
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease (the operator's own)
 * @param httpPort port of /healthz, /readyz and /metrics; 0 picks a free port
 * @param reconcileThreads concurrent reconciliations
 * @param exitOnLostLeadership exit the process when leadership is lost (true in production)
 * @param maxReconcileBackoff cap of the retry backoff after unexpected errors
 * @param watchLabelledSecrets watch Secrets labelled security.maasops.io/watched=true (needs list and
 *     watch on Secrets), so a renewed certificate is seen at once rather than at the next check
 * @param shutdownTimeout on stop, how long running reconciles may take to finish before they are
 *     interrupted (zero: interrupted at once)
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
    Duration shutdownTimeout) {

  /** Running reconciles get this long to finish after SIGTERM (env SHUTDOWN_TIMEOUT): below the Lease's 15 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  /** Settings whose running reconciles are interrupted at once on stop (tests, the sandbox). */
  public OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseName, String leaseNamespace, int httpPort,
                          int reconcileThreads, boolean exitOnLostLeadership, Duration maxReconcileBackoff, boolean watchLabelledSecrets) {
    this(namespaces, leaderElection, leaseName, leaseNamespace, httpPort, reconcileThreads, exitOnLostLeadership, maxReconcileBackoff,
        watchLabelledSecrets, Duration.ZERO);
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), true, "maas-security-operator", "default", 8080, 10, true, Duration.ofMinutes(5), false);
  }

  public OperatorSettings withNamespaces(Set<String> ns) {
    return new OperatorSettings(ns, leaderElection, leaseName, leaseNamespace, httpPort, reconcileThreads, exitOnLostLeadership, maxReconcileBackoff, watchLabelledSecrets, shutdownTimeout);
  }

  public OperatorSettings withLeaderElection(boolean on, String leaseNs, boolean exitOnLost) {
    return new OperatorSettings(namespaces, on, leaseName, leaseNs, httpPort, reconcileThreads, exitOnLost, maxReconcileBackoff, watchLabelledSecrets, shutdownTimeout);
  }

  public OperatorSettings withWatchLabelledSecrets(boolean on) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, httpPort, reconcileThreads, exitOnLostLeadership, maxReconcileBackoff, on, shutdownTimeout);
  }

  public OperatorSettings withShutdownTimeout(Duration timeout) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, httpPort, reconcileThreads, exitOnLostLeadership, maxReconcileBackoff, watchLabelledSecrets, timeout);
  }

  public OperatorSettings withHttpPort(int port) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, port, reconcileThreads, exitOnLostLeadership, maxReconcileBackoff, watchLabelledSecrets, shutdownTimeout);
  }
}
