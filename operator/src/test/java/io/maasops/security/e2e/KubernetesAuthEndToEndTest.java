package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.KubernetesAuth;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.Access;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.OperatorExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 20 item 8: Kubernetes auth end to end. The operator logs in to Vault with its projected ServiceAccount
 * token (audience vault, issued by the API double); Vault's Kubernetes auth checks the role's bindings and asks
 * the API double with a TokenReview, made with its reviewer's token, which RBAC must allow.
 */
class KubernetesAuthEndToEndTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final String ROLE = "maas-security-operator";
    static final String OPERATOR_SA = "maas-security-operator";

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    /** A testbed whose VaultIntegration logs in with Kubernetes auth (role {@link #ROLE}) instead of a token. */
    void applyWithKubernetesAuth() {
        VaultIntegration vi = testbed.integration("maas", ns());
        vi.getSpec().getVault().getAuth().setTokenSecretRef(null);
        KubernetesAuth auth = new KubernetesAuth();
        auth.setRole(ROLE);
        vi.getSpec().getVault().getAuth().setKubernetes(auth);
        testbed.applySecrets(k8s(), ns());
        k8s().resource(vi).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
    }

    long logins(int status) {
        return testbed.vault().requests().stream()
                .filter(r -> r.path().equals("/v1/auth/kubernetes/login") && r.status() == status)
                .count();
    }

    /** The integration's False condition whose message holds {@code text}. */
    Condition refusedWith(String text) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            VaultIntegration vi = k8s().resources(VaultIntegration.class)
                                    .withName("maas")
                                    .get();
                            return vi == null || vi.getStatus() == null
                                    ? null
                                    : vi.getStatus().getConditions().stream()
                                            .filter(c -> Conditions.FALSE.equals(c.getStatus()))
                                            .filter(c -> c.getMessage() != null
                                                    && c.getMessage().contains(text))
                                            .findFirst()
                                            .orElse(null);
                        },
                        c -> c != null);
    }

    @Test
    void theOperatorLogsInWithItsProjectedTokenThroughATokenReviewAndProvisionsARegion() {
        testbed = MaasTestbed.start(1);
        OPERATOR.kubernetesAuth(
                testbed.vault(),
                ROLE,
                List.of(OPERATOR_SA),
                List.of(KubeApiDouble.RELEASE_NAMESPACE),
                List.of(MaasTestbed.OPERATOR_POLICY),
                true);
        OPERATOR.api().resetRecordedAccess();
        applyWithKubernetesAuth();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            MaasRegion r = k8s().resources(MaasRegion.class)
                    .inNamespace(ns())
                    .withName("region-a")
                    .get();
            assertThat(r.getStatus()).isNotNull();
            assertThat(Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY))
                    .as("region-a Ready")
                    .isTrue();
        });
        assertThat(testbed.vault().secretIdAccessors("approle", "maas_" + ns() + "_region-a"))
                .as("provisioned through the Kubernetes login's token")
                .hasSize(1);
        assertThat(logins(200)).as("Kubernetes logins").isPositive();
        assertThat(testbed.vault().tokenReviews())
                .as("a TokenReview per login, created (201) by the API server")
                .hasSize((int) logins(200))
                .containsOnly(201);
        assertThat(OPERATOR.api().recordedAccess())
                .contains(Access.resource("create", "authentication.k8s.io", "tokenreviews", null, null, null));
    }

    @Test
    void aRoleBoundToAnotherServiceAccountRefusesTheOperatorWithVaultsMessage() {
        testbed = MaasTestbed.start(1);
        OPERATOR.kubernetesAuth(
                testbed.vault(),
                ROLE,
                List.of("someone-else"),
                List.of(KubeApiDouble.RELEASE_NAMESPACE),
                List.of(MaasTestbed.OPERATOR_POLICY),
                true);
        applyWithKubernetesAuth();
        String refused = refusedWith("service account name not authorized").getMessage();
        System.out.println("refused: " + refused);
        // the login's refusal, with a hint on the role's bindings, not on the operator's policy
        assertThat(refused)
                .contains("kubernetes_login: ")
                .contains("must bind the operator's ServiceAccount and namespace")
                .doesNotContain("policy lacks");
        assertThat(logins(200)).isZero();
        assertThat(testbed.vault().tokenReviews())
                .as("refused before any review")
                .isEmpty();
    }

    @Test
    void aRoleBoundToAnotherNamespaceRefusesTheOperatorWithVaultsMessage() {
        testbed = MaasTestbed.start(1);
        OPERATOR.kubernetesAuth(
                testbed.vault(),
                ROLE,
                List.of(OPERATOR_SA),
                List.of("tenant-*"),
                List.of(MaasTestbed.OPERATOR_POLICY),
                true);
        applyWithKubernetesAuth();
        System.out.println("refused: " + refusedWith("namespace not authorized").getMessage());
        assertThat(logins(200)).isZero();
        assertThat(testbed.vault().tokenReviews())
                .as("refused before any review")
                .isEmpty();
    }

    @Test
    void aReviewerWithoutTokenReviewPermissionGetsAForbiddenReviewAndTheLoginIsDenied() {
        testbed = MaasTestbed.start(1);
        OPERATOR.kubernetesAuth(
                testbed.vault(),
                ROLE,
                List.of(OPERATOR_SA),
                List.of(KubeApiDouble.RELEASE_NAMESPACE),
                List.of(MaasTestbed.OPERATOR_POLICY),
                false);
        applyWithKubernetesAuth();
        System.out.println("refused: " + refusedWith("permission denied").getMessage());
        assertThat(logins(200)).isZero();
        assertThat(testbed.vault().tokenReviews())
                .as("the API server refused the reviewer (RBAC)")
                .isNotEmpty()
                .containsOnly(403);
    }
}
