package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * The built-in resources the double serves, with kube-apiserver v1.32's discovery data for them
 * (short names, categories, verbs) and the columns its Table printers show. Data, not logic: the
 * custom resources' equivalents come from their CRDs ({@link ApiResource#fromCrd}).
 */
final class BuiltInKinds {

    private BuiltInKinds() {}

    static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> CREATE = List.of("create");

    static final List<ApiResource> ALL = List.of(
            builtIn(
                    "",
                    "v1",
                    "namespaces",
                    "Namespace",
                    false,
                    List.of("ns"),
                    List.of(),
                    Namespace.class,
                    List.of(col("Status", "string", o -> text(o.path("status").path("phase"))))),
            builtIn(
                    "",
                    "v1",
                    "pods",
                    "Pod",
                    true,
                    List.of("po"),
                    List.of("all"),
                    Pod.class,
                    List.of(
                            col("Ready", "string", BuiltInKinds::podReady),
                            col("Status", "string", o -> text(o.path("status").path("phase"))),
                            col("Restarts", "string", BuiltInKinds::podRestarts))),
            builtIn(
                    "",
                    "v1",
                    "secrets",
                    "Secret",
                    true,
                    List.of(),
                    List.of(),
                    Secret.class,
                    List.of(
                            col("Type", "string", o -> text(o.path("type"))),
                            col(
                                    "Data",
                                    "string",
                                    o -> String.valueOf(o.path("data").size())))),
            builtIn(
                    "",
                    "v1",
                    "configmaps",
                    "ConfigMap",
                    true,
                    List.of("cm"),
                    List.of(),
                    ConfigMap.class,
                    List.of(col(
                            "Data",
                            "string",
                            o -> String.valueOf(
                                    o.path("data").size() + o.path("binaryData").size())))),
            builtIn(
                    "",
                    "v1",
                    "events",
                    "Event",
                    true,
                    List.of("ev"),
                    List.of(),
                    Event.class,
                    List.of(
                            col("Type", "string", o -> text(o.path("type"))),
                            col("Reason", "string", o -> text(o.path("reason"))),
                            col(
                                    "Object",
                                    "string",
                                    o -> o.path("involvedObject")
                                                    .path("kind")
                                                    .asText("")
                                                    .toLowerCase() + "/"
                                            + o.path("involvedObject")
                                                    .path("name")
                                                    .asText("")),
                            col("Message", "string", o -> text(o.path("message"))))),
            builtIn(
                    "",
                    "v1",
                    "serviceaccounts",
                    "ServiceAccount",
                    true,
                    List.of("sa"),
                    List.of(),
                    ServiceAccount.class,
                    List.of()),
            builtIn(
                    "coordination.k8s.io",
                    "v1",
                    "leases",
                    "Lease",
                    true,
                    List.of(),
                    List.of(),
                    Lease.class,
                    List.of(col("Holder", "string", o -> text(o.path("spec").path("holderIdentity"))))),
            builtIn(
                    "apiextensions.k8s.io",
                    "v1",
                    "customresourcedefinitions",
                    "CustomResourceDefinition",
                    false,
                    List.of("crd", "crds"),
                    List.of("api-extensions"),
                    CustomResourceDefinition.class,
                    List.of()),
            builtIn(
                    "rbac.authorization.k8s.io",
                    "v1",
                    "roles",
                    "Role",
                    true,
                    List.of(),
                    List.of(),
                    Role.class,
                    List.of()),
            builtIn(
                    "rbac.authorization.k8s.io",
                    "v1",
                    "rolebindings",
                    "RoleBinding",
                    true,
                    List.of(),
                    List.of(),
                    RoleBinding.class,
                    List.of(col(
                            "Role",
                            "string",
                            o -> o.path("roleRef").path("kind").asText("") + "/"
                                    + o.path("roleRef").path("name").asText("")))),
            builtIn(
                    "rbac.authorization.k8s.io",
                    "v1",
                    "clusterroles",
                    "ClusterRole",
                    false,
                    List.of(),
                    List.of(),
                    ClusterRole.class,
                    List.of()),
            builtIn(
                    "rbac.authorization.k8s.io",
                    "v1",
                    "clusterrolebindings",
                    "ClusterRoleBinding",
                    false,
                    List.of(),
                    List.of(),
                    ClusterRoleBinding.class,
                    List.of(col(
                            "Role",
                            "string",
                            o -> o.path("roleRef").path("kind").asText("") + "/"
                                    + o.path("roleRef").path("name").asText("")))),
            new ApiResource(
                    "authorization.k8s.io",
                    "v1",
                    "selfsubjectaccessreviews",
                    "selfsubjectaccessreview",
                    "SelfSubjectAccessReview",
                    false,
                    List.of(),
                    List.of(),
                    CREATE,
                    null,
                    List.of(),
                    List.of()),
            new ApiResource(
                    "authorization.k8s.io",
                    "v1",
                    "selfsubjectrulesreviews",
                    "selfsubjectrulesreview",
                    "SelfSubjectRulesReview",
                    false,
                    List.of(),
                    List.of(),
                    CREATE,
                    null,
                    List.of(),
                    List.of()),
            new ApiResource(
                    "authentication.k8s.io",
                    "v1",
                    "tokenreviews",
                    "tokenreview",
                    "TokenReview",
                    false,
                    List.of(),
                    List.of(),
                    CREATE,
                    null,
                    List.of(),
                    List.of()));

    /** Subresources listed in discovery: plural/sub, kind, verbs. */
    static final List<String[]> SUBRESOURCES = List.of(
            new String[] {"", "v1", "namespaces/status", "Namespace", "get,patch,update"},
            new String[] {"", "v1", "pods/exec", "PodExecOptions", "create,get"},
            new String[] {"", "v1", "pods/log", "Pod", "get"},
            new String[] {"", "v1", "pods/status", "Pod", "get,patch,update"},
            new String[] {
                "apiextensions.k8s.io",
                "v1",
                "customresourcedefinitions/status",
                "CustomResourceDefinition",
                "get,patch,update"
            });

    static Optional<ApiResource> find(String group, String version, String plural) {
        return ALL.stream()
                .filter(r -> r.group().equals(group)
                        && r.version().equals(version)
                        && r.plural().equals(plural))
                .findFirst();
    }

    private static ApiResource builtIn(
            String group,
            String version,
            String plural,
            String kind,
            boolean namespaced,
            List<String> shortNames,
            List<String> categories,
            Class<? extends HasMetadata> model,
            List<ApiResource.Column> columns) {
        return new ApiResource(
                group,
                version,
                plural,
                kind.toLowerCase(),
                kind,
                namespaced,
                shortNames,
                categories,
                ALL_VERBS,
                model,
                columns,
                List.of());
    }

    private static ApiResource.Column col(
            String name, String type, java.util.function.Function<JsonNode, Object> value) {
        return new ApiResource.Column(name, type, "", "", 0, null, value);
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    private static String podReady(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            ready += s.path("ready").asBoolean() ? 1 : 0;
        }
        return ready + "/" + total;
    }

    private static String podRestarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            restarts += s.path("restartCount").asInt();
        }
        return String.valueOf(restarts);
    }
}
