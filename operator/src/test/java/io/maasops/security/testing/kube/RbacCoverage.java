package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks recorded API access ({@link RequestRecorder}) against RBAC rules the way the API
 * server's RBAC authorizer matches them: apiGroups, resources ("res", "res/sub", "*", "*&#47;sub"),
 * verbs, resourceNames (which never match a request without a name, e.g. create or list) and,
 * for ClusterRoles, nonResourceURLs. Both directions: every access is allowed
 * ({@link #uncovered}) and every granted permission is used ({@link #unusedPermissions}).
 */
public final class RbacCoverage {

    private RbacCoverage() {}

    /** A rule and where it applies: {@code namespace == null} means every namespace (a ClusterRoleBinding). */
    public record Grant(String namespace, PolicyRule rule) {

        public static List<Grant> clusterWide(List<PolicyRule> rules) {
            return rules.stream().map(r -> new Grant(null, r)).toList();
        }

        public static List<Grant> inNamespace(String namespace, List<PolicyRule> rules) {
            return rules.stream().map(r -> new Grant(namespace, r)).toList();
        }
    }

    /** Fails, listing every access that no rule allows (cluster-wide rules). */
    public static void assertCovered(Set<Access> used, List<PolicyRule> rules) {
        assertCovered(used, Grant.clusterWide(rules));
    }

    /** Fails, listing every access that no grant allows. */
    public static void assertCovered(Collection<Access> used, Collection<Grant> grants) {
        List<Access> missing = uncovered(used, grants);
        if (!missing.isEmpty()) {
            throw new AssertionError("RBAC does not allow " + missing.size() + " access(es) the client used:\n  "
                    + String.join(
                            "\n  ",
                            missing.stream().map(Access::toString).sorted().toList()));
        }
    }

    public static List<Access> uncovered(Collection<Access> used, Collection<Grant> grants) {
        return used.stream()
                .filter(a -> grants.stream().noneMatch(g -> allows(g, a)))
                .toList();
    }

    /**
     * The permissions the grants give that no recorded access used, as "group/resource verb" (core
     * group spelt "core"), or "nonResourceURL verb".
     */
    public static Set<String> unusedPermissions(Collection<Access> used, Collection<Grant> grants) {
        Set<String> unused = new TreeSet<>();
        for (Grant g : grants) {
            PolicyRule r = g.rule();
            for (String verb : list(r.getVerbs())) {
                for (String url : list(r.getNonResourceURLs())) {
                    if (used.stream()
                            .noneMatch(a -> a.isNonResource()
                                    && matchesVerb(verb, a.verb())
                                    && matchesUrl(url, a.nonResourcePath()))) {
                        unused.add(url + " " + verb);
                    }
                }
                for (String group : list(r.getApiGroups())) {
                    for (String resource : list(r.getResources())) {
                        boolean isUsed = used.stream()
                                .anyMatch(a -> !a.isNonResource()
                                        && matchesVerb(verb, a.verb())
                                        && (group.equals("*") || group.equals(a.apiGroup()))
                                        && matchesResource(resource, a)
                                        && (g.namespace() == null
                                                || g.namespace().equals(a.namespace())));
                        if (!isUsed) {
                            unused.add(permission(group, resource, verb));
                        }
                    }
                }
            }
        }
        return unused;
    }

    /** The spelling {@link #unusedPermissions} uses, for allow-lists. */
    public static String permission(String group, String resource, String verb) {
        return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
    }

    public static boolean allows(Grant grant, Access a) {
        PolicyRule r = grant.rule();
        if (a.isNonResource()) {
            return grant.namespace() == null
                    && list(r.getVerbs()).stream().anyMatch(v -> matchesVerb(v, a.verb()))
                    && list(r.getNonResourceURLs()).stream().anyMatch(u -> matchesUrl(u, a.nonResourcePath()));
        }
        if (grant.namespace() != null && !grant.namespace().equals(a.namespace())) {
            return false; // a Role (or RoleBinding) only covers requests inside its namespace
        }
        return list(r.getVerbs()).stream().anyMatch(v -> matchesVerb(v, a.verb()))
                && list(r.getApiGroups()).stream().anyMatch(g -> g.equals("*") || g.equals(a.apiGroup()))
                && list(r.getResources()).stream().anyMatch(res -> matchesResource(res, a))
                && (list(r.getResourceNames()).isEmpty()
                        || (a.name() != null && r.getResourceNames().contains(a.name())));
    }

    /**
     * The grants a ServiceAccount gets from rendered objects: each ClusterRoleBinding → its
     * ClusterRole everywhere, each RoleBinding → its Role or ClusterRole in the binding's namespace.
     * Bindings to roles missing from {@code objects} fail: the chart must be self-contained.
     */
    public static List<Grant> grantsFor(List<HasMetadata> objects, String saNamespace, String saName) {
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && bindsTo(b.getSubjects(), saNamespace, saName)) {
                grants.addAll(Grant.clusterWide(rulesOf(objects, b.getRoleRef(), null)));
            } else if (o instanceof RoleBinding b && bindsTo(b.getSubjects(), saNamespace, saName)) {
                grants.addAll(Grant.inNamespace(
                        b.getMetadata().getNamespace(),
                        rulesOf(objects, b.getRoleRef(), b.getMetadata().getNamespace())));
            }
        }
        return grants;
    }

    private static boolean bindsTo(List<Subject> subjects, String ns, String name) {
        return list(subjects).stream()
                .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && ns.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rulesOf(List<HasMetadata> objects, RoleRef ref, String namespace) {
        for (HasMetadata o : objects) {
            boolean sameName = o.getMetadata().getName().equals(ref.getName());
            if (ref.getKind().equals("ClusterRole") && o instanceof ClusterRole cr && sameName) {
                return list(cr.getRules());
            }
            if (ref.getKind().equals("Role")
                    && o instanceof Role r
                    && sameName
                    && Objects.equals(namespace, r.getMetadata().getNamespace())) {
                return list(r.getRules());
            }
        }
        throw new AssertionError(
                "binding refers to " + ref.getKind() + " " + ref.getName() + " which is not among the objects");
    }

    private static boolean matchesVerb(String ruleVerb, String verb) {
        return ruleVerb.equals("*") || ruleVerb.equals(verb);
    }

    private static boolean matchesResource(String ruleResource, Access a) {
        if (ruleResource.equals("*")) {
            return true;
        }
        if (ruleResource.startsWith("*/")) {
            return a.subresource() != null && ruleResource.substring(2).equals(a.subresource());
        }
        return ruleResource.equals(a.resourcePath());
    }

    private static boolean matchesUrl(String ruleUrl, String path) {
        return ruleUrl.equals("*")
                || ruleUrl.equals(path)
                || (ruleUrl.endsWith("*") && path.startsWith(ruleUrl.substring(0, ruleUrl.length() - 1)));
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
