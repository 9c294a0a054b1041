package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.vault.VaultDouble;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 20 item 8: Vault over TLS through the operator end to end, as the README configures it: an https address,
 * the CA in a Secret of the operator's namespace named by {@code spec.vault.caSecretRef}, no
 * {@code allowInsecureHttp}. Verified by default: without the CA, the same Vault is refused.
 */
class VaultTlsEndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    private final VaultDouble vault = VaultDouble.startTls();

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void anIntegrationReachesVaultOverTlsWithItsCaSecretAndIsRefusedWithoutIt() {
        var k8s = OPERATOR.client();
        String token = MaasTestbed.bootstrapVault(vault);
        MaasTestbed.applySecret(k8s, MaasTestbed.OPERATOR_NAMESPACE, "vault-token", Map.of("token", token));
        MaasTestbed.applySecret(k8s, MaasTestbed.OPERATOR_NAMESPACE, "vault-ca", Map.of("ca.crt", vault.caPem()));
        k8s.resource(Serialization.unmarshal(
                        """
                apiVersion: security.maasops.io/v1alpha1
                kind: VaultIntegration
                metadata: {name: maas}
                spec:
                  tenancy: {allowedNamespaces: [%s]}
                  vault:
                    address: %s
                    caSecretRef: {name: vault-ca, key: ca.crt}
                    auth:
                      tokenSecretRef: {name: vault-token, key: token}
                """.formatted(OPERATOR.namespace(), vault.address()), VaultIntegration.class))
                .create();

        await().atMost(Duration.ofSeconds(30)).until(() -> isTrue("VaultReachable") && isTrue("AppRoleAuthReady"));
        assertThat(vault.address().getScheme()).isEqualTo("https");
        assertThat(condition("InsecureTransport"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "Https");
        long served = vault.requests().size();
        assertThat(served).isPositive();

        // the same Vault without the CA: the JVM's trust store does not know it, and nothing is sent
        k8s.resources(VaultIntegration.class)
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"vault\":{\"caSecretRef\":null}}}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> condition("VaultReachable")
                        .map(c -> "False".equals(c.getStatus()))
                        .orElse(false));
        assertThat(condition("VaultReachable").orElseThrow().getMessage())
                .as("says why")
                .containsAnyOf("certificate", "PKIX", "SSL", "TLS");
    }

    private Optional<Condition> condition(String type) {
        var vi = OPERATOR.client()
                .resources(VaultIntegration.class)
                .withName("maas")
                .get();
        return vi == null || vi.getStatus() == null
                ? Optional.empty()
                : Conditions.find(vi.getStatus().getConditions(), type);
    }

    private boolean isTrue(String type) {
        return condition(type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
