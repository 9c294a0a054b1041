package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.contract.RegionReadiness;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** What the migration reads of the integration's regions. Pure. */
final class MigrationRegions {

    private MigrationRegions() {}

    static MigrationDecision.Regions state(ConditionValue regionsConfigured) {
        if (regionsConfigured.ok()) {
            return MigrationDecision.Regions.ALL_CONFIGURED;
        }
        return Reason.REGIONS_PENDING.value().equals(regionsConfigured.reason())
                        || Reason.REGIONS_UNCONFIGURED.value().equals(regionsConfigured.reason())
                ? MigrationDecision.Regions.UNCONFIGURED
                : MigrationDecision.Regions.NOT_CONFIRMED;
    }

    /** MAAS's unconfigured list (from its last `config-vault status`) plus declared regions not configured yet, sorted. */
    static List<String> unconfiguredNames(VaultIntegrationStatus status, Collection<MaasRegion> regions) {
        TreeSet<String> names = new TreeSet<>();
        if (status.getRegions() != null && status.getRegions().getUnconfigured() != null) {
            names.addAll(status.getRegions().getUnconfigured());
        }
        for (MaasRegion r : regions) {
            if (r.getMetadata().getDeletionTimestamp() == null && !RegionReadiness.vaultConfigured(r)) {
                names.add(r.getSpec().getHostname());
            }
        }
        return new ArrayList<>(names);
    }

    /** The region the command runs on: the one of the last attempt if still configured, else the first by name. */
    static Optional<MaasRegion> target(Collection<MaasRegion> regions, String previousHost) {
        List<MaasRegion> configured = regions.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null && RegionReadiness.vaultConfigured(r))
                .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
                .toList();
        return configured.stream()
                .filter(r -> r.getSpec().getHostname().equals(previousHost))
                .findFirst()
                .or(() -> configured.stream().findFirst());
    }
}
