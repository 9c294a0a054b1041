package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the operator watching several namespaces (the chart's watchNamespaces), JOSDK runs one informer per
 * namespace for each secondary source and hands each the source's item store. The integration and the bindings
 * must see the regions of every watched namespace: an item store shared by those informers lost all but one
 * namespace's regions, as each informer's list removes from its store whatever that namespace did not list.
 */
class WatchedNamespacesTest {

    static final String A = "watched-a";
    static final String B = "watched-b";
    static KubeApiDouble api;

    @BeforeAll
    static void start() {
        api = KubeApiDouble.start();
        api.createNamespace(A);
        api.createNamespace(B);
        create("""
                apiVersion: security.maasops.io/v1alpha1
                kind: VaultIntegration
                metadata: {name: shared}
                spec:
                  tenancy: {allowedNamespaces: [%s, %s]}
                  vault:
                    address: https://vault.example:8200
                    auth:
                      kubernetes: {role: maas-security-operator}
                """.formatted(A, B), VaultIntegration.class);
        for (String ns : List.of(A, B)) {
            create("""
                    apiVersion: security.maasops.io/v1alpha1
                    kind: MaasRegion
                    metadata: {name: region, namespace: %s}
                    spec:
                      vaultIntegrationRef: {name: shared}
                      hostname: region-%s
                      installation: snap
                      access:
                        ssh:
                          host: region.maas.example
                          user: ubuntu
                          privateKeySecretRef: {name: region-ssh, key: id_ed25519}
                          knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
                    """.formatted(ns, ns), MaasRegion.class);
            create("""
                    apiVersion: security.maasops.io/v1alpha1
                    kind: RoleBinding
                    metadata: {name: auditors, namespace: %s}
                    spec:
                      maasRegionRef: {name: region}
                      role: Auditor
                      subjects:
                      - {kind: User, name: alice}
                      resourcePools: [production]
                    """.formatted(ns), RoleBinding.class);
        }
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void create(String yaml, Class<T> type) {
        api.client().resource(Serialization.unmarshal(yaml, type)).create();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theIntegrationAndTheBindingsSeeTheRegionsOfEveryWatchedNamespace() {
        var integrations = new IntegrationProbe();
        var bindings = new BindingProbe();
        Operator operator = new Operator(o -> o.withKubernetesClient(api.client())
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false));
        operator.register(integrations, o -> {});
        operator.register(bindings, o -> o.settingNamespaces(Set.of(A, B)));
        operator.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(integrations.regions.get("shared"))
                            .as("the integration's regions")
                            .containsExactlyInAnyOrder(A + "/region", B + "/region"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(bindings.regionFound)
                            .as("whether each binding found its region")
                            .isEqualTo(Map.of(A + "/auditors", true, B + "/auditors", true)));
        } finally {
            operator.stop();
        }
    }

    /** The integration controller's event sources; records the regions each reconcile saw. */
    static final class IntegrationProbe implements Reconciler<VaultIntegration> {
        final Map<String, Set<String>> regions = new ConcurrentHashMap<>();

        @Override
        public List<EventSource<?, VaultIntegration>> prepareEventSources(EventSourceContext<VaultIntegration> c) {
            return EventSources.forIntegrations(c, Set.of(A, B));
        }

        @Override
        public UpdateControl<VaultIntegration> reconcile(VaultIntegration vi, Context<VaultIntegration> c) {
            regions.put(
                    vi.getMetadata().getName(),
                    c.getSecondaryResources(MaasRegion.class).stream()
                            .map(r -> r.getMetadata().getNamespace() + "/"
                                    + r.getMetadata().getName())
                            .collect(Collectors.toSet()));
            return UpdateControl.noUpdate();
        }
    }

    /** The RoleBinding controller's event sources; records whether each binding's reconcile saw its region. */
    static final class BindingProbe implements Reconciler<RoleBinding> {
        final Map<String, Boolean> regionFound = new ConcurrentHashMap<>();

        @Override
        public List<EventSource<?, RoleBinding>> prepareEventSources(EventSourceContext<RoleBinding> c) {
            return EventSources.forRoleBindings(c).all();
        }

        @Override
        public UpdateControl<RoleBinding> reconcile(RoleBinding b, Context<RoleBinding> c) {
            regionFound.put(
                    b.getMetadata().getNamespace() + "/" + b.getMetadata().getName(),
                    c.getSecondaryResource(MaasRegion.class).isPresent());
            return UpdateControl.noUpdate();
        }
    }
}
