package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.Reconciles;
import io.maasops.security.testing.region.RegionHostDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flow 1 end to end: the real operator, the Vault double and simulated region hosts over SSH. */
class ProvisioningTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    boolean ready(
            Class<
                            ? extends
                                    io.fabric8.kubernetes.client.CustomResource<
                                            ?, ? extends io.maasops.security.api.v1alpha1.ResourceStatus>>
                    type,
            String name) {
        var r = k8s().resources(type).inNamespace(ns()).withName(name).get();
        return r != null
                && r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY)
                && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
    }

    void awaitAllReady() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (RegionHostDouble h : testbed.hosts()) {
                assertThat(ready(MaasRegion.class, h.hostname()))
                        .as(h.hostname() + " Ready")
                        .isTrue();
            }
            assertThat(ready(VaultIntegration.class, "maas"))
                    .as("integration Ready")
                    .isTrue();
        });
    }

    @Test
    void threeRegionsOverSshAllReachReady() {
        apply(3);
        awaitAllReady();

        var vault = testbed.vault();
        String prefix = "maas_" + ns() + "_";
        assertThat(vault.roleNames("approle"))
                .containsExactlyInAnyOrder(prefix + "region-a", prefix + "region-b", prefix + "region-c");
        // the regions' policy is the Vault admin's: the operator checked it and did not write it
        assertThat(vault.requests()).noneMatch(r -> r.path().startsWith("/v1/sys/policies/acl/") && r.write());
        assertThat(k8s().resources(VaultIntegration.class)
                        .withName("maas")
                        .get()
                        .getStatus()
                        .getPolicy()
                        .getState())
                .isEqualTo("Matches");
        assertThat(vault.mounts()).containsEntry("secret/", "kv-v2");
        for (RegionHostDouble h : testbed.hosts()) {
            Map<String, Object> conf = h.regiondConf();
            assertThat(conf)
                    .containsKeys(
                            "vault_url",
                            "vault_approle_id",
                            "vault_secret_id",
                            "vault_secrets_path",
                            "vault_secrets_mount");
            assertThat(conf.get("vault_secrets_path")).isEqualTo("maas");
            assertThat(vault.secretIdAccessors("approle", prefix + h.hostname()))
                    .hasSize(1);
            var status = k8s().resources(MaasRegion.class)
                    .inNamespace(ns())
                    .withName(h.hostname())
                    .get()
                    .getStatus();
            assertThat(status.getAppRole().getSecretIdAccessor())
                    .isEqualTo(vault.secretIdAccessors("approle", prefix + h.hostname())
                            .iterator()
                            .next());
            assertThat(status.getAppRole().getRoleId()).isEqualTo(conf.get("vault_approle_id"));
            assertThat(status.getAppRole().getPendingSecretIdAccessor()).isNull();
            assertThat(status.getAppRole().getUnrecordedSecretIdSince())
                    .as("no issue left unrecorded")
                    .isNull();
        }
        // nothing was interrupted, so no role's secret-ids were listed for orphans (issue 11: 3 requests per region)
        assertThat(vault.requests())
                .noneMatch(r -> r.method().equals("LIST") && r.path().endsWith("/secret-id"));
        // each region's self-test wrote and deleted <path>/test-<role_id>
        assertThat(vault.requests())
                .anyMatch(r -> r.method().equals("DELETE") && r.path().contains("/secret/metadata/maas/test-"));
        assertThat(vault.kvKeys("secret", "maas/")).noneMatch(k -> k.contains("test-"));
        var vi = k8s().resources(VaultIntegration.class).withName("maas").get();
        assertThat(vi.getStatus().getRegions().getDeclared()).isEqualTo(3);
        assertThat(vi.getStatus().getRegions().getConfigured()).isEqualTo(3);
        assertThat(vi.getStatus().getRegions().getUnconfigured()).isNullOrEmpty();
    }

    /** Operator Vault requests by operation (all outcomes), from its own metric maasops.vault.requests. */
    static Map<String, Long> vaultRequestsByOperation() {
        Map<String, Long> byOp = new java.util.TreeMap<>();
        for (var c : OPERATOR.registry()
                .find(io.maasops.security.metrics.OperatorMetrics.VAULT_REQUESTS)
                .counters()) {
            byOp.merge(c.getId().getTag("operation"), Math.round(c.count()), Long::sum);
        }
        return byOp;
    }

    static long vaultLogins() {
        return Math.round(
                OPERATOR.registry().find(io.maasops.security.metrics.OperatorMetrics.VAULT_LOGINS).counters().stream()
                        .mapToDouble(io.micrometer.core.instrument.Counter::count)
                        .sum());
    }

    /** BENCHMARKS.md's "3 Vault requests per region to provision" and "1 login per token lifetime", in every build. */
    @Test
    void provisioningCostsThreeVaultRequestsPerRegionAndOneLogin() {
        Map<String, Long> before = vaultRequestsByOperation();
        long loginsBefore = vaultLogins();
        apply(3);
        awaitAllReady();
        Map<String, Long> delta = new java.util.TreeMap<>();
        vaultRequestsByOperation().forEach((op, n) -> {
            long d = n - before.getOrDefault(op, 0L);
            if (d != 0 && !io.maasops.security.bench.VaultOperations.isIntegrationSetUp(op)) {
                delta.put(op, d);
            }
        });
        // the operator's check of its own new token belongs to its login, once per token lifetime
        assertThat(java.util.Objects.requireNonNullElse(delta.remove("token_lookup_self"), 0L))
                .as("token look-ups")
                .isLessThanOrEqualTo(1L);
        assertThat(delta)
                .as("the region reconciles' Vault requests, by operation")
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("write_role", 3L, "read_role_id", 3L, "create_wrapped_secret_id", 3L));
        assertThat(vaultLogins() - loginsBefore)
                .as("operator logins to this Vault")
                .isEqualTo(1);
    }

    @Test
    void theDocumentedOperatorPolicyIsEnough() {
        // MaasTestbed gives the operator a token with only docs/vault-operator-policy.hcl (never root)
        apply(2);
        awaitAllReady();
        assertThat(testbed.vault().requests()).as("no request was denied").noneMatch(r -> r.status() == 403);
    }

    @Test
    void steadyStateMakesNoVaultWrites() {
        apply(2);
        awaitAllReady();
        testbed.vault().clearRequests();
        // a steady-state reconcile comes minutes after the last: past RecentRoleChecks' window, each
        // region reads its role (the drift check) and must find nothing to write
        OPERATOR.clock().advance(io.maasops.security.concern.approle.RecentRoleChecks.FRESH.plusSeconds(1));
        long ended = Reconciles.ended(OPERATOR.registry(), "MaasRegion");
        // reconcile every region of the integration again
        OPERATOR.nudge(VaultIntegration.class, "maas");
        String prefix = "/v1/auth/approle/role/maas_" + ns() + "_";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (RegionHostDouble h : testbed.hosts()) {
                assertThat(testbed.vault().requests())
                        .as("%s's role read", h.hostname())
                        .anyMatch(r -> r.method().equals("GET") && r.path().equals(prefix + h.hostname()));
            }
            assertThat(Reconciles.ended(OPERATOR.registry(), "MaasRegion"))
                    .as("both reconciles ended")
                    .isGreaterThanOrEqualTo(ended + 2);
        });
        assertThat(testbed.vault().requests()).filteredOn(VaultWrite::isWrite).isEmpty();
        assertThat(k8s().v1().events().inNamespace(ns()).list().getItems())
                .extracting(e -> e.getReason())
                .doesNotContain("RoleRepaired");
    }

    @Test
    void sealingMidProvisioningThenUnsealingConverges() {
        testbed = MaasTestbed.start(3);
        testbed.applySecrets(k8s(), ns());
        k8s().resource(testbed.integration("maas", ns())).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> ready(MaasRegion.class, "region-a"));
        testbed.vault().seal();
        k8s().resource(testbed.region("region-b", "maas")).inNamespace(ns()).create();
        k8s().resource(testbed.region("region-c", "maas")).inNamespace(ns()).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var vi = k8s().resources(VaultIntegration.class).withName("maas").get();
            var c = Conditions.find(vi.getStatus().getConditions(), "VaultUnsealed");
            assertThat(c).get().extracting(x -> x.getReason()).isEqualTo("Sealed");
            assertThat(c.get().getMessage()).contains("vault operator unseal");
        });
        assertThat(ready(MaasRegion.class, "region-b")).isFalse();
        testbed.vault().unseal();
        awaitAllReady();
        String prefix = "maas_" + ns() + "_";
        int accessors = 0;
        for (String region : List.of("region-a", "region-b", "region-c")) {
            accessors += testbed.vault()
                    .secretIdAccessors("approle", prefix + region)
                    .size();
        }
        assertThat(accessors)
                .as("secret-id accessors in Vault = regions (no orphans)")
                .isEqualTo(3);
    }

    @Test
    void deletingARegionRemovesItsRoleAndSecretIds() {
        apply(1);
        awaitAllReady();
        String role = "maas_" + ns() + "_region-a";
        assertThat(testbed.vault().roleNames("approle")).contains(role);
        k8s().resources(MaasRegion.class).inNamespace(ns()).withName("region-a").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(k8s().resources(MaasRegion.class)
                            .inNamespace(ns())
                            .withName("region-a")
                            .get())
                    .isNull();
            assertThat(testbed.vault().roleNames("approle")).doesNotContain(role);
        });
    }

    @Test
    void deletionPolicyDecidesWhatDeletingTheIntegrationRemoves() {
        apply(1);
        awaitAllReady();
        String policy = "maas-region";
        String role = "maas_" + ns() + "_region-a";
        // Retain (the default): nothing is removed from Vault
        k8s().resources(VaultIntegration.class).withName("maas").delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        k8s().resources(VaultIntegration.class).withName("maas").get() == null);
        assertThat(testbed.vault().policy(policy)).isPresent();
        assertThat(testbed.vault().roleNames("approle")).contains(role);

        // Delete: the region's role goes; the policy (the Vault admin's) and MAAS's secrets stay
        var vi = testbed.integration("maas", ns());
        vi.getSpec().setDeletionPolicy(io.maasops.security.api.v1alpha1.DeletionPolicy.Delete);
        k8s().resource(vi).create();
        awaitAllReady();
        k8s().resources(VaultIntegration.class).withName("maas").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(k8s().resources(VaultIntegration.class).withName("maas").get())
                    .isNull();
            assertThat(testbed.vault().roleNames("approle")).doesNotContain(role);
        });
        assertThat(testbed.vault().policy(policy)).isPresent();
    }

    @Test
    void driftInVaultIsRepairedAndTheRegionReconfiguredOnlyWhenItsRoleIdChanged() throws Exception {
        apply(2);
        awaitAllReady();
        String prefix = "maas_" + ns() + "_";
        var vault = testbed.vault();
        String rootToken = vault.rootToken();
        String oldRoleIdA =
                String.valueOf(testbed.host("region-a").regiondConf().get("vault_approle_id"));
        String oldRoleIdB =
                String.valueOf(testbed.host("region-b").regiondConf().get("vault_approle_id"));
        // behind the operator's back: delete region-a's role, weaken region-b's
        var http = java.net.http.HttpClient.newHttpClient();
        assertThat(http.send(
                                java.net.http.HttpRequest.newBuilder(
                                                vault.address().resolve("/v1/auth/approle/role/" + prefix + "region-a"))
                                        .header("X-Vault-Token", rootToken)
                                        .DELETE()
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("region-a's role deleted")
                .isEqualTo(204);
        // a longer token TTL, within the role's 30m token_max_ttl (Vault refuses a token_ttl above it with a 400)
        assertThat(http.send(
                                java.net.http.HttpRequest.newBuilder(
                                                vault.address().resolve("/v1/auth/approle/role/" + prefix + "region-b"))
                                        .header("X-Vault-Token", rootToken)
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "{\"token_ttl\": 1200}"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("region-b's role weakened")
                .isEqualTo(204);
        assertThat(vault.roleTokenTtlSeconds("approle", prefix + "region-b")).contains(1200L);

        OPERATOR.clock().advance(Duration.ofMinutes(3)); // past the integration's Vault re-check interval
        OPERATOR.nudge(VaultIntegration.class, "maas");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(vault.roleNames("approle")).contains(prefix + "region-a");
            String newRoleIdA =
                    String.valueOf(testbed.host("region-a").regiondConf().get("vault_approle_id"));
            assertThat(newRoleIdA)
                    .as("region-a reconfigured with its new role-id")
                    .isNotEqualTo(oldRoleIdA);
            assertThat(ready(MaasRegion.class, "region-a")).isTrue();
            assertThat(vault.roleTokenTtlSeconds("approle", prefix + "region-b"))
                    .as("region-b's role restored to tokenTTL 5m")
                    .contains(300L);
            var events = k8s().v1().events().inNamespace(ns()).list().getItems();
            // each region's own repair, told apart by the event's object and message
            assertThat(events)
                    .filteredOn(e -> e.getReason().equals("RoleRepaired")
                            && e.getInvolvedObject().getName().equals("region-a"))
                    .extracting(e -> e.getMessage())
                    .singleElement()
                    .asString()
                    .contains("was missing in Vault and was recreated");
            assertThat(events)
                    .filteredOn(e -> e.getReason().equals("RoleRepaired")
                            && e.getInvolvedObject().getName().equals("region-b"))
                    .extracting(e -> e.getMessage())
                    .singleElement()
                    .asString()
                    .contains("differed from the declared settings and was restored");
            assertThat(events)
                    .filteredOn(e -> e.getReason().equals("SecretIdRotated")
                            && e.getInvolvedObject().getName().equals("region-a"))
                    .as("a reconfiguration goes through the rotation steps")
                    .isNotEmpty();
        });
        assertThat(vault.roleId("approle", prefix + "region-b")).get().isEqualTo(oldRoleIdB);
        assertThat(testbed.host("region-b").regiondConf().get("vault_approle_id"))
                .as("region-b kept its configuration")
                .isEqualTo(oldRoleIdB);
        assertThat(vault.secretIdAccessors("approle", prefix + "region-a")).hasSize(1);
    }

    @Test
    void anEditedRegionPolicyIsReportedNeverRewritten() {
        apply(1);
        awaitAllReady();
        var vault = testbed.vault();
        String expected = k8s().resources(VaultIntegration.class)
                .withName("maas")
                .get()
                .getStatus()
                .getPolicy()
                .getExpected();
        // the Vault admin (or an intruder) widens the regions' policy
        vault.putPolicy(
                "maas-region",
                "path \"secret/*\" { capabilities = [\"read\", \"create\", \"update\", \"delete\", \"list\"] }");
        vault.clearRequests();
        OPERATOR.requestCheck(VaultIntegration.class, "maas"); // or wait for the next periodic check
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var vi = k8s().resources(VaultIntegration.class).withName("maas").get();
            var c = Conditions.find(vi.getStatus().getConditions(), "PolicyReady")
                    .orElseThrow();
            assertThat(c.getReason()).isEqualTo("PolicyDiffers");
            assertThat(c.getMessage()).contains("maas-region").contains("status.policy.expected");
            assertThat(vi.getStatus().getPolicy().getState()).isEqualTo("Differs");
        });
        assertThat(vault.requests())
                .as("the operator never writes a policy")
                .noneMatch(r -> r.path().startsWith("/v1/sys/policies/") && r.write());
        assertThat(vault.policy("maas-region")).get().asString().contains("path \"secret/*\"");
        // the admin restores it from status.policy.expected: Ready again
        vault.putPolicy("maas-region", expected);
        OPERATOR.requestCheck(VaultIntegration.class, "maas");
        awaitAllReady();
    }

    /** Vault writes as Vault counts them. */
    static final class VaultWrite {
        static boolean isWrite(io.maasops.security.testing.vault.VaultDouble.Request r) {
            return r.write();
        }
    }
}
