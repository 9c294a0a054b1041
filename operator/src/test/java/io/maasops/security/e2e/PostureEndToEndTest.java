package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The posture of a deployment (docs/posture.md) with the doubles: each check fails in a situation
 * built for it and passes again once fixed. The testbed's Vault double speaks plain http (allowed by
 * the integration), so the Vault check fails there with PlainHttpAllowed unless Vault is sealed.
 */
class PostureEndToEndTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    VaultIntegration vi() {
        return k8s().resources(VaultIntegration.class).withName("maas").get();
    }

    Map<String, PostureCheckStatus> posture() {
        var vi = vi();
        if (vi == null || vi.getStatus() == null || vi.getStatus().getPosture() == null) {
            return Map.of();
        }
        return vi.getStatus().getPosture().stream().collect(Collectors.toMap(PostureCheckStatus::getCheck, c -> c));
    }

    void awaitCheck(String check, PostureResult result, String reason, String... messageParts) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(posture()).containsKey(check);
            assertThat(posture().get(check).getResult()).as(check).isEqualTo(result);
            assertThat(posture().get(check).getReason()).as(check).isEqualTo(reason);
            for (String part : messageParts) {
                assertThat(posture().get(check).getMessage()).as(check).contains(part);
            }
        });
    }

    /**
     * The cluster admin's MAAS API credential for the posture: the testbed admin's key in a Secret of the operator's
     * namespace, named by spec.posture.maasApi; checks every 1s so that a change shows without waiting.
     */
    void withPostureKey(boolean notify) {
        MaasTestbed.applySecret(
                k8s(),
                MaasTestbed.OPERATOR_NAMESPACE,
                "maas-posture",
                Map.of("api-key", testbed.api().apiKey()));
        k8s().resources(VaultIntegration.class)
                .withName("maas")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        ("{\"spec\":{\"tenancy\":{\"allowAdministratorBindings\":true},\"posture\":{"
                                        + "\"notifyAdministrators\":%s,\"checkInterval\":\"1s\",\"maasApi\":{\"url\":\"%s\","
                                        + "\"apiKeySecretRef\":{\"name\":\"maas-posture\",\"key\":\"api-key\"}}}}}")
                                .formatted(notify, testbed.api().baseUrl()));
    }

    void approve() {
        k8s().resources(VaultIntegration.class)
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"migration\":{\"approved\":true}}}");
    }

    void approveAndAwaitMigrated() {
        approve();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() ->
                        assertThat(vi().getStatus().getMigration().getPhase()).isEqualTo(MigrationPhase.Succeeded));
    }

    @Test
    void aHealthyMigratedDeploymentPassesAllButThePlainHttpVault() {
        apply(1);
        awaitCheck("Access", PostureResult.Fail, "MaasApiNotConfigured", "spec.posture.maasApi is not set");
        withPostureKey(false);
        awaitCheck("SecretsInVault", PostureResult.Fail, "AwaitingApproval");
        approveAndAwaitMigrated();
        awaitCheck("SecretsInVault", PostureResult.Pass, "Migrated");
        awaitCheck("RegionsConfigured", PostureResult.Pass, "AllConfigured");
        awaitCheck("SecretIdsRecorded", PostureResult.Pass, "Recorded");
        awaitCheck("ConfigFiles", PostureResult.Pass, "Compliant");
        awaitCheck("Certificate", PostureResult.NotApplicable, "NoCertificateWatched");
        awaitCheck("Vault", PostureResult.Fail, "PlainHttpAllowed");
        awaitCheck("Access", PostureResult.Pass, "AllDeclared");
        var status = vi().getStatus();
        assertThat(status.getPostureSummary()).isEqualTo("5/6");
        assertThat(Conditions.find(status.getConditions(), "SecurityPosture"))
                .get()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage()).isEqualTo("failing: Vault (PlainHttpAllowed); see status.posture");
                });
        // informational: an insecure but healthy deployment is Ready, neither Reconciling nor Stalled
        assertThat(Conditions.find(status.getConditions(), Conditions.READY))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(Conditions.isTrue(status.getConditions(), "Reconciling")).isFalse();
        assertThat(Conditions.isTrue(status.getConditions(), "Stalled")).isFalse();
        assertThat(status.getPosture())
                .allSatisfy(c -> assertThat(c.getRecommendation()).isNotBlank());
    }

    @Test
    void aRegionMaasKnowsButNobodyConfiguredFailsRegionsConfiguredUntilConfigured() {
        apply(1);
        testbed.maas().addKnownRegion("region-z"); // MAAS knows it; nobody configured it
        approve(); // a requested migration asks MAAS for its unconfigured regions at once
        awaitCheck("RegionsConfigured", PostureResult.Fail, "RegionsUnconfigured", "region-z");
        testbed.maas().setVaultConfigured("region-z", true); // configured by hand
        OPERATOR.nudge(MaasRegion.class, MaasTestbed.hostname(0));
        awaitCheck("RegionsConfigured", PostureResult.Pass, "AllConfigured");
    }

    @Test
    void configFilesDriftOnAnAuditOnlyRegionFailsConfigFilesUntilFixed() {
        apply(1);
        String region = MaasTestbed.hostname(0);
        awaitCheck("ConfigFiles", PostureResult.Pass, "Compliant");
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(region)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"configFiles\":{\"enforce\":false}}}");
        var host = testbed.host(region);
        String file = host.installation().defaultConfigFiles().get(0);
        host.fs().chmod(file, 0644);
        OPERATOR.requestCheck(MaasRegion.class, region);
        awaitCheck("ConfigFiles", PostureResult.Fail, "Drift", region, file);
        // the fix docs/posture.md gives: let the operator enforce the policy
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(region)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"configFiles\":{\"enforce\":true}}}");
        awaitCheck("ConfigFiles", PostureResult.Pass, "Compliant");
        assertThat(host.fileMode(file)).isEqualTo("0640");
    }

    @Test
    void aSealedVaultFailsTheVaultCheckAndItRecovers() {
        apply(1);
        awaitCheck("Vault", PostureResult.Fail, "PlainHttpAllowed");
        testbed.vault().seal();
        OPERATOR.requestCheck(VaultIntegration.class, "maas");
        awaitCheck("Vault", PostureResult.Fail, "Sealed", "needs an operator");
        testbed.vault().unseal();
        OPERATOR.requestCheck(VaultIntegration.class, "maas");
        awaitCheck("Vault", PostureResult.Fail, "PlainHttpAllowed");
    }

    @Test
    void aRoleBindingNotSyncedFailsAccessUntilItSyncs() {
        apply(1);
        withPostureKey(false);
        awaitCheck("Access", PostureResult.Pass, "AllDeclared");
        testbed.api().addUser("alice", false);
        var binding = Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: RoleBinding
        metadata: {name: ops}
        spec:
          maasRegionRef: {name: %s}
          role: Operator
          subjects: [{kind: User, name: alice}]
          resourcePools: [production]
        """.formatted(MaasTestbed.hostname(0)), RoleBinding.class);
        k8s().resource(binding).inNamespace(ns()).create();
        awaitCheck("Access", PostureResult.Fail, "NotSynced", ns() + "/ops", "WaitingForReferences");
        testbed.api().addPool("production", "");
        OPERATOR.requestCheck(RoleBinding.class, "ops");
        awaitCheck("Access", PostureResult.Pass, "InSync");
    }

    @Test
    void anAdministratorNobodyDeclaredFailsAccessAndTheNotificationFollowsUntilDeclared() {
        apply(1);
        withPostureKey(true);
        awaitCheck("Access", PostureResult.Pass, "AllDeclared");
        String ident = io.maasops.security.maas.PostureNotifier.ident("maas");
        // the plain-http Vault (and the unmigrated secrets) fail: the notification is there, without Access
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(testbed.api().notificationByIdent(ident))
                        .get()
                        .satisfies(n -> assertThat(n.context().get("failing").toString())
                                .contains("Vault (PlainHttpAllowed)")
                                .doesNotContain("Access")));
        int id = testbed.api().notificationByIdent(ident).orElseThrow().id();
        testbed.api().addUser("eve", true);
        awaitCheck("Access", PostureResult.Fail, "UndeclaredAdministrators", "declares: eve");
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(testbed.api().notificationByIdent(ident))
                        .get()
                        .satisfies(n -> {
                            assertThat(n.id()).isEqualTo(id);
                            assertThat(n.context().get("failing").toString())
                                    .contains("Access (UndeclaredAdministrators)");
                        }));
        var binding = Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: RoleBinding
        metadata: {name: admins}
        spec:
          maasRegionRef: {name: %s}
          role: Administrator
          subjects: [{kind: User, name: eve}]
        """.formatted(MaasTestbed.hostname(0)), RoleBinding.class);
        k8s().resource(binding).inNamespace(ns()).create();
        awaitCheck("Access", PostureResult.Pass, "InSync", "every MAAS administrator is declared");
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(testbed.api().notificationByIdent(ident))
                        .get()
                        .satisfies(n -> assertThat(n.context().get("failing").toString())
                                .doesNotContain("Access")));
        assertThat(testbed.api().notifications()).hasSize(1);
    }

    /**
     * Every check passes: Vault over verified https (the regions trust its CA), secrets migrated, the region's
     * certificate in spec.tls valid, MAAS's own reminder on, every administrator declared by a Synced binding. The
     * notification that listed the failures on the way is gone.
     */
    @Test
    void aDeploymentMeetingEveryRecommendationPassesEveryCheckAndHasNoNotification() throws Exception {
        testbed = MaasTestbed.startWithTlsVault(1);
        testbed.applyAll(k8s(), ns(), "maas");
        String region = MaasTestbed.hostname(0);
        withPostureKey(true);
        String ident = io.maasops.security.maas.PostureNotifier.ident("maas");
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() ->
                        assertThat(testbed.api().notificationByIdent(ident)).isPresent());
        // the certificate MAAS serves, watched through spec.tls; MAAS's own expiry reminder turned on
        var cert = io.maasops.security.testing.tls.TestCertificates.selfSigned(
                "maas.example",
                java.time.Instant.now().minus(Duration.ofDays(1)),
                java.time.Instant.now().plus(Duration.ofDays(365)),
                "maas.example");
        MaasTestbed.applySecret(k8s(), ns(), "maas-tls", Map.of("tls.crt", cert.certificatePem()));
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(region)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"tls\":{\"certificateSecretRef\":{\"name\":\"maas-tls\"},\"notifyMaas\":false}}}");
        io.maasops.security.maas.MaasApiClient.builder(
                        testbed.api().baseUrl(),
                        io.maasops.security.maas.MaasApiKey.parse(testbed.api().apiKey()))
                .build()
                .setConfig("tls_cert_expiration_notification_enabled", "true");
        // a second administrator, declared
        testbed.api().addUser("alice", true);
        k8s().resource(Serialization.unmarshal("""
                apiVersion: security.maasops.io/v1alpha1
                kind: RoleBinding
                metadata: {name: admins}
                spec:
                  maasRegionRef: {name: %s}
                  role: Administrator
                  subjects: [{kind: User, name: alice}]
                """.formatted(region), RoleBinding.class))
                .inNamespace(ns())
                .create();
        approveAndAwaitMigrated();
        for (String check : java.util.List.of(
                "SecretsInVault",
                "RegionsConfigured",
                "SecretIdsRecorded",
                "ConfigFiles",
                "Certificate",
                "Vault",
                "Access")) {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(posture().get(check))
                            .as(check)
                            .isNotNull()
                            .extracting(PostureCheckStatus::getResult, PostureCheckStatus::getMessage)
                            .first()
                            .isEqualTo(PostureResult.Pass));
        }
        var status = vi().getStatus();
        assertThat(status.getPostureSummary()).isEqualTo("7/7");
        assertThat(Conditions.isTrue(status.getConditions(), "SecurityPosture")).isTrue();
        assertThat(posture().get("Certificate").getMessage()).contains("MAAS reminds its administrators");
        assertThat(posture().get("Access").getMessage()).contains("every MAAS administrator is declared");
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() ->
                        assertThat(testbed.api().notificationByIdent(ident)).isEmpty());
        assertThat(vi().getStatus().getPostureMaas().getNotificationId()).isNull();
    }
}
