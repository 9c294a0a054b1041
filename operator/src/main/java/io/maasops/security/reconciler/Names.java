package io.maasops.security.reconciler;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.validation.SafeValues;

/** Names the operator gives to what it creates in Vault. */
public final class Names {

  private Names() {}

  /** spec.policyName, or maas-<namespace>-<name>. */
  public static String policyName(VaultIntegration vi) {
    String explicit = vi.getSpec().getPolicyName();
    String name = explicit == null || explicit.isEmpty()
        ? "maas-" + vi.getMetadata().getNamespace() + "-" + vi.getMetadata().getName() : explicit;
    return SafeValues.requireSafeName("policy name", name);
  }

  /** maas-<namespace>-<region>: one AppRole per region controller, as MAAS's docs recommend. */
  public static String roleName(MaasRegion region) {
    return SafeValues.requireSafeName("role name", "maas-" + region.getMetadata().getNamespace() + "-" + region.getMetadata().getName());
  }
}
