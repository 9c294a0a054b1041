package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.contract.RegionReadiness;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which updates of one kind wake the reconciler of another (the filters on secondary informers). */
class EventFiltersTest {

    static MaasRegion region() {
        MaasRegion r = new MaasRegion();
        r.getMetadata().setName("region-a");
        r.getMetadata().setGeneration(1L);
        r.setStatus(new MaasRegionStatus());
        return r;
    }

    static MaasRegion with(MaasRegion r, java.util.function.Consumer<MaasRegion> change) {
        MaasRegion copy = Serialization.clone(r);
        change.accept(copy);
        return copy;
    }

    static void condition(MaasRegion r, String type, ConditionValue value) {
        r.getStatus()
                .setConditions(
                        Conditions.set(r.getStatus().getConditions(), value, 1, Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void theIntegrationWakesForWhatItReadsOfARegionOnly() {
        MaasRegion before = region();
        // bookkeeping the integration does not read: finalizer, a marker in status, Ready
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(
                                before,
                                r -> r.getMetadata()
                                        .setFinalizers(List.of("maasregions.security.maasops.io/finalizer"))),
                        before))
                .isFalse();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(
                                before,
                                r -> condition(
                                        r,
                                        "ConfigFilesSecure",
                                        ConditionValue.isTrue("ConfigFilesSecure", "Fixed", "ok"))),
                        before))
                .as("the posture reads the config files' verdict")
                .isTrue();
        // what it reads: spec, deletion, Vault conditions, the role
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(before, r -> r.getMetadata().setGeneration(2L)), before))
                .isTrue();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(before, r -> r.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z")), before))
                .isTrue();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(
                                before,
                                r -> r.getMetadata()
                                        .setAnnotations(java.util.Map.of(
                                                ReconcileRequestFilter.ANNOTATION, "2026-01-01T00:00:00Z"))),
                        before))
                .isTrue();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(
                                before,
                                r -> condition(
                                        r,
                                        ConditionType.VAULT_CONFIGURED.value(),
                                        ConditionValue.isTrue(
                                                ConditionType.VAULT_CONFIGURED.value(), "Configured", "ok"))),
                        before))
                .isTrue();
        MaasRegion sealed = with(
                before,
                r -> condition(
                        r,
                        ConditionType.APPROLE_PROVISIONED.value(),
                        ConditionValue.isFalse(ConditionType.APPROLE_PROVISIONED.value(), "VaultSealed", "sealed")));
        assertThat(RegionReadiness.changeMattersToIntegration(sealed, before)).isTrue();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(
                                sealed,
                                r -> condition(
                                        r,
                                        ConditionType.APPROLE_PROVISIONED.value(),
                                        ConditionValue.isFalse(
                                                ConditionType.APPROLE_PROVISIONED.value(),
                                                "VaultSealed",
                                                "still sealed, new message"))),
                        sealed))
                .isFalse();
        assertThat(RegionReadiness.changeMattersToIntegration(
                        with(before, r -> {
                            AppRoleStatus a = new AppRoleStatus();
                            a.setRoleName("maas-ns-region-a");
                            a.setRoleId("id-1");
                            r.getStatus().setAppRole(a);
                        }),
                        before))
                .isTrue();
    }
}
