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
 * namespace. The integration and the bindings must see the regions of every watched namespace (an item store
 * shared by a source's informers once lost all but one namespace's regions, docs/reference/josdk.md §4), through
 * the MaasRegion controller's informers, which the three controllers share ({@link SharedRegions}).
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
            createRegion(ns, "region");
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

    static void createRegion(String namespace, String name) {
        create("""
                apiVersion: security.maasops.io/v1alpha1
                kind: MaasRegion
                metadata: {name: %s, namespace: %s}
                spec:
                  vaultIntegrationRef: {name: shared}
                  hostname: %s-%s
                  installation: snap
                  access:
                    ssh:
                      host: region.maas.example
                      user: ubuntu
                      privateKeySecretRef: {name: region-ssh, key: id_ed25519}
                      knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
                """.formatted(name, namespace, name, namespace), MaasRegion.class);
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
        try (var probes = Probes.start()) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.integrations.regions.get("shared"))
                            .as("the integration's regions")
                            .containsExactlyInAnyOrder(A + "/region", B + "/region"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.bindings.regionFound)
                            .as("whether each binding found its region")
                            .isEqualTo(Map.of(A + "/auditors", true, B + "/auditors", true)));
        }
    }

    @Test
    void theThreeControllersShareOneMaasRegionWatchPerNamespace() {
        api.resetRecordedAccess();
        try (var probes = Probes.start()) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.bindings.regionFound).hasSize(2));
            assertThat(regionRequests("list")).as("lists of MaasRegions").isEqualTo(2);
            assertThat(regionRequests("watch")).as("watches of MaasRegions").isEqualTo(2);
        }
    }

    @Test
    void theFirstReconcileOfTheIntegrationSeesEveryRegion() {
        try (var probes = Probes.start()) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.integrations.first.get("shared"))
                            .as("the regions the integration's first reconcile saw")
                            .containsExactlyInAnyOrder(A + "/region", B + "/region"));
        }
    }

    @Test
    void aRegionCreatedOrDeletedLaterWakesTheIntegrationAndItsBinding() {
        try (var probes = Probes.start()) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.integrations.regions.get("shared"))
                            .hasSize(2));
            createRegion(A, "later");
            try {
                laterRegionAndBinding(probes);
            } finally {
                api.client()
                        .resources(MaasRegion.class)
                        .inNamespace(A)
                        .withName("later")
                        .delete();
                api.client()
                        .resources(RoleBinding.class)
                        .inNamespace(A)
                        .withName("later-auditors")
                        .delete();
            }
        }
    }

    private static void laterRegionAndBinding(Probes probes) {
        create("""
                apiVersion: security.maasops.io/v1alpha1
                kind: RoleBinding
                metadata: {name: later-auditors, namespace: %s}
                spec:
                  maasRegionRef: {name: later}
                  role: Auditor
                  subjects:
                  - {kind: User, name: alice}
                  resourcePools: [production]
                """.formatted(A), RoleBinding.class);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(probes.integrations.regions.get("shared")).contains(A + "/later"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(probes.bindings.regionFound.get(A + "/later-auditors"))
                        .as("the binding found its region once it existed")
                        .isTrue());
        api.client()
                .resources(MaasRegion.class)
                .inNamespace(A)
                .withName("later")
                .delete();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(probes.integrations.regions.get("shared")).doesNotContain(A + "/later"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(probes.bindings.regionFound.get(A + "/later-auditors"))
                        .as("the binding saw its region gone")
                        .isFalse());
    }

    static long regionRequests(String verb) {
        return api.requestCounts().entrySet().stream()
                .filter(e -> "maasregions".equals(e.getKey().access().resource())
                        && verb.equals(e.getKey().access().verb()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The three controllers' production event sources on one operator, each with a recording reconciler. */
    record Probes(Operator operator, IntegrationProbe integrations, BindingProbe bindings) implements AutoCloseable {
        static Probes start() {
            var shared = new SharedRegions(Set.of(A, B));
            var probes = new Probes(
                    new Operator(o -> o.withKubernetesClient(api.client())
                            .withCloseClientOnStop(false)
                            .withUseSSAToPatchPrimaryResource(false)),
                    new IntegrationProbe(shared),
                    new BindingProbe(shared));
            probes.operator.register(probes.integrations, o -> {});
            probes.operator.register(new RegionProbe(shared), o -> o.settingNamespaces(Set.of(A, B)));
            probes.operator.register(probes.bindings, o -> o.settingNamespaces(Set.of(A, B)));
            probes.operator.start();
            return probes;
        }

        @Override
        public void close() {
            operator.stop();
        }
    }

    /** The MaasRegion controller's event sources, which share its informer. */
    static final class RegionProbe implements Reconciler<MaasRegion> {
        final SharedRegions shared;

        RegionProbe(SharedRegions shared) {
            this.shared = shared;
        }

        @Override
        public List<EventSource<?, MaasRegion>> prepareEventSources(EventSourceContext<MaasRegion> c) {
            return EventSources.forRegions(c, false, shared);
        }

        @Override
        public UpdateControl<MaasRegion> reconcile(MaasRegion r, Context<MaasRegion> c) {
            return UpdateControl.noUpdate();
        }
    }

    /** The integration controller's event sources; records the regions each reconcile saw. */
    static final class IntegrationProbe implements Reconciler<VaultIntegration> {
        final Map<String, Set<String>> regions = new ConcurrentHashMap<>();
        final Map<String, Set<String>> first = new ConcurrentHashMap<>();
        final SharedRegions shared;

        IntegrationProbe(SharedRegions shared) {
            this.shared = shared;
        }

        @Override
        public List<EventSource<?, VaultIntegration>> prepareEventSources(EventSourceContext<VaultIntegration> c) {
            return EventSources.forIntegrations(c, shared);
        }

        @Override
        public UpdateControl<VaultIntegration> reconcile(VaultIntegration vi, Context<VaultIntegration> c) {
            var seen = c.getSecondaryResources(MaasRegion.class).stream()
                    .map(r -> r.getMetadata().getNamespace() + "/"
                            + r.getMetadata().getName())
                    .collect(Collectors.toSet());
            first.putIfAbsent(vi.getMetadata().getName(), seen);
            regions.put(vi.getMetadata().getName(), seen);
            return UpdateControl.noUpdate();
        }
    }

    /** The RoleBinding controller's event sources; records whether each binding's reconcile saw its region. */
    static final class BindingProbe implements Reconciler<RoleBinding> {
        final Map<String, Boolean> regionFound = new ConcurrentHashMap<>();
        final SharedRegions shared;

        BindingProbe(SharedRegions shared) {
            this.shared = shared;
        }

        @Override
        public List<EventSource<?, RoleBinding>> prepareEventSources(EventSourceContext<RoleBinding> c) {
            return EventSources.forRoleBindings(c, shared);
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
