package io.maasops.security.regionhost;

import java.util.List;

/**
 * {@code maas config-vault status}: whether secrets live in Vault cluster-wide ({@code vault_enabled}) and,
 * when not, the hostnames of every controller MAAS knows that has no Vault configuration yet (including ones
 * no custom resource declares).
 */
public record VaultStatus(boolean enabled, List<String> unconfiguredRegions) {
    public VaultStatus {
        unconfiguredRegions = List.copyOf(unconfiguredRegions);
    }
}
