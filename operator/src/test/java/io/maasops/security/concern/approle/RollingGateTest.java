package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rolling rotation's gate and who holds a place by status (issue 19 item 11). */
class RollingGateTest {

    @Test
    void atMostMaxUnavailableRegionsHoldAPlaceAndAFreedPlaceIsTakenByTheNext() {
        RollingGate gate = new RollingGate();
        List<String> all = List.of("ns/a", "ns/b", "ns/c");
        assertThat(gate.enter("maas", "ns/a", 1, List.of(), all)).isEmpty();
        assertThat(gate.enter("maas", "ns/a", 1, List.of(), all))
                .as("holds it already")
                .isEmpty();
        assertThat(gate.enter("maas", "ns/b", 1, List.of(), all)).containsExactly("ns/a");
        assertThat(gate.enter("other", "ns/b", 1, List.of(), all))
                .as("another integration")
                .isEmpty();
        assertThat(gate.enter("maas", "ns/c", 2, List.of(), all))
                .as("maxUnavailable 2")
                .isEmpty();
        gate.leave("maas", "ns/a");
        gate.leave("maas", "ns/c");
        assertThat(gate.enter("maas", "ns/b", 1, List.of(), all)).isEmpty();
    }

    @Test
    void aPlaceRecordedOnlyInAStatusCountsAsAfterAnOperatorRestart() {
        RollingGate fresh = new RollingGate(); // a new process: nothing in memory
        List<String> all = List.of("ns/a", "ns/b");
        assertThat(fresh.enter("maas", "ns/b", 1, List.of("ns/a"), all)).containsExactly("ns/a");
    }

    @Test
    void aRegionThatIsGoneHoldsNoPlace() {
        RollingGate gate = new RollingGate();
        assertThat(gate.enter("maas", "ns/a", 1, List.of(), List.of("ns/a", "ns/b")))
                .isEmpty();
        // ns/a was deleted while it held its place (its clean-up never ran here): the cache no longer has it
        assertThat(gate.enter("maas", "ns/b", 1, List.of(), List.of("ns/b"))).isEmpty();
    }

    static VaultIntegration integration(String... allowedNamespaces) {
        VaultIntegration vi = Serialization.unmarshal("""
                apiVersion: security.maasops.io/v1alpha1
                kind: VaultIntegration
                metadata: {name: maas}
                spec:
                  vault: {address: "https://vault.example:8200"}
                """, VaultIntegration.class);
        var tenancy = new io.maasops.security.api.v1alpha1.TenancySettings();
        tenancy.setAllowedNamespaces(List.of(allowedNamespaces));
        vi.getSpec().setTenancy(tenancy);
        return vi;
    }

    static MaasRegion restarting(String namespace, String name, boolean restarting) {
        MaasRegion r = Serialization.unmarshal("""
                apiVersion: security.maasops.io/v1alpha1
                kind: MaasRegion
                metadata: {name: %s, namespace: %s}
                spec:
                  vaultIntegrationRef: {name: maas}
                  hostname: %s
                """.formatted(name, namespace, name), MaasRegion.class);
        MaasRegionStatus s = new MaasRegionStatus();
        s.setAppRole(new AppRoleStatus());
        if (restarting) {
            s.getAppRole().setRestartingSince("2026-01-01T00:00:00Z");
        }
        r.setStatus(s);
        return r;
    }

    @Test
    void aRegionInANamespaceTheIntegrationRefusesCannotStopTheRoll() {
        // a namespace author not admitted by spec.tenancy creates a region naming the integration, with a status
        // that claims a restart: it must not hold a place of the admitted regions' roll
        VaultIntegration vi = integration("maas");
        List<MaasRegion> peers = List.of(
                restarting("maas", "region-a", false),
                restarting("maas", "region-b", true),
                restarting("intruder", "region-x", true));
        assertThat(RollingRotation.holdersFromStatus(vi, "maas/region-a", peers))
                .containsExactly("maas/region-b");
        assertThat(RollingRotation.holdersFromStatus(vi, "maas/region-b", peers))
                .as("not itself")
                .isEmpty();
    }
}
