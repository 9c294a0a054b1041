package io.maasops.security.concern.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.RegionsSummary;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.migration.MigrationDecision.Regions;
import io.maasops.security.status.ConditionValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMigrationHelpersTest {

    static MaasRegion region(String name, boolean configured) {
        MaasRegion r = new MaasRegion();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        MaasRegionSpec spec = new MaasRegionSpec();
        spec.setHostname(name);
        r.setSpec(spec);
        MaasRegionStatus status = new MaasRegionStatus();
        status.setConditions(List.of(new ConditionBuilder()
                .withType("VaultConfigured")
                .withStatus(configured ? "True" : "False")
                .withReason("x")
                .build()));
        r.setStatus(status);
        return r;
    }

    @Test
    void regionsStateFollowsTheRegionsConfiguredCondition() {
        assertThat(MigrationRegions.state(ConditionValue.isTrue("RegionsConfigured", "AllConfigured", "")))
                .isEqualTo(Regions.ALL_CONFIGURED);
        assertThat(MigrationRegions.state(ConditionValue.isFalse("RegionsConfigured", "RegionsUnconfigured", "")))
                .isEqualTo(Regions.UNCONFIGURED);
        assertThat(MigrationRegions.state(ConditionValue.isFalse("RegionsConfigured", "RegionsPending", "")))
                .isEqualTo(Regions.UNCONFIGURED);
        assertThat(MigrationRegions.state(ConditionValue.unknown("RegionsConfigured", "MaasNotAsked", "")))
                .isEqualTo(Regions.NOT_CONFIRMED);
        assertThat(MigrationRegions.state(ConditionValue.isFalse("RegionsConfigured", "NoRegions", "")))
                .isEqualTo(Regions.NOT_CONFIRMED);
    }

    @Test
    void blockedNamesAreMaasListPlusDeclaredUnconfiguredSorted() {
        VaultIntegrationStatus status = new VaultIntegrationStatus();
        RegionsSummary summary = new RegionsSummary();
        summary.setUnconfigured(List.of("region-z", "region-c"));
        status.setRegions(summary);
        var names = MigrationRegions.unconfiguredNames(
                status, List.of(region("region-a", true), region("region-c", false), region("region-b", false)));
        assertThat(names).containsExactly("region-b", "region-c", "region-z");
    }

    @Test
    void targetPrefersTheRegionOfTheLastAttemptWhileItIsConfigured() {
        var regions = List.of(region("region-b", true), region("region-a", true), region("region-c", false));
        assertThat(MigrationRegions.target(regions, null))
                .get()
                .extracting(r -> r.getSpec().getHostname())
                .isEqualTo("region-a");
        assertThat(MigrationRegions.target(regions, "region-b"))
                .get()
                .extracting(r -> r.getSpec().getHostname())
                .isEqualTo("region-b");
        assertThat(MigrationRegions.target(regions, "region-c"))
                .get()
                .extracting(r -> r.getSpec().getHostname())
                .isEqualTo("region-a");
        assertThat(MigrationRegions.target(List.of(region("region-c", false)), null))
                .isEmpty();
    }
}
