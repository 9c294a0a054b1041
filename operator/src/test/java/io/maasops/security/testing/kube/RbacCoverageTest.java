package io.maasops.security.testing.kube;

import static io.maasops.security.testing.kube.RequestRecorder.toAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.maasops.security.testing.kube.RbacCoverage.Grant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Request → RBAC access mapping (as the kube-apiserver resolves it) and rule matching. */
class RbacCoverageTest {

    @Test
    void mapsRequestsToVerbsLikeTheApiServer() {
        assertThat(toAccess("GET", "/api/v1/namespaces/ns/secrets/s1"))
                .isEqualTo(Access.resource("get", "", "secrets", null, "ns", "s1"));
        assertThat(toAccess("GET", "/api/v1/namespaces/ns/secrets?limit=500"))
                .isEqualTo(Access.resource("list", "", "secrets", null, "ns", null));
        assertThat(toAccess(
                        "GET", "/apis/security.maasops.io/v1alpha1/maasregions?allowWatchBookmarks=true&watch=true"))
                .isEqualTo(Access.resource("watch", "security.maasops.io", "maasregions", null, null, null));
        assertThat(toAccess("PATCH", "/apis/security.maasops.io/v1alpha1/namespaces/ns/maasregions/r/status"))
                .isEqualTo(Access.resource("patch", "security.maasops.io", "maasregions", "status", "ns", "r"));
        assertThat(toAccess("POST", "/apis/coordination.k8s.io/v1/namespaces/default/leases"))
                .isEqualTo(Access.resource("create", "coordination.k8s.io", "leases", null, "default", null));
        assertThat(toAccess("PUT", "/apis/coordination.k8s.io/v1/namespaces/default/leases/l")
                        .verb())
                .isEqualTo("update");
        assertThat(toAccess("DELETE", "/api/v1/namespaces/ns/pods/p").verb()).isEqualTo("delete");
        assertThat(toAccess("DELETE", "/api/v1/namespaces/ns/pods").verb()).isEqualTo("deletecollection");
        // exec: GET (WebSocket upgrade) is authorized as get, POST (SPDY) as create
        assertThat(toAccess("GET", "/api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true"))
                .isEqualTo(Access.resource("get", "", "pods", "exec", "ns", "p"));
        assertThat(toAccess("POST", "/api/v1/namespaces/ns/pods/p/exec?command=ls")
                        .verb())
                .isEqualTo("create");
        // Namespace objects themselves
        assertThat(toAccess("GET", "/api/v1/namespaces/ns"))
                .isEqualTo(Access.resource("get", "", "namespaces", null, null, "ns"));
        assertThat(toAccess("PUT", "/api/v1/namespaces/ns/status"))
                .isEqualTo(Access.resource("update", "", "namespaces", "status", null, "ns"));
        assertThat(toAccess("POST", "/api/v1/namespaces"))
                .isEqualTo(Access.resource("create", "", "namespaces", null, null, null));
        // discovery and other non-resource URLs
        assertThat(toAccess("GET", "/apis/security.maasops.io/v1alpha1"))
                .isEqualTo(Access.nonResource("get", "/apis/security.maasops.io/v1alpha1"));
        assertThat(toAccess("GET", "/version")).isEqualTo(Access.nonResource("get", "/version"));
    }

    static final PolicyRule SECRETS_GET = new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("secrets")
            .withVerbs("get")
            .build();
    static final PolicyRule STATUS = new PolicyRuleBuilder()
            .withApiGroups("security.maasops.io")
            .withResources("maasregions/status")
            .withVerbs("patch")
            .build();
    static final PolicyRule OWN_LEASE = new PolicyRuleBuilder()
            .withApiGroups("coordination.k8s.io")
            .withResources("leases")
            .withResourceNames("op")
            .withVerbs("get", "patch", "create")
            .build();

    @Test
    void matchesGroupResourceSubresourceVerbAndNames() {
        Grant secrets = new Grant(null, SECRETS_GET);
        assertThat(RbacCoverage.allows(secrets, Access.resource("get", "", "secrets", null, "x", "s")))
                .isTrue();
        assertThat(RbacCoverage.allows(secrets, Access.resource("list", "", "secrets", null, "x", null)))
                .isFalse();
        assertThat(RbacCoverage.allows(secrets, Access.resource("get", "other", "secrets", null, "x", "s")))
                .isFalse();
        Grant status = new Grant(null, STATUS);
        assertThat(RbacCoverage.allows(
                        status, Access.resource("patch", "security.maasops.io", "maasregions", "status", "x", "r")))
                .isTrue();
        assertThat(RbacCoverage.allows(
                        status, Access.resource("patch", "security.maasops.io", "maasregions", null, "x", "r")))
                .as("a subresource rule does not cover the main resource")
                .isFalse();
        Grant lease = new Grant("default", OWN_LEASE);
        assertThat(RbacCoverage.allows(
                        lease, Access.resource("get", "coordination.k8s.io", "leases", null, "default", "op")))
                .isTrue();
        assertThat(RbacCoverage.allows(
                        lease, Access.resource("get", "coordination.k8s.io", "leases", null, "default", "other")))
                .isFalse();
        assertThat(RbacCoverage.allows(
                        lease, Access.resource("create", "coordination.k8s.io", "leases", null, "default", null)))
                .as("resourceNames never match a create (no name in the URL)")
                .isFalse();
        assertThat(RbacCoverage.allows(
                        lease, Access.resource("get", "coordination.k8s.io", "leases", null, "kube-system", "op")))
                .as("a Role only applies in its namespace")
                .isFalse();
        Grant wildcard = new Grant(
                null,
                new PolicyRuleBuilder()
                        .withApiGroups("*")
                        .withResources("*/status")
                        .withVerbs("*")
                        .build());
        assertThat(RbacCoverage.allows(wildcard, Access.resource("update", "apps", "deployments", "status", "x", "d")))
                .isTrue();
        assertThat(RbacCoverage.allows(wildcard, Access.resource("update", "apps", "deployments", null, "x", "d")))
                .isFalse();
        Grant urls = new Grant(
                null,
                new PolicyRuleBuilder()
                        .withNonResourceURLs("/apis/*")
                        .withVerbs("get")
                        .build());
        assertThat(RbacCoverage.allows(urls, Access.nonResource("get", "/apis/security.maasops.io/v1alpha1")))
                .isTrue();
        assertThat(RbacCoverage.allows(urls, Access.nonResource("get", "/metrics")))
                .isFalse();
    }

    @Test
    void reportsUncoveredAccessAndUnusedPermissions() {
        Set<Access> used = Set.of(
                Access.resource("get", "", "secrets", null, "ns", "s"),
                Access.resource("list", "", "secrets", null, "ns", null));
        assertThatThrownBy(() -> RbacCoverage.assertCovered(used, List.of(SECRETS_GET)))
                .hasMessageContaining("list core/secrets in ns")
                .hasMessageNotContaining("get core/secrets");
        assertThat(RbacCoverage.unusedPermissions(used, Grant.clusterWide(List.of(SECRETS_GET, STATUS))))
                .containsExactly("security.maasops.io/maasregions/status patch");
    }
}
