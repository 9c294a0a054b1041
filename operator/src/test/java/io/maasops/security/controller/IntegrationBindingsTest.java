package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.maasops.security.api.v1alpha1.LocalObjectRef;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The posture's Access check counts only the bindings on the integration's (tenancy-allowed) regions. */
class IntegrationBindingsTest {

    static MaasRegion region(String ns, String name) {
        MaasRegion r = new MaasRegion();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        return r;
    }

    static RoleBinding binding(String ns, String name, String region) {
        RoleBinding b = new RoleBinding();
        b.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        RoleBindingSpec spec = new RoleBindingSpec();
        LocalObjectRef ref = new LocalObjectRef();
        ref.setName(region);
        spec.setMaasRegionRef(ref);
        b.setSpec(spec);
        return b;
    }

    @Test
    void aBindingInAnotherNamespaceOrOnAnotherRegionDoesNotCount() {
        var ours = binding("maas", "ops", "region-a");
        // a tenant's binding naming a region of the same name in its own (refused) namespace
        var tenant = binding("tenant", "ops", "region-a");
        var other = binding("maas", "x", "region-b");
        assertThat(IntegrationBindings.on(List.of(region("maas", "region-a")), List.of(ours, tenant, other)))
                .containsExactly(ours);
    }
}
