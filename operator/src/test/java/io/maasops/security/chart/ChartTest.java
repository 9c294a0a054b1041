package io.maasops.security.chart;

import static io.maasops.security.chart.ChartRenderer.CHART;
import static io.maasops.security.chart.ChartRenderer.NAMESPACE;
import static io.maasops.security.chart.ChartRenderer.RELEASE;
import static io.maasops.security.chart.ChartRenderer.ofType;
import static io.maasops.security.chart.ChartRenderer.only;
import static io.maasops.security.chart.ChartRenderer.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart: lint, render with default and non-default values, check the security-relevant
 * shape (pod security, probes, least-privilege RBAC), and apply every rendered object to the
 * Kubernetes API double. The chart's crds/ are checked by {@code CrdSyncTest}; `helm template`
 * does not render crds/ (docs/reference/josdk.md §3).
 */
class ChartTest {

    static final Map<String, Object> NON_DEFAULT = nonDefault();

    static KubeApiDouble api;

    @BeforeAll
    static void startApi() {
        api = KubeApiDouble.start();
        for (String ns : List.of(NAMESPACE, "a", "b")) {
            api.client()
                    .namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
        }
        // ServiceMonitor and PrometheusRule are Prometheus Operator CRD kinds: register them so the mock can store them
        for (String kind : List.of("ServiceMonitor", "PrometheusRule")) {
            String plural = kind.toLowerCase(java.util.Locale.ROOT) + "s";
            api.client()
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(new CustomResourceDefinitionBuilder()
                            .withNewMetadata()
                            .withName(plural + ".monitoring.coreos.com")
                            .endMetadata()
                            .withNewSpec()
                            .withGroup("monitoring.coreos.com")
                            .withScope("Namespaced")
                            .withNewNames()
                            .withKind(kind)
                            .withPlural(plural)
                            .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                            .endNames()
                            .addNewVersion()
                            .withName("v1")
                            .withServed(true)
                            .withStorage(true)
                            .withNewSchema()
                            .withNewOpenAPIV3Schema()
                            .withType("object")
                            .withXKubernetesPreserveUnknownFields(true)
                            .endOpenAPIV3Schema()
                            .endSchema()
                            .endVersion()
                            .endSpec()
                            .build())
                    .create();
        }
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    static Map<String, Object> nonDefault() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("watchNamespaces[0]", "a");
        v.put("watchNamespaces[1]", "b");
        v.put("podExec.enabled", "true");
        v.put("podExec.namespaces[0]", "b");
        v.put("replicaCount", "2");
        v.put("metrics.serviceMonitor.enabled", "true");
        v.put("networkPolicy.enabled", "true");
        v.put("image.tag", "9.9.9");
        v.put("podAnnotations.example\\.com/scrape", "yes");
        v.put("podLabels.team", "infra");
        v.put("nodeSelector.kubernetes\\.io/os", "linux");
        v.put("serviceAccount.annotations.example\\.com/role", "maas");
        v.put("imagePullSecrets[0].name", "registry");
        return v;
    }

    @Test
    void lintStrictPassesWithoutWarnings() {
        var result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as("helm lint --strict: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages())
                .as("only [INFO] messages are acceptable")
                .allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
    }

    @Test
    void chartMetadata() throws IOException {
        JsonNode chart = yaml().readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("version").asText()).isEqualTo("0.1.0");
        assertThat(chart.path("appVersion").asText()).isEqualTo("0.1.0");
        assertThat(chart.path("kubeVersion").asText()).isEqualTo(">=1.25.0-0");
        assertThat(CHART.resolve("crds")).isDirectory();
    }

    @Test
    void defaultValues() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "ClusterRoleBinding",
                        "Role",
                        "Role",
                        "RoleBinding",
                        "RoleBinding",
                        "Service",
                        "Deployment",
                        "ClusterRole",
                        "ClusterRole",
                        "ClusterRole"); // aggregated view/edit/admin

        Deployment d = only(objects, Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertRestrictedPodSecurity(d);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/maasops/maas-security-operator:0.1.0");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(c.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("256Mi"));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("LEADER_ELECTION").getValue()).isEqualTo("true");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("WATCH_NAMESPACES").getValue()).isEmpty();
        assertThat(env.get("HTTP_PORT").getValue()).isEqualTo("8080");
        assertThat(env.get("LEASE_NAME").getValue()).isEqualTo(RELEASE);
        assertThat(env.get("CLUSTER_RESOURCE_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("VAULT_SA_TOKEN_PATH").getValue()).isEqualTo("/var/run/secrets/vault/token");
        // the retry delays the operator has without flags (RetrySettingsTest)
        assertThat(List.of(
                        "RETRY_FLOOR",
                        "RETRY_CAP",
                        "MISSING_REFERENCE_RECHECK",
                        "CONFIG_FILES_FIRST_RETRY",
                        "SECRET_ID_AUDIT_INTERVAL"))
                .extracting(n -> env.get(n).getValue())
                .containsExactly("5s", "2m", "30s", "10s", "10m");
        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(30L);
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(RELEASE);

        // all namespaces: the watch ClusterRole and the integrations' ClusterRole, bound to the service account, no pod
        // exec
        ClusterRole cr = named(ofType(objects, ClusterRole.class), RELEASE);
        assertThat(ofType(objects, ClusterRoleBinding.class))
                .hasSize(2)
                .allSatisfy(b -> assertThat(b.getSubjects())
                        .singleElement()
                        .satisfies(s -> assertThat(List.of(s.getKind(), s.getName(), s.getNamespace()))
                                .containsExactly("ServiceAccount", RELEASE, NAMESPACE)));
        assertWatchRules(cr.getRules());
        assertIntegrationRules(objects);
        assertThat(objects)
                .noneMatch(o -> o instanceof Role r
                        && r.getRules().stream().anyMatch(x -> x.getResources().contains("pods/exec")));
        assertLeaseRole(objects);
        assertThat(only(objects, Service.class).getSpec().getPorts())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.getName()).isEqualTo("http-metrics");
                    assertThat(p.getPort()).isEqualTo(8080);
                });
        assertThat(ofType(objects, PodDisruptionBudget.class))
                .as("no PDB with one replica")
                .isEmpty();
        assertNoUnknownFields(objects);
        applyAll(objects);
    }

    @Test
    void nonDefaultValues() {
        List<HasMetadata> objects = render(NON_DEFAULT);
        assertThat(ofType(objects, ClusterRole.class))
                .as("only the cluster-scoped VaultIntegrations' ClusterRole and the aggregated ones")
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        RELEASE + "-integrations", RELEASE + "-view", RELEASE + "-edit", RELEASE + "-admin");
        assertIntegrationRules(objects);

        Map<String, Role> watchRoles = ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(RELEASE))
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> r));
        assertThat(watchRoles).containsOnlyKeys("a", "b");
        watchRoles.values().forEach(r -> assertWatchRules(r.getRules()));
        // pods/exec only in podExec.namespaces, nowhere else
        Map<String, Role> execRoles = ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(RELEASE + "-pod-exec"))
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> r));
        assertThat(execRoles).containsOnlyKeys("b");
        assertThat(verbs(execRoles.get("b").getRules(), "", "pods/exec")).containsExactlyInAnyOrder("create", "get");
        assertThat(verbs(execRoles.get("b").getRules(), "", "pods"))
                .as("the pod's status and container, read before exec")
                .containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(objects)
                .filteredOn(o -> o instanceof Role r
                        && r.getRules().stream().anyMatch(x -> x.getResources().contains("pods/exec")))
                .extracting(o -> o.getMetadata().getNamespace())
                .containsExactly("b");
        // Events about cluster-scoped VaultIntegrations live in "default"
        assertThat(ofType(objects, Role.class))
                .filteredOn(r -> r.getMetadata().getName().equals(RELEASE + "-events"))
                .singleElement()
                .satisfies(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("default"));
        assertThat(ofType(objects, RoleBinding.class))
                .extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("a", "b", "b", "default", NAMESPACE, NAMESPACE);
        assertThat(ofType(objects, RoleBinding.class))
                .allSatisfy(b -> assertThat(b.getSubjects())
                        .singleElement()
                        .satisfies(s -> assertThat(List.of(s.getName(), s.getNamespace()))
                                .containsExactly(RELEASE, NAMESPACE)));
        assertLeaseRole(objects);

        Deployment d = only(objects, Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertRestrictedPodSecurity(d);
        var pod = d.getSpec().getTemplate();
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getImage()).endsWith(":9.9.9");
        assertThat(c.getEnv())
                .filteredOn(e -> e.getName().equals("WATCH_NAMESPACES"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("a,b"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/scrape", "yes");
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "infra");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getSpec().getImagePullSecrets()).extracting("name").containsExactly("registry");
        assertThat(only(objects, ServiceAccount.class).getMetadata().getAnnotations())
                .containsEntry("example.com/role", "maas");

        PodDisruptionBudget pdb = only(objects, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(d.getSpec().getSelector().getMatchLabels());

        NetworkPolicy np = only(objects, NetworkPolicy.class);
        assertThat(np.getSpec().getPolicyTypes())
                .as("egress unrestricted by default")
                .containsExactly("Ingress");
        assertThat(np.getSpec().getIngress())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getPorts())
                        .singleElement()
                        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http")));

        GenericKubernetesResource sm = only(objects, GenericKubernetesResource.class);
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        assertThat(sm.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http-metrics");
        assertThat(sm.<Boolean>get("spec", "endpoints", 0, "honorLabels"))
                .as("namespace/name label the custom resource")
                .isTrue();
        assertNoUnknownFields(objects);
        applyAll(objects);
    }

    @Test
    void networkPolicyRestrictsSourcesAndEgressWhenAsked() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("networkPolicy.enabled", "true");
        v.put(
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name",
                "monitoring");
        v.put("networkPolicy.egress[0].ports[0].port", "53");
        v.put("networkPolicy.egress[0].ports[0].protocol", "UDP");
        NetworkPolicy np = only(render(v), NetworkPolicy.class);
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getIngress().get(0).getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "monitoring"));
        assertThat(np.getSpec().getEgress()).hasSize(1);
    }

    @Test
    void schemaRejectsUnknownAndInvalidValues() {
        assertThatThrownBy(() -> render(Map.of("replicas", "2")))
                .as("typo at the top level")
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(Map.of("replicaCount", "0"))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(Map.of("watchNamespaces[0]", "Not_A_Namespace")))
                .hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> render(Map.of("image.pullPolicy", "Sometimes")))
                .hasMessageContaining("pullPolicy");
        assertThatThrownBy(() -> render(Map.of("podExec.enabled", "true")))
                .as("pod exec needs its namespaces named")
                .hasMessageContaining("podExec.namespaces");
        assertThatThrownBy(() -> render(Map.of("vault.kubernetesAuth.expirationSeconds", "60")))
                .hasMessageContaining("expirationSeconds");
    }

    /** values.yaml, values.schema.json and README.md agree: every value is typed, described and documented. */
    @Test
    void everyValueIsTypedDescribedAndDocumented() throws IOException {
        JsonNode schema =
                new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile());
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        List<String> undescribed = new ArrayList<>();
        describedAndTyped(schema, "", undescribed);
        assertThat(undescribed)
                .as("schema properties without type or description")
                .isEmpty();

        JsonNode values = yaml().readTree(CHART.resolve("values.yaml").toFile());
        List<String> paths = new ArrayList<>();
        leafPaths(values, "", paths);
        String readme = Files.readString(CHART.resolve("README.md"));
        for (String path : paths) {
            assertThat(schemaAt(schema, path))
                    .as("values.yaml key %s is in values.schema.json", path)
                    .isNotNull();
            assertThat(readme).as("README.md documents `%s`", path).contains("`" + path + "`");
        }
    }

    /** Roles for people: view/edit/admin aggregate the kinds; nobody gets VaultIntegrations' writes or /status. */
    @Test
    void aggregatedClusterRolesForPeople() {
        Map<String, ClusterRole> roles = ofType(render(Map.of()), ClusterRole.class).stream()
                .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
        String agg = "rbac.authorization.k8s.io/aggregate-to-";
        assertThat(roles.get(RELEASE + "-view").getMetadata().getLabels())
                .containsEntry(agg + "view", "true")
                .containsEntry(agg + "edit", "true")
                .containsEntry(agg + "admin", "true");
        assertThat(verbs(roles.get(RELEASE + "-view").getRules(), "security.maasops.io", "vaultintegrations"))
                .containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(roles.get(RELEASE + "-view").getRules(), "security.maasops.io", "maasregions"))
                .containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(roles.get(RELEASE + "-edit").getMetadata().getLabels())
                .containsEntry(agg + "edit", "true")
                .containsEntry(agg + "admin", "true")
                .doesNotContainKey(agg + "view");
        assertThat(verbs(roles.get(RELEASE + "-edit").getRules(), "security.maasops.io", "maasregions"))
                .containsExactlyInAnyOrder("create", "update", "patch", "delete", "deletecollection");
        assertThat(verbs(roles.get(RELEASE + "-edit").getRules(), "security.maasops.io", "rolebindings"))
                .as("MAAS role grants are admin's, as Kubernetes keeps RoleBindings out of edit")
                .isEmpty();
        assertThat(roles.get(RELEASE + "-admin").getMetadata().getLabels())
                .containsEntry(agg + "admin", "true")
                .doesNotContainKeys(agg + "view", agg + "edit");
        assertThat(verbs(roles.get(RELEASE + "-admin").getRules(), "security.maasops.io", "rolebindings"))
                .containsExactlyInAnyOrder("create", "update", "patch", "delete", "deletecollection");
        for (String r : List.of("-view", "-edit", "-admin")) {
            List<PolicyRule> rules = roles.get(RELEASE + r).getRules();
            assertThat(verbs(rules, "security.maasops.io", "vaultintegrations"))
                    .as("%s: the cluster admin's kind", r)
                    .doesNotContain("create", "update", "patch", "delete", "deletecollection");
            assertThat(rules).flatExtracting(PolicyRule::getResources).as(r).noneMatch(x -> x.contains("/"));
            assertThat(rules).flatExtracting(PolicyRule::getApiGroups).as(r).containsOnly("security.maasops.io");
        }
        assertThat(ofType(render(Map.of("rbac.aggregateClusterRoles", "false")), ClusterRole.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder(RELEASE, RELEASE + "-integrations");
    }

    /** crds.enabled renders crds/ as templates (upgraded by helm upgrade), kept on uninstall unless crds.keep=false. */
    @Test
    void crdsAsTemplatesWhenEnabled() throws IOException {
        assertThat(render(Map.of()))
                .as("by default only crds/ (not rendered by helm template)")
                .noneMatch(o -> o.getKind().equals("CustomResourceDefinition"));
        List<HasMetadata> objects = render(Map.of("crds.enabled", "true"));
        var crds = ofType(objects, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
        assertThat(crds)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "vaultintegrations.security.maasops.io",
                        "maasregions.security.maasops.io",
                        "rolebindings.security.maasops.io");
        for (var crd : crds) {
            var file = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    Files.readString(CHART.resolve("crds/" + crd.getMetadata().getName() + "-v1.yml")),
                    io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
            assertThat(crd.getSpec()).as("the same CRD as crds/").isEqualTo(file.getSpec());
            assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(crd.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
        }
        assertThat(ofType(
                        render(Map.of("crds.enabled", "true", "crds.keep", "false")),
                        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
                .hasSize(3)
                .allSatisfy(
                        c -> assertThat(c.getMetadata().getAnnotations()).doesNotContainKey("helm.sh/resource-policy"));
        assertNoUnknownFields(objects);
        applyAll(objects);
    }

    /** UID/GID/fsGroup and the read-only root filesystem are values (OpenShift: leave the IDs null). */
    @Test
    void securityContextAndLogLevelAreValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("securityContext.runAsUser", "1000710000");
        v.put("securityContext.runAsGroup", "1000710001");
        v.put("securityContext.fsGroup", "1000710002");
        v.put("securityContext.readOnlyRootFilesystem", "false");
        v.put("logging.level", "debug");
        v.put("logging.format", "json");
        Deployment d = only(render(v), Deployment.class);
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000710000L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000710001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000710002L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(1000710000L);
        assertThat(c.getSecurityContext().getRunAsGroup()).isEqualTo(1000710001L);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getEnv())
                .filteredOn(e -> e.getName().equals("LOG_LEVEL"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("debug"));
        assertThat(only(render(Map.of()), Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .filteredOn(e -> e.getName().equals("LOG_LEVEL"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("info"));
        assertThatThrownBy(() -> render(Map.of("securityContext.runAsUser", "0")))
                .as("never root")
                .hasMessageContaining("runAsUser");
        assertThatThrownBy(() -> render(Map.of("logging.level", "verbose"))).hasMessageContaining("level");
        assertThat(c.getEnv())
                .filteredOn(e -> e.getName().equals("LOG_FORMAT"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("json"));
        assertThat(only(render(Map.of()), Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .filteredOn(e -> e.getName().equals("LOG_FORMAT"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("text"));
        assertThatThrownBy(() -> render(Map.of("logging.format", "logfmt"))).hasMessageContaining("format");
    }

    /** The opt-in PrometheusRule and dashboard ConfigMap render where asked (their content: MetricsEndToEndTest). */
    @Test
    void prometheusRuleAndDashboardWhenEnabled() {
        assertThat(render(Map.of()))
                .noneMatch(
                        o -> o.getKind().equals("PrometheusRule") || o.getKind().equals("ConfigMap"));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("metrics.prometheusRule.enabled", "true");
        v.put("metrics.prometheusRule.labels.release", "kube-prometheus");
        v.put("metrics.prometheusRule.vaultUnavailableFor", "3m");
        v.put("metrics.dashboard.enabled", "true");
        v.put("metrics.dashboard.namespace", "a");
        v.put("metrics.dashboard.annotations.grafana_folder", "MAAS");
        List<HasMetadata> objects = render(v);
        GenericKubernetesResource rule = only(objects, GenericKubernetesResource.class);
        assertThat(rule.getKind()).isEqualTo("PrometheusRule");
        assertThat(rule.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        List<Map<String, Object>> rules = rule.get("spec", "groups", 0, "rules");
        assertThat(rules)
                .filteredOn(r -> String.valueOf(r.get("alert")).startsWith("MaasOpsVault"))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("for")).isEqualTo("3m"));
        var cm = only(objects, io.fabric8.kubernetes.api.model.ConfigMap.class);
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("a");
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(cm.getMetadata().getAnnotations()).containsEntry("grafana_folder", "MAAS");
        assertThatThrownBy(() -> render(Map.of("metrics.prometheusRule.stalledFor", "soon")))
                .hasMessageContaining("stalledFor");
        assertNoUnknownFields(objects);
        applyAll(objects);
    }

    /** Every optional piece at once, with non-default values: renders, and every object is accepted by the API. */
    @Test
    void everyOptionTogetherRendersAndApplies() {
        Map<String, Object> v = new LinkedHashMap<>(NON_DEFAULT);
        v.put("crds.enabled", "true");
        v.put("crds.keep", "false");
        v.put("metrics.prometheusRule.enabled", "true");
        v.put("metrics.dashboard.enabled", "true");
        v.put("securityContext.runAsUser", "1000");
        v.put("logging.level", "warn");
        v.put("secretWatch.enabled", "true");
        List<HasMetadata> objects = render(v);
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains(
                        "CustomResourceDefinition",
                        "PrometheusRule",
                        "ServiceMonitor",
                        "ConfigMap",
                        "NetworkPolicy",
                        "PodDisruptionBudget");
        assertNoUnknownFields(objects);
        applyAll(objects);
    }

    // --- shape checks ---

    static void assertRestrictedPodSecurity(Deployment d) {
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser())
                .as("the image's user, or the one OpenShift assigns")
                .isNull();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        Container c = pod.getContainers().get(0);
        var sc = c.getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getRunAsUser()).isNull();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .containsExactly("/tmp", "/var/run/secrets/kubernetes.io/serviceaccount", "/var/run/secrets/vault");
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getName().equals(c.getVolumeMounts().get(0).getName()))
                .singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        // two tokens, on purpose: the API server's (default audience) and Vault's (audience vault,
        // short-lived), so what Vault receives cannot be replayed against the API server
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        var vaultToken = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("vault-token"))
                .findFirst()
                .orElseThrow()
                .getProjected()
                .getSources()
                .get(0)
                .getServiceAccountToken();
        assertThat(vaultToken.getAudience()).isEqualTo("vault");
        assertThat(vaultToken.getExpirationSeconds()).isEqualTo(600L);
        var apiToken = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("kube-api-access"))
                .findFirst()
                .orElseThrow()
                .getProjected()
                .getSources()
                .get(0)
                .getServiceAccountToken();
        assertThat(apiToken.getAudience()).isNull();
        assertThat(c.getVolumeMounts())
                .allSatisfy(m -> assertThat(m.getMountPath().equals("/tmp") || Boolean.TRUE.equals(m.getReadOnly()))
                        .isTrue());
    }

    static ClusterRole named(List<ClusterRole> roles, String name) {
        return roles.stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole " + name));
    }

    /** VaultIntegrations are cluster-scoped: their own ClusterRole, always; their Secrets by name in the release namespace. */
    static void assertIntegrationRules(List<HasMetadata> objects) {
        var rules = named(ofType(objects, ClusterRole.class), RELEASE + "-integrations")
                .getRules();
        assertThat(verbs(rules, "security.maasops.io", "vaultintegrations"))
                .containsExactlyInAnyOrder("get", "list", "watch", "patch", "update");
        assertThat(verbs(rules, "security.maasops.io", "vaultintegrations/status"))
                .containsExactlyInAnyOrder("get", "patch", "update");
        assertThat(verbs(rules, "security.maasops.io", "vaultintegrations/finalizers"))
                .containsExactly("update");
        assertThat(rules.stream().flatMap(r -> r.getResources().stream()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(
                        "vaultintegrations", "vaultintegrations/status", "vaultintegrations/finalizers");
        Role secrets = ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(RELEASE + "-cluster-resources"))
                .findFirst()
                .orElseThrow();
        assertThat(secrets.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(secrets.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("secrets");
            assertThat(r.getVerbs()).containsExactly("get");
        });
    }

    /** The rules on watched namespaces: exactly the permissions the operator needs, secrets read by name only. */
    static void assertWatchRules(List<PolicyRule> rules) {
        assertThat(verbs(rules, "", "secrets")).containsExactly("get");
        for (String r : List.of("maasregions", "rolebindings")) {
            assertThat(verbs(rules, "security.maasops.io", r))
                    .containsExactlyInAnyOrder("get", "list", "watch", "patch", "update");
            assertThat(verbs(rules, "security.maasops.io", r + "/status"))
                    .containsExactlyInAnyOrder("get", "patch", "update");
            assertThat(verbs(rules, "security.maasops.io", r + "/finalizers")).containsExactly("update");
        }
        assertThat(verbs(rules, "", "events")).containsExactlyInAnyOrder("create", "patch");
        assertThat(verbs(rules, "events.k8s.io", "events")).isEmpty();
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getApiGroups()).doesNotContain("*");
        });
        assertThat(rules.stream().flatMap(r -> r.getResources().stream()).collect(Collectors.toSet()))
                .as("nothing beyond the listed resources")
                .containsExactlyInAnyOrderElementsOf(List.of(
                        "maasregions",
                        "rolebindings",
                        "maasregions/status",
                        "rolebindings/status",
                        "maasregions/finalizers",
                        "rolebindings/finalizers",
                        "secrets",
                        "events"));
    }

    static void assertLeaseRole(List<HasMetadata> objects) {
        Role lease = ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(RELEASE + "-leader-election"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no leader-election Role"));
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        // fabric8 7.5.2's LeaseLock: create, get, and renew by JSON merge patch; update only for JOSDK's start-up check
        assertThat(verbs(lease.getRules(), "coordination.k8s.io", "leases"))
                .containsExactlyInAnyOrder("create", "get", "patch", "update");
        assertThat(lease.getRules())
                .allSatisfy(r -> assertThat(r.getResources()).containsExactly("leases"));
        assertThat(lease.getRules())
                .filteredOn(r -> r.getVerbs().contains("get"))
                .allSatisfy(r -> assertThat(r.getResourceNames())
                        .as("get/patch/update limited to the operator's own Lease")
                        .containsExactly(RELEASE));
    }

    /** All verbs granted on group/resource by any rule. */
    static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
        return rules.stream()
                .filter(r ->
                        r.getApiGroups().contains(group) && r.getResources().contains(resource))
                .flatMap(r -> r.getVerbs().stream())
                .distinct()
                .toList();
    }

    // --- applying to the API double ---

    static void applyAll(List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            String what = o.getKind() + " " + o.getMetadata().getNamespace() + "/"
                    + o.getMetadata().getName();
            if (o instanceof GenericKubernetesResource g) {
                assertThat(g.getKind())
                        .as("the only non-built-in kinds the chart renders")
                        .isIn("ServiceMonitor", "PrometheusRule");
                assertThat(g.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
                var ctx = new ResourceDefinitionContext.Builder()
                        .withGroup("monitoring.coreos.com")
                        .withVersion("v1")
                        .withKind(g.getKind())
                        .withPlural(g.getKind().toLowerCase(java.util.Locale.ROOT) + "s")
                        .withNamespaced(true)
                        .build();
                api.client()
                        .genericKubernetesResources(ctx)
                        .inNamespace(g.getMetadata().getNamespace())
                        .resource(g)
                        .createOr(r -> r.update());
                assertThat(api.client()
                                .genericKubernetesResources(ctx)
                                .inNamespace(g.getMetadata().getNamespace())
                                .withName(g.getMetadata().getName())
                                .get())
                        .as(what)
                        .isNotNull();
            } else {
                api.client().resource(o).createOr(r -> r.update());
                assertThat(api.client().resource(o).get()).as(what + " stored").isNotNull();
            }
        }
    }

    /**
     * Fields the fabric8 model did not recognise end up in additionalProperties; an API server would
     * reject or drop them (a typo like `readinesProbe`), so none may appear anywhere in a rendered object.
     */
    static void assertNoUnknownFields(List<HasMetadata> objects) {
        List<String> unknown = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (!(o instanceof GenericKubernetesResource)) {
                collectUnknown(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, 0);
            }
        }
        assertThat(unknown).as("fields unknown to the Kubernetes model").isEmpty();
    }

    private static void collectUnknown(Object o, String path, List<String> out, int depth) {
        if (o == null || depth > 40) {
            return;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                collectUnknown(l.get(i), path + "[" + i + "]", out, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> collectUnknown(v, path + "." + k, out, depth + 1));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class
                    || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else {
                collectUnknown(value, path + "." + m.getName().substring(3), out, depth + 1);
            }
        }
    }

    // --- values / schema walking ---

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory());
    }

    private static void describedAndTyped(JsonNode schema, String path, List<String> bad) {
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            var e = it.next();
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!e.getValue().hasNonNull("type") || !e.getValue().hasNonNull("description")) {
                bad.add(p);
            }
            describedAndTyped(e.getValue(), p, bad);
        }
    }

    private static final java.util.Set<String> FREE_FORM_MAPS_WITH_DEFAULTS =
            java.util.Set.of("resources.requests", "resources.limits", "metrics.dashboard.labels");

    /** Leaves of values.yaml: scalars, lists and empty maps (free-form maps such as podAnnotations). */
    private static void leafPaths(JsonNode node, String path, List<String> out) {
        if (node.isObject() && node.size() > 0 && !FREE_FORM_MAPS_WITH_DEFAULTS.contains(path)) {
            node.fields()
                    .forEachRemaining(
                            e -> leafPaths(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else {
            out.add(path);
        }
    }

    private static JsonNode schemaAt(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String part : path.split("\\.")) {
            node = node.path("properties").get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }
}
