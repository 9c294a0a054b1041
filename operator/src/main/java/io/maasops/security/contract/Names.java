package io.maasops.security.contract;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.validation.SafeValues;

/**
 * Names the operator gives to what it creates in Vault, derived only from a resource's own identity
 * (never from its status, which whoever may update status could rewrite).
 */
public final class Names {

    /** The AppRole auth method MAAS logs in with: auth/approle/login, fixed in MAAS (no setting for another mount). */
    public static final String APPROLE_MOUNT = "approle";

    /** Every AppRole the operator creates starts with this; the operator's Vault policy is limited to it. */
    public static final String ROLE_PREFIX = "maas_";

    /** Default spec.policyName. */
    public static final String DEFAULT_POLICY = "maas-region";

    private Names() {}

    /** spec.policyName, or {@link #DEFAULT_POLICY}. */
    public static String policyName(VaultIntegration vi) {
        String explicit = vi.getSpec().getPolicyName();
        String name = explicit == null || explicit.isEmpty() ? DEFAULT_POLICY : explicit;
        return SafeValues.requireSafeName("policy name", name);
    }

    /**
     * maas_&lt;namespace&gt;_&lt;region&gt;: one AppRole per region controller, as MAAS's docs recommend.
     * Injective: "_" cannot occur in Kubernetes namespace or object names, so no two MaasRegions
     * map to one role (with "-" as the separator, namespace a-b/name c and a/b-c did).
     */
    public static String roleName(MaasRegion region) {
        return roleName(
                region.getMetadata().getNamespace(), region.getMetadata().getName());
    }

    public static String roleName(String namespace, String name) {
        if (namespace == null || name == null || namespace.contains("_") || name.contains("_")) {
            throw new IllegalArgumentException("not a Kubernetes namespace/name: " + namespace + "/" + name);
        }
        String role = ROLE_PREFIX + namespace + "_" + name;
        if (!SafeValues.isRoleName(role)) {
            throw new IllegalArgumentException("role name '" + role + "' is not a safe name");
        }
        return role;
    }
}
