package io.maasops.security.reconciler;

import io.maasops.security.kube.EventRecorder;
import io.maasops.security.maas.MaasClients;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.reconciler.region.RecentRoleChecks;
import io.maasops.security.regionhost.SshConnectionPool;
import io.maasops.security.vault.VaultGateways;
import java.time.Clock;

/**
 * What the reconcilers share for the life of the process: connections and logins are reused
 * across reconciles (one Vault login per token lifetime, one SSH connection per controller).
 * {@code clusterResourceNamespace} is the operator's own namespace, where the Secrets of the
 * cluster-scoped VaultIntegrations live.
 */
public record Services(
    Clock clock,
    EventRecorder events,
    OperatorMetrics metrics,
    VaultGateways vaultGateways,
    SshConnectionPool sshPool,
    MaasClients maasClients,
    RecentRoleChecks roleChecks,
    String clusterResourceNamespace) implements AutoCloseable {

  @Override
  public void close() {
    sshPool.close();
  }
}
