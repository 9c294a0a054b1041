package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.Reconciles;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each kind with a missing reference ends Ready=False with a specific reason, and observedGeneration set. */
class MissingReferenceTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final String VI = """
      apiVersion: security.maasops.io/v1alpha1
      kind: VaultIntegration
      metadata: {name: maas-prod}
      spec:
        tenancy: {allowedNamespaces: ["*"]}
        vault:
          address: https://vault.example:8200
          auth:
            tokenSecretRef: {name: vault-token, key: token}
      """;

    static final String REGION = """
      apiVersion: security.maasops.io/v1alpha1
      kind: MaasRegion
      metadata: {name: region-a}
      spec:
        vaultIntegrationRef: {name: %s}
        hostname: region-a
        access:
          ssh:
            host: 127.0.0.1
            user: ubuntu
            privateKeySecretRef: {name: region-a-ssh, key: id_ed25519}
            knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
      """;

    static final String BINDING = """
      apiVersion: security.maasops.io/v1alpha1
      kind: RoleBinding
      metadata: {name: ops}
      spec:
        maasRegionRef: {name: no-such-region}
        role: Operator
        subjects: [{kind: User, name: alice}]
        resourcePools: [production]
      """;

    @Test
    void vaultIntegrationWithoutItsTokenSecret() {
        OPERATOR.client()
                .secrets()
                .inNamespace(MaasTestbed.OPERATOR_NAMESPACE)
                .withName("vault-token")
                .delete();
        create(VaultIntegration.class, VI);
        Condition ready = awaitReady(VaultIntegration.class, "maas-prod", "SecretNotFound");
        assertThat(ready.getMessage())
                .contains(MaasTestbed.OPERATOR_NAMESPACE + "/vault-token")
                .contains("does not exist");
        assertThat(ready.getStatus()).isEqualTo("False");
    }

    @Test
    void vaultIntegrationWithTheWrongKeyInItsSecret() {
        operatorSecret("vault-token", Map.of("not-token", "x"));
        create(VaultIntegration.class, VI);
        Condition ready = awaitReady(VaultIntegration.class, "maas-prod", "SecretKeyNotFound");
        assertThat(ready.getMessage()).contains("has no key \"token\"");
    }

    @Test
    void regionWithoutItsVaultIntegration() {
        create(MaasRegion.class, REGION.formatted("nowhere"));
        Condition ready = awaitReady(MaasRegion.class, "region-a", "VaultIntegrationNotFound");
        assertThat(ready.getMessage()).contains("nowhere");
    }

    @Test
    void regionWithoutItsSshKeySecretAndRecoveryWhenItAppears() {
        operatorSecret("vault-token", Map.of("token", "root"));
        create(VaultIntegration.class, VI);
        create(MaasRegion.class, REGION.formatted("maas-prod"));
        Condition ready = awaitReady(MaasRegion.class, "region-a", "SecretNotFound");
        assertThat(ready.getMessage())
                .startsWith("spec.access.ssh.privateKeySecretRef")
                .contains("region-a-ssh");
        long generation = get(MaasRegion.class, "region-a").getMetadata().getGeneration();

        // recovery: the Secrets appear, nothing else changes, and the region moves past them by itself
        MaasTestbed.applySecret(
                OPERATOR.client(), OPERATOR.namespace(), "region-a-ssh", Map.of("id_ed25519", "not a key"));
        MaasTestbed.applySecret(
                OPERATOR.client(),
                OPERATOR.namespace(),
                "maas-known-hosts",
                Map.of("known_hosts", "127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition now = Conditions.find(
                            get(MaasRegion.class, "region-a").getStatus().getConditions(), Conditions.READY)
                    .orElseThrow();
            assertThat(now.getReason()).isNotEqualTo("SecretNotFound");
            assertThat(now.getMessage()).doesNotContain("region-a-ssh\" does not exist");
        });
        assertThat(get(MaasRegion.class, "region-a").getMetadata().getGeneration())
                .as("recovered without a change to the MaasRegion")
                .isEqualTo(generation);
    }

    /** Issue 20 item 9: a wrong key in spec.api.apiKeySecretRef is reported at once, like every other reference. */
    @Test
    void regionWithTheWrongKeyInItsApiKeySecretIsReportedAtOnce() {
        operatorSecret("vault-token", Map.of("token", "root"));
        MaasTestbed.applySecret(
                OPERATOR.client(), OPERATOR.namespace(), "region-a-ssh", Map.of("id_ed25519", "not a key"));
        MaasTestbed.applySecret(
                OPERATOR.client(),
                OPERATOR.namespace(),
                "maas-known-hosts",
                Map.of("known_hosts", "127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE"));
        MaasTestbed.applySecret(OPERATOR.client(), OPERATOR.namespace(), "maas-api", Map.of("apikey", "a:b:c"));
        create(
                VaultIntegration.class,
                VI.replace(
                        "tenancy: {allowedNamespaces: [\"*\"]}",
                        "tenancy: {allowedNamespaces: [\"*\"], allowedMaasApiUrls: [\"https://maas.example:5240/MAAS\"]}"));
        create(
                MaasRegion.class,
                REGION.formatted("maas-prod")
                        + "  api: {url: 'https://maas.example:5240/MAAS', apiKeySecretRef: {name: maas-api, key:"
                        + " api-key}}\n");
        Condition ready = awaitReady(MaasRegion.class, "region-a", "SecretKeyNotFound");
        assertThat(ready.getMessage()).startsWith("spec.api.apiKeySecretRef").contains("has no key \"api-key\"");
        // and it stays reported (the rechecks do not replace it) until the key is there
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> Conditions.find(
                                get(MaasRegion.class, "region-a").getStatus().getConditions(), Conditions.READY)
                        .map(c -> "SecretKeyNotFound".equals(c.getReason()))
                        .orElse(false));
    }

    @Test
    void roleBindingWithoutItsRegion() {
        create(RoleBinding.class, BINDING);
        Condition ready = awaitReady(RoleBinding.class, "ops", "MaasRegionNotFound");
        assertThat(ready.getMessage()).contains("no-such-region");
    }

    @Test
    void invalidSpecIsReportedNotRetried() {
        create(VaultIntegration.class, VI + "  appRole: {tokenTTL: 10m, tokenMaxTTL: 5m}\n");
        Condition ready = awaitReady(VaultIntegration.class, "maas-prod", "InvalidSpec");
        assertThat(ready.getMessage()).contains("tokenMaxTTL");

        // not retried: once reported, at most a reconcile or two more (events of its own write; the tests' retry
        // delays are milliseconds, so a retried invalid spec would show dozens within this window). Counted by
        // starts: a reconcile of an earlier test's resource cut short by its deletion never counts as ended.
        long before = Reconciles.started(OPERATOR.registry(), "VaultIntegration");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> Reconciles.started(OPERATOR.registry(), "VaultIntegration") - before <= 2);
    }

    private <T extends CustomResource<?, ?>> T get(Class<T> type, String name) {
        return OPERATOR.client()
                .resources(type)
                .inNamespace(OPERATOR.namespace())
                .withName(name)
                .get();
    }

    private <T extends CustomResource<?, ?>> void create(Class<T> type, String yaml) {
        T resource = Serialization.unmarshal(yaml, type);
        OPERATOR.client()
                .resources(type)
                .inNamespace(OPERATOR.namespace())
                .resource(resource)
                .create();
    }

    /** A Secret in the operator's own namespace, where a cluster-scoped VaultIntegration's Secrets live. */
    private void operatorSecret(String name, Map<String, String> data) {
        MaasTestbed.applySecret(OPERATOR.client(), MaasTestbed.OPERATOR_NAMESPACE, name, data);
    }

    private <T extends CustomResource<?, ? extends ResourceStatus>> Condition awaitReady(
            Class<T> type, String name, String reason) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            T r = OPERATOR.client()
                                    .resources(type)
                                    .inNamespace(OPERATOR.namespace())
                                    .withName(name)
                                    .get();
                            if (r == null || r.getStatus() == null) {
                                return null;
                            }
                            assertThat(r.getStatus().getObservedGeneration())
                                    .isEqualTo(r.getMetadata().getGeneration());
                            return Conditions.find(r.getStatus().getConditions(), Conditions.READY)
                                    .filter(c -> reason.equals(c.getReason()))
                                    .orElse(null);
                        },
                        c -> c != null);
    }
}
