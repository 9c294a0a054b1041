package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import org.junit.jupiter.api.Test;

/**
 * The object a status patch is sent through: only what the URL needs, so fabric8's deep copy of it (made on every
 * patch with a string body) costs nothing, and nothing of the reconciled object travels with it.
 */
class StatusRecorderNamedTest {

    @Test
    void aRegionsPatchTargetHasItsKindNameAndNamespaceOnly() {
        MaasRegion full = MaasRegionControllerFastTest.region(3);
        full.getMetadata().setResourceVersion("42");

        MaasRegion named = StatusRecorder.named(full);

        assertThat(named).isNotSameAs(full).isInstanceOf(MaasRegion.class);
        assertThat(named.getApiVersion()).isEqualTo(full.getApiVersion());
        assertThat(named.getKind()).isEqualTo("MaasRegion");
        assertThat(named.getMetadata().getName()).isEqualTo("region-a");
        assertThat(named.getMetadata().getNamespace()).isEqualTo("tenant");
        assertThat(named.getMetadata().getResourceVersion()).isNull();
        assertThat(named.getSpec()).isNull();
        assertThat(named.getStatus()).isNull();
    }

    @Test
    void aClusterScopedIntegrationHasNoNamespace() {
        VaultIntegration named = StatusRecorder.named(MaasRegionControllerFastTest.integration());

        assertThat(named.getMetadata().getName()).isEqualTo("maas");
        assertThat(named.getMetadata().getNamespace()).isNull();
        assertThat(named.getSpec()).isNull();
    }
}
