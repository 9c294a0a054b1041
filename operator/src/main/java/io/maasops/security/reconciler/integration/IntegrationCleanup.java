package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.DeletionPolicy;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.reconciler.Names;
import io.maasops.security.reconciler.Services;
import io.maasops.security.vault.VaultGateway;
import java.util.Collection;

/**
 * What deleting a VaultIntegration does in Vault, by spec.deletionPolicy. Retain: nothing (the
 * policy and any roles stay; MAAS keeps working). Delete: the MAAS policy and the roles (with their
 * secret-ids) of the regions that still refer to it. MAAS's migrated secrets are never deleted.
 */
public final class IntegrationCleanup {

  private final Services services;

  public IntegrationCleanup(Services services) {
    this.services = services;
  }

  /**
   * @return a message for an event
   * @throws io.maasops.security.vault.VaultException while Vault cannot do it (the finalizer stays; retried)
   */
  public String cleanup(VaultIntegration vi, Collection<MaasRegion> regions, KubernetesClient client) {
    if (vi.getSpec() == null || vi.getSpec().getDeletionPolicy() != DeletionPolicy.Delete) {
      return "deletionPolicy Retain: the Vault policy and roles were kept";
    }
    var lookup = IntegrationVault.gateway(vi, client, services);
    if (!lookup.found()) {
      return "deletionPolicy Delete, but Vault cannot be reached without credentials (" + lookup.message()
          + "): the Vault policy and roles were kept";
    }
    VaultGateway vault = lookup.gateway();
    String mount = vi.getSpec().getAppRole().getMountPath();
    int roles = 0;
    for (MaasRegion r : regions) {
      String role = r.getStatus() == null || r.getStatus().getAppRole() == null ? null : r.getStatus().getAppRole().getRoleName();
      if (role == null) {
        continue;
      }
      for (String accessor : vault.listSecretIdAccessors(mount, role)) {
        vault.destroySecretIdByAccessor(mount, role, accessor);
      }
      vault.deleteRole(mount, role);
      roles++;
    }
    String policy = Names.policyName(vi);
    vault.deletePolicy(policy);
    services.vaultGateways().forget(vi.getMetadata().getNamespace() + "/" + vi.getMetadata().getName());
    return "deletionPolicy Delete: removed Vault policy " + policy + " and " + roles + " region role(s); MAAS's secrets in Vault were kept";
  }
}
