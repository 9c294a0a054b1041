package io.maasops.security.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.Access;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.RbacCoverage;
import io.maasops.security.testing.kube.RbacCoverage.Grant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's RBAC against what the operator really does: runs the operator (same wiring as
 * production, leader election on) against the API double, drives all three kinds to a status, and
 * checks every request the operator's client made is allowed by the rendered chart, and every
 * permission the chart grants is used or explained in {@link #NOT_EXERCISED}.
 *
 * <p>Whose requests: the operator runs on its own client whose User-Agent is
 * {@link KubeApiDouble#OPERATOR_USER_AGENT}; the test's setup uses another client, so its requests
 * (creating namespaces, Secrets, custom resources, polling status) are not counted.
 */
class ChartRbacCoverageTest {

    /** The chart as rendered for this test: pod exec on, so a pod-exec region runs under its rules. */
    static final Map<String, Object> CHART_VALUES =
            Map.of("podExec.enabled", "true", "podExec.namespaces[0]", ChartRbacCoverageTest.POD_NAMESPACE);

    /** The namespace of the pod-exec region: the only one the chart's pods/exec Role is in. */
    static final String POD_NAMESPACE = "maas-pods";

    /** The operator under the chart's RBAC (the API double refuses anything else with a 403). */
    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension(false, CHART_VALUES);

    /** The extension's operator's own namespace (its Lease, the VaultIntegrations' Secrets): the release namespace. */
    static final String LEASE_NAMESPACE = io.maasops.security.testing.MaasTestbed.OPERATOR_NAMESPACE;

    /**
     * Permissions the chart grants that this run does not exercise, each with its reason. Anything
     * granted, unused and not listed here fails the test: remove it from the chart or explain it.
     */
    static final Map<String, String> NOT_EXERCISED = Map.ofEntries(
            // Informers list and watch; a single get adds nothing list does not already allow, and is
            // what kubectl-style lookups and JOSDK's re-reads after a conflicting write use.
            notExercised("security.maasops.io", "vaultintegrations", "get", "implied by list"),
            notExercised("security.maasops.io", "maasregions", "get", "implied by list"),
            notExercised("security.maasops.io", "rolebindings", "get", "implied by list"),
            // MaasRegion and RoleBinding have finalizers (JSON patch, exercised here); VaultIntegration's
            // patch is granted for its finalizer; JOSDK falls back to an update of the main resource
            // when a finalizer patch conflicts.
            notExercised(
                    "security.maasops.io", "vaultintegrations", "patch", "VaultIntegration finalizer (deletionPolicy)"),
            notExercised(
                    "security.maasops.io",
                    "vaultintegrations",
                    "update",
                    "finalizer handling by JOSDK (update on conflict)"),
            notExercised(
                    "security.maasops.io", "maasregions", "update", "finalizer handling by JOSDK (update on conflict)"),
            notExercised(
                    "security.maasops.io",
                    "rolebindings",
                    "update",
                    "finalizer handling by JOSDK (update on conflict)"),
            // JOSDK patches status (JSON patch, or SSA in its default mode); get and update on /status
            // are the conventional companions and do not widen what the operator can read or change.
            notExercised("security.maasops.io", "vaultintegrations/status", "get", "conventional with status patch"),
            notExercised("security.maasops.io", "maasregions/status", "get", "conventional with status patch"),
            notExercised("security.maasops.io", "rolebindings/status", "get", "conventional with status patch"),
            notExercised("security.maasops.io", "vaultintegrations/status", "update", "conventional with status patch"),
            notExercised("security.maasops.io", "maasregions/status", "update", "conventional with status patch"),
            notExercised("security.maasops.io", "rolebindings/status", "update", "conventional with status patch"),
            // Never a request of the operator's own: the OwnerReferencesPermissionEnforcement admission
            // plugin (on by default in OpenShift) checks it when the operator sets an owner reference
            // with blockOwnerDeletion on an object it creates for one of its resources.
            notExercised(
                    "security.maasops.io", "vaultintegrations/finalizers", "update", "owner-reference admission check"),
            notExercised("security.maasops.io", "maasregions/finalizers", "update", "owner-reference admission check"),
            notExercised("security.maasops.io", "rolebindings/finalizers", "update", "owner-reference admission check"),
            // JOSDK's LeaderElectionManager refuses to start unless a SelfSubjectRulesReview shows create,
            // get and update on the Lease; fabric8 renews with patch, so update is granted but never sent
            notExercised("coordination.k8s.io", "leases", "update", "JOSDK's start-up lease permission check"),
            // pod exec (podExec.enabled): fabric8 lists the pod (fieldSelector metadata.name) and watches it
            // only while that list shows it not ready yet; the pods here are ready from the start
            notExercised("", "pods", "watch", "fabric8 waits for a pod that is not ready yet"),
            // the API server authorizes a WebSocket exec as get before Kubernetes 1.35, as create from 1.35 on
            notExercised("", "pods/exec", "create", "WebSocket exec on Kubernetes 1.35 and later"),
            // kube.EventRecorder patches count/lastTimestamp of an Event it recorded before; this run records
            // no Event twice. kube.EventRecorderTest does, as the operator under the chart's RBAC.
            notExercised("", "events", "patch", "a repeated Event (EventRecorderTest)"));

    static Map.Entry<String, String> notExercised(String group, String resource, String verb, String why) {
        return Map.entry(RbacCoverage.permission(group, resource, verb), why);
    }

    @Test
    void everyRequestOfTheOperatorIsAllowedByTheChartAndEveryGrantIsUsedOrExplained() {
        String ns = OPERATOR.namespace();
        var k8s = OPERATOR.client();
        k8s.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(POD_NAMESPACE)
                        .endMetadata()
                        .build())
                .createOr(o -> o.update());
        try (MaasTestbed testbed = MaasTestbed.start(2)) {
            testbed.applySecrets(k8s, ns);
            testbed.applySecrets(k8s, POD_NAMESPACE);
            testbed.api().addPool("production", "");
            testbed.api().addUser("alice", false);
            VaultIntegration vi = testbed.integration("maas", ns);
            vi.getSpec().getTenancy().setAllowedNamespaces(List.of(ns, POD_NAMESPACE));
            k8s.resource(vi).create();
            // one region over SSH; one by pod exec (spec.access.pod), in the namespace the chart's podExec rules name
            k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .resource(testbed.region(MaasTestbed.hostname(0), "maas"))
                    .create();
            k8s.resources(MaasRegion.class)
                    .inNamespace(POD_NAMESPACE)
                    .resource(testbed.podRegion(OPERATOR.api(), POD_NAMESPACE, MaasTestbed.hostname(1), "maas"))
                    .create();
            create(RoleBinding.class, """
          apiVersion: security.maasops.io/v1alpha1
          kind: RoleBinding
          metadata: {name: ops}
          spec:
            maasRegionRef: {name: %s}
            role: Operator
            subjects: [{kind: User, name: alice}]
            resourcePools: [production]
          """.formatted(MaasTestbed.hostname(0)));
            // a missing Secret too: the operator reads it, finds nothing, and reports it
            k8s.resource(Serialization.unmarshal("""
          apiVersion: security.maasops.io/v1alpha1
          kind: VaultIntegration
          metadata: {name: no-token}
          spec:
            tenancy: {allowedNamespaces: [nowhere]}
            vault:
              address: https://vault.example:8200
              auth:
                tokenSecretRef: {name: absent, key: token}
          """, VaultIntegration.class)).create();
            awaitReady(MaasRegion.class, ns, MaasTestbed.hostname(0));
            awaitReady(MaasRegion.class, POD_NAMESPACE, MaasTestbed.hostname(1));
            awaitReady(VaultIntegration.class, null, "maas");
            awaitReady(RoleBinding.class, ns, "ops");
            awaitStatus(VaultIntegration.class, null, "no-token");
            assertThat(testbed.host(MaasTestbed.hostname(1)).regiondConf())
                    .as("configured through pod exec")
                    .containsKeys("vault_approle_id", "vault_secret_id");
        } finally {
            OperatorExtension.removeAll(k8s, POD_NAMESPACE);
        }

        Set<Access> used = OPERATOR.api().recordedAccess(KubeApiDouble.OPERATOR_USER_AGENT);
        assertThat(used).as("the operator's requests were recorded").isNotEmpty();
        assertThat(used)
                .as("secrets are only read by name")
                .filteredOn(a -> "secrets".equals(a.resource()))
                .extracting(Access::verb)
                .containsOnly("get");
        assertThat(used).as("the pod-exec region was reached by exec").anyMatch(a -> "exec".equals(a.subresource()));

        List<Grant> grants = ChartRbac.chartGrants(LEASE_NAMESPACE, CHART_VALUES);
        List<Grant> all = new java.util.ArrayList<>(grants);
        all.addAll(ChartRbac.BUILT_IN);
        RbacCoverage.assertCovered(used, all);

        Set<String> unused = new TreeSet<>(RbacCoverage.unusedPermissions(used, grants));
        // an entry may be used in some runs and not others (e.g. a get after a conflicting write), so
        // NOT_EXERCISED is only required to name granted permissions, not unused ones
        assertThat(RbacCoverage.unusedPermissions(Set.of(), grants))
                .as("NOT_EXERCISED names only permissions the chart grants")
                .containsAll(NOT_EXERCISED.keySet());
        unused.removeAll(NOT_EXERCISED.keySet());
        assertThat(unused)
                .as(
                        "granted by the chart but neither used by the operator nor explained in NOT_EXERCISED "
                                + "(operator used: %s)",
                        new TreeSet<>(
                                used.stream().map(a -> a.kind().toString()).toList()))
                .isEmpty();
    }

    /** The same rules in Roles (watchNamespaces set) cover the same requests when the namespace is watched. */
    @Test
    void namespacedRolesCoverOnlyTheirNamespaces() {
        String ns = OPERATOR.namespace();
        secret("vault-token", "token", "s.test");
        create(VaultIntegration.class, """
        apiVersion: security.maasops.io/v1alpha1
        kind: VaultIntegration
        metadata: {name: maas}
        spec:
          tenancy: {allowedNamespaces: ["*"]}
          vault:
            address: https://vault.example:8200
            auth:
              tokenSecretRef: {name: vault-token, key: token}
        """);
        create(MaasRegion.class, """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: region-a}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: region-a
          access:
            ssh:
              host: 127.0.0.1
              user: ubuntu
              privateKeySecretRef: {name: region-ssh, key: id_ed25519}
              knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
        """);
        awaitStatus(VaultIntegration.class, null, "maas");
        awaitStatus(MaasRegion.class, ns, "region-a");
        Set<Access> inNamespace = new java.util.HashSet<>();
        for (Access a : OPERATOR.api().recordedAccess(KubeApiDouble.OPERATOR_USER_AGENT)) {
            if (ns.equals(a.namespace())) {
                inNamespace.add(a);
            }
        }
        assertThat(inNamespace).isNotEmpty();
        List<HasMetadata> watchingIt = ChartRenderer.render(LEASE_NAMESPACE, Map.of("watchNamespaces[0]", ns));
        RbacCoverage.assertCovered(
                inNamespace, RbacCoverage.grantsFor(watchingIt, LEASE_NAMESPACE, ChartRenderer.RELEASE));
        List<HasMetadata> watchingAnother =
                ChartRenderer.render(LEASE_NAMESPACE, Map.of("watchNamespaces[0]", "elsewhere"));
        assertThat(RbacCoverage.uncovered(
                        inNamespace, RbacCoverage.grantsFor(watchingAnother, LEASE_NAMESPACE, ChartRenderer.RELEASE)))
                .as("a Role in another namespace allows nothing here")
                .hasSameSizeAs(inNamespace);
    }

    /** A Secret in the test's namespace, or the operator's own for what a VaultIntegration names. */
    private void secret(String name, String key, String value) {
        String ns = name.equals("vault-token") ? LEASE_NAMESPACE : OPERATOR.namespace();
        OPERATOR.client()
                .secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withStringData(Map.of(key, value))
                        .build())
                .createOr(o -> o.update());
    }

    private <T extends CustomResource<?, ?>> void create(Class<T> type, String yaml) {
        OPERATOR.client()
                .resources(type)
                .inNamespace(OPERATOR.namespace())
                .resource(Serialization.unmarshal(yaml, type))
                .create();
    }

    private <T extends CustomResource<?, ? extends ResourceStatus>> void awaitReady(
            Class<T> type, String namespace, String name) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            T r = get(type, namespace, name);
            assertThat(r.getStatus())
                    .as(type.getSimpleName() + " " + name + " has a status")
                    .isNotNull();
            assertThat(Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY))
                    .as(type.getSimpleName() + " " + name + " Ready: "
                            + r.getStatus().getConditions())
                    .isTrue();
        });
    }

    private <T extends CustomResource<?, ? extends ResourceStatus>> void awaitStatus(
            Class<T> type, String namespace, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            T r = get(type, namespace, name);
            return r != null && r.getStatus() != null && r.getStatus().getObservedGeneration() != null;
        });
    }

    /** A custom resource by name: namespace null for the cluster-scoped VaultIntegration. */
    private static <T extends CustomResource<?, ?>> T get(Class<T> type, String namespace, String name) {
        return namespace == null
                ? OPERATOR.client().resources(type).withName(name).get()
                : OPERATOR.client()
                        .resources(type)
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
    }
}
