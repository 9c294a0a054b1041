package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.testing.kube.RbacCoverage.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a request comes from (a bearer token names a user, as a ServiceAccount token does) and
 * whether RBAC lets that user make it, decided as kube-apiserver's RBAC authorizer does (through
 * {@link RbacCoverage#allows}). Users are either super-users (group system:masters: the tests'
 * own client and kubectl) or have exactly the grants they were given (the operator: the rules the
 * chart renders) plus what Kubernetes grants every authenticated user. Requests without a token
 * are system:anonymous; an unknown token is refused with 401, as kube-apiserver does.
 */
public final class Authorizer {

    /** An authenticated user. {@code grants == null}: a member of system:masters (everything allowed). */
    public record User(String name, List<Grant> grants) {
        boolean superUser() {
            return grants == null;
        }
    }

    /**
     * What Kubernetes grants every authenticated user out of the box (ClusterRoles system:basic-user,
     * system:discovery, system:public-info-viewer). Leader election creates a SelfSubjectRulesReview at start.
     */
    public static final List<Grant> AUTHENTICATED = Grant.clusterWide(List.of(
            new PolicyRuleBuilder()
                    .withApiGroups("authorization.k8s.io")
                    .withResources("selfsubjectrulesreviews", "selfsubjectaccessreviews")
                    .withVerbs("create")
                    .build(),
            new PolicyRuleBuilder()
                    .withNonResourceURLs(
                            "/api",
                            "/api/*",
                            "/apis",
                            "/apis/*",
                            "/version",
                            "/version/",
                            "/healthz",
                            "/livez",
                            "/readyz",
                            "/openapi",
                            "/openapi/*")
                    .withVerbs("get")
                    .build()));

    /** system:public-info-viewer, the only thing system:anonymous may do. */
    static final List<Grant> ANONYMOUS_GRANTS = Grant.clusterWide(List.of(new PolicyRuleBuilder()
            .withNonResourceURLs("/healthz", "/livez", "/readyz", "/version", "/version/")
            .withVerbs("get")
            .build()));

    static final User ANONYMOUS = new User("system:anonymous", ANONYMOUS_GRANTS);

    private final Map<String, User> byToken = new ConcurrentHashMap<>();
    private final ServiceAccountTokens serviceAccountTokens = new ServiceAccountTokens();
    /** Grants of ServiceAccounts (by username), as their RoleBindings / ClusterRoleBindings give them. */
    private final Map<String, List<Grant>> serviceAccountGrants = new ConcurrentHashMap<>();

    ServiceAccountTokens serviceAccountTokens() {
        return serviceAccountTokens;
    }

    /** Adds cluster-wide grants to a user authenticated by a ServiceAccount token (a ClusterRoleBinding). */
    void bindClusterWide(String username, List<PolicyRule> rules) {
        serviceAccountGrants.merge(username, Grant.clusterWide(rules), (a, b) -> {
            List<Grant> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
    }

    void addSuperUser(String token, String name) {
        byToken.put(token, new User(name, null));
    }

    /** A user with these grants (from RoleBindings / ClusterRoleBindings) plus {@link #AUTHENTICATED}. */
    void addUser(String token, String name, List<Grant> grants) {
        List<Grant> all = new ArrayList<>(grants);
        all.addAll(AUTHENTICATED);
        byToken.put(token, new User(name, List.copyOf(all)));
    }

    /** The user of an Authorization header value; {@link #ANONYMOUS} without one; null for an unknown token (401). */
    User authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return ANONYMOUS;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        User known = byToken.get(token);
        if (known != null) {
            return known;
        }
        // a ServiceAccount token authenticates requests only with the API server's own audience
        return serviceAccountTokens
                .authenticate(token, ServiceAccountTokens.API_AUDIENCES)
                .identity()
                .map(id -> {
                    List<Grant> all = new ArrayList<>(serviceAccountGrants.getOrDefault(id.username(), List.of()));
                    all.addAll(AUTHENTICATED);
                    return new User(id.username(), List.copyOf(all));
                })
                .orElse(null);
    }

    static boolean allowed(User user, Access access) {
        return user.superUser() || user.grants().stream().anyMatch(g -> RbacCoverage.allows(g, access));
    }

    /**
     * kube-apiserver's 403 (responsewriters.ForbiddenStatusError): "<resource>[.<group>] \"<name>\" is
     * forbidden: User \"<user>\" cannot <verb> resource \"<resource>[/<sub>]\" in API group \"<group>\"
     * in the namespace \"<ns>\"" (or "at the cluster scope"; "cannot get path" for non-resource URLs).
     */
    static ObjectNode forbidden(User user, Access a) {
        if (a.isNonResource()) {
            return ApiStatus.failure(
                    403,
                    "Forbidden",
                    "forbidden: User \"" + user.name() + "\" cannot " + a.verb() + " path \"" + a.nonResourcePath()
                            + "\"",
                    null);
        }
        String why = "User \"" + user.name() + "\" cannot " + a.verb() + " resource \"" + a.resourcePath()
                + "\" in API group \"" + a.apiGroup() + "\""
                + (a.namespace() != null ? " in the namespace \"" + a.namespace() + "\"" : " at the cluster scope");
        String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
        String message = qualified + (a.name() == null ? "" : " \"" + a.name() + "\"") + " is forbidden: " + why;
        ObjectNode details = Serialization.jsonMapper().createObjectNode();
        if (a.name() != null) {
            details.put("name", a.name());
        }
        if (!a.apiGroup().isEmpty()) {
            details.put("group", a.apiGroup());
        }
        details.put("kind", a.resource());
        return ApiStatus.failure(403, "Forbidden", message, details);
    }

    /** The status of a SelfSubjectRulesReview (spec.namespace): the user's rules that apply there, as RBAC's RulesFor lists them. */
    static ObjectNode rulesReview(User user, JsonNode review) {
        String namespace = review.path("spec").path("namespace").asText("");
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectRulesReview");
        out.putObject("metadata").putNull("creationTimestamp");
        ObjectNode status = out.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        status.put("incomplete", false);
        List<Grant> grants = user.superUser()
                ? Grant.clusterWide(List.of(
                        new PolicyRuleBuilder()
                                .withApiGroups("*")
                                .withResources("*")
                                .withVerbs("*")
                                .build(),
                        new PolicyRuleBuilder()
                                .withNonResourceURLs("*")
                                .withVerbs("*")
                                .build()))
                : user.grants();
        for (Grant g : grants) {
            if (g.namespace() != null && !g.namespace().equals(namespace)) {
                continue;
            }
            PolicyRule r = g.rule();
            if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
                ObjectNode n = nonResourceRules.addObject();
                strings(n.putArray("verbs"), r.getVerbs());
                strings(n.putArray("nonResourceURLs"), r.getNonResourceURLs());
            } else {
                ObjectNode n = resourceRules.addObject();
                strings(n.putArray("verbs"), r.getVerbs());
                strings(n.putArray("apiGroups"), r.getApiGroups());
                strings(n.putArray("resources"), r.getResources());
                if (r.getResourceNames() != null && !r.getResourceNames().isEmpty()) {
                    strings(n.putArray("resourceNames"), r.getResourceNames());
                }
            }
        }
        return out;
    }

    /** The status of a SelfSubjectAccessReview: resourceAttributes or nonResourceAttributes, decided like a request. */
    static ObjectNode accessReview(User user, JsonNode review) {
        JsonNode spec = review.path("spec");
        Access a;
        if (spec.has("nonResourceAttributes")) {
            JsonNode n = spec.path("nonResourceAttributes");
            a = Access.nonResource(n.path("verb").asText(), n.path("path").asText());
        } else {
            JsonNode r = spec.path("resourceAttributes");
            a = Access.resource(
                    r.path("verb").asText(),
                    r.path("group").asText(""),
                    r.path("resource").asText(),
                    emptyToNull(r.path("subresource").asText("")),
                    emptyToNull(r.path("namespace").asText("")),
                    emptyToNull(r.path("name").asText("")));
        }
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
        out.putObject("metadata").putNull("creationTimestamp");
        ObjectNode status = out.putObject("status").put("allowed", allowed(user, a));
        if (allowed(user, a)) {
            status.put("reason", user.superUser() ? "" : "RBAC: allowed");
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static void strings(ArrayNode to, List<String> values) {
        if (values != null) {
            values.forEach(to::add);
        }
    }
}
