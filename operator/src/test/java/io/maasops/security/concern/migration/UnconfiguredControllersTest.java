package io.maasops.security.concern.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.maasops.security.api.v1alpha1.MaasApiSpec;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.SecretKeyRef;
import io.maasops.security.api.v1alpha1.TenancySettings;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationSpec;
import io.maasops.security.maas.MaasController;
import io.maasops.security.testing.fakes.FakePorts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migration asks a declared region's {@code spec.api} which unconfigured controllers are rack-only. That URL and
 * key are a namespace author's: the integration's tenancy must be checked before either is used, as for the region's
 * own MAAS API calls.
 */
class UnconfiguredControllersTest {

    private final FakePorts ports = new FakePorts().secret("team-a", "maas-key", "key", "c:t:s");
    private final UnconfiguredControllers controllers = new UnconfiguredControllers(ports);

    @Test
    void aRegionsApiOutsideTheAllowedUrlsIsNeitherReadNorCalled() {
        ports.maas.rackControllers.add(new MaasController("abc123", "rack-1", MaasController.RACK_CONTROLLER));
        VaultIntegration vi = integration(List.of("https://maas.example:5443/MAAS"));
        MaasRegion region = region("https://attacker.example/MAAS");

        SecretMigration.Result result =
                controllers.blocked(vi, new MigrationStatus(), List.of("rack-1"), List.of(region));

        assertThat(result.condition().reason()).isEqualTo("Blocked");
        assertThat(result.condition().message())
                .contains("rack-1: no MaasRegion declares it")
                .contains("MaasRegion region-a spec.api is refused")
                .doesNotContain("rack-only controller (MAAS API");
        assertThat(ports.maas.calls).isEmpty();
        assertThat(ports.secretReads).isEmpty();
    }

    @Test
    void aRegionsApiWithinTheAllowedUrlsTellsRackOnlyControllersApart() {
        ports.maas.rackControllers.add(new MaasController("abc123", "rack-1", MaasController.RACK_CONTROLLER));
        VaultIntegration vi = integration(List.of("https://maas.example:5443/MAAS"));
        MaasRegion region = region("https://maas.example:5443/MAAS");

        SecretMigration.Result result =
                controllers.blocked(vi, new MigrationStatus(), List.of("rack-1"), List.of(region));

        assertThat(result.condition().reason()).isEqualTo("RackOnlyController");
        assertThat(ports.maas.calls).containsExactly("listRackControllers");
        assertThat(ports.secretReads).containsExactly("team-a/maas-key");
    }

    @Test
    void aRegionBeingDeletedIsNotAsked() {
        VaultIntegration vi = integration(List.of());
        MaasRegion region = region("https://maas.example:5443/MAAS");
        region.getMetadata().setDeletionTimestamp("2026-12-04T00:00:00Z");

        SecretMigration.Result result =
                controllers.blocked(vi, new MigrationStatus(), List.of("rack-1"), List.of(region));

        assertThat(result.condition().message()).contains("set spec.api on a MaasRegion");
        assertThat(ports.maas.calls).isEmpty();
    }

    private static VaultIntegration integration(List<String> allowedMaasApiUrls) {
        TenancySettings tenancy = new TenancySettings();
        tenancy.setAllowedMaasApiUrls(allowedMaasApiUrls);
        VaultIntegrationSpec spec = new VaultIntegrationSpec();
        spec.setTenancy(tenancy);
        VaultIntegration vi = new VaultIntegration();
        vi.setMetadata(new ObjectMetaBuilder().withName("maas").build());
        vi.setSpec(spec);
        return vi;
    }

    private static MaasRegion region(String apiUrl) {
        SecretKeyRef key = new SecretKeyRef();
        key.setName("maas-key");
        key.setKey("key");
        MaasApiSpec api = new MaasApiSpec();
        api.setUrl(apiUrl);
        api.setApiKeySecretRef(key);
        MaasRegionSpec spec = new MaasRegionSpec();
        spec.setHostname("region-a");
        spec.setApi(api);
        MaasRegion r = new MaasRegion();
        r.setMetadata(new ObjectMetaBuilder()
                .withName("region-a")
                .withNamespace("team-a")
                .build());
        r.setSpec(spec);
        return r;
    }
}
