package io.maasops.security.bench;

import java.util.Set;

/**
 * Which of VaultGateway's operations (the {@code operation} tag of maasops.vault.requests) change
 * Vault's state. Lookups that Vault serves as POST (wrapping lookup, accessor lookup, login) are
 * reads here: they change nothing an operator would call a write.
 */
public final class VaultOperations {

    /** ensure_* are counted as writes although they only write when the mount is missing (a read otherwise). */
    static final Set<String> WRITES = Set.of(
            "ensure_approle_auth",
            "ensure_kv2_mount",
            "write_policy",
            "delete_policy",
            "write_role",
            "delete_role",
            "create_wrapped_secret_id",
            "destroy_secret_id",
            "kv_write",
            "kv_delete");

    /**
     * What the VaultIntegration does once per integration, whatever the number of regions (checks,
     * mounts, MAAS's policy): a fixed cost, reported beside the per-region figure.
     */
    static final Set<String> INTEGRATION_SET_UP = Set.of(
            "health",
            "seal_status",
            "ensure_approle_auth",
            "ensure_kv2_mount",
            "read_policy",
            "write_policy",
            "list_roles",
            // the policy check: is spec.policyName one of the operator's own policies? (issue 16)
            "token_lookup_self");

    private VaultOperations() {}

    public static boolean isIntegrationSetUp(String operation) {
        return INTEGRATION_SET_UP.contains(operation);
    }

    static boolean isWrite(String operation) {
        return WRITES.contains(operation);
    }
}
