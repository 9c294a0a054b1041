package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.migration.SecretMigration;
import io.maasops.security.contract.Annotations;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.regionhost.SshCommandRunner;
import io.maasops.security.regionhost.SshConnectionPool;
import io.maasops.security.regionhost.SshCredentials;
import io.maasops.security.regionhost.SshTarget;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The migration against MAAS as each version really is (issue 19): what is verified per version, the openfga
 * defect refused, a migration run by hand seen as done, MAAS's help text kept out of status.
 */
class MigrationByVersionTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    void start(MaasRelease release, boolean dhcpConfigured) {
        testbed = MaasTestbed.start(1, MaasPackaging.SNAP, release, dhcpConfigured);
        testbed.applyAll(k8s(), ns(), "maas");
        // the previous test's integration of the same (cluster-wide) name may still be on its way out
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> vi() != null && vi().getStatus() != null);
    }

    VaultIntegration vi() {
        return k8s().resources(VaultIntegration.class)
                .inNamespace(ns())
                .withName("maas")
                .get();
    }

    Optional<Condition> condition(String type) {
        var vi = vi();
        return vi == null || vi.getStatus() == null
                ? Optional.empty()
                : Conditions.find(vi.getStatus().getConditions(), type);
    }

    MigrationStatus migration() {
        var vi = vi();
        return vi == null || vi.getStatus() == null || vi.getStatus().getMigration() == null
                ? new MigrationStatus()
                : vi.getStatus().getMigration();
    }

    void patchSpec(String json) {
        k8s().resources(VaultIntegration.class)
                .inNamespace(ns())
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    void approve() {
        patchSpec("{\"spec\":{\"migration\":{\"approved\":true}}}");
    }

    long migrateRuns() {
        return testbed.hosts().stream()
                .flatMap(h -> h.commandLog().stream())
                .filter(l -> l.contains("config-vault migrate"))
                .count();
    }

    void awaitReadyWithoutApproval() {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(condition(Conditions.READY))
                    .get()
                    .extracting(Condition::getStatus)
                    .isEqualTo("True");
            assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                    .get()
                    .extracting(Condition::getReason)
                    .isEqualTo("AwaitingApproval");
        });
    }

    /** What an admin types on the region: {@code sudo maas config-vault migrate}, over SSH, not through the operator. */
    MigrationOutcome migrateByHand() {
        RegionHostDouble host = testbed.hosts().get(0);
        try (SshConnectionPool pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(1))) {
            var runner = new SshCommandRunner(
                    pool,
                    new SshTarget(host.host(), host.port(), "ubuntu", true),
                    new SshCredentials(Secret.of(testbed.clientPrivateKey()), host.knownHostsLine()));
            return new MaasCli(runner, host.installation()).migrate();
        }
    }

    /** The documented immediate re-check (kubectl annotate ... reconcile-requested-at). */
    void requestRecheck(String value) {
        k8s().resources(VaultIntegration.class)
                .inNamespace(ns())
                .withName("maas")
                .edit(vi -> {
                    if (vi.getMetadata().getAnnotations() == null) {
                        vi.getMetadata().setAnnotations(new java.util.HashMap<>());
                    }
                    vi.getMetadata().getAnnotations().put(Annotations.RECONCILE_REQUESTED_AT, value);
                    return vi;
                });
    }

    // ---------------------------------------------------------------------------- item 3

    /** No rack has configured DHCP: MAAS has no global/omapi-key, and a correct migration still succeeds. */
    @ParameterizedTest
    @ValueSource(strings = {"3.3.9", "3.8.0"})
    void verificationByVersionExpectsOnlyTheKeysThatVersionAlwaysHas(String version) {
        start(MaasRelease.of(version), false);
        approve();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Succeeded));
        assertThat(testbed.vault().kvData("secret", "maas/global/omapi-key")).isEmpty();
        List<String> expected = version.startsWith("3.3")
                ? List.of("secret/metadata/maas/global/rpc-shared")
                : List.of(
                        "secret/metadata/maas/global/rpc-shared",
                        "secret/metadata/maas/global/maas-ca-certificate",
                        "secret/metadata/maas/global/cluster-certificate");
        assertThat(migration().getVerifiedPaths()).containsExactlyElementsOf(expected);
        assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "Migrated");
        assertThat(migrateRuns()).isEqualTo(1);
    }

    @Test
    void verificationByVersionStillFailsWhenAnAlwaysPresentKeyIsMissing() {
        start(MaasRelease.NEWEST, false);
        awaitReadyWithoutApproval();
        // the secrets are moved, then rpc-shared is lost before the operator verifies
        testbed.maas().onNextMigrate(null, () -> deleteFromVault("maas/global/rpc-shared"));
        approve();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(migration().getReason()).isEqualTo("VerificationFailed");
            assertThat(migration().getMessage()).endsWith("lacks global/rpc-shared");
        });
    }

    void deleteFromVault(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(testbed.vault().address() + "/v1/secret/metadata/" + path))
                                    .header("X-Vault-Token", testbed.vault().rootToken())
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(204);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------- item 4

    @Test
    void aRackOnlyControllerIsNamedAsOneWithWhatTheAdminCanDo() {
        start(MaasRelease.NEWEST, true);
        testbed.addRackController("rack-1");
        approve();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Blocked);
            assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                    .get()
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "RackOnlyController");
        });
        assertThat(migration().getMessage())
                .startsWith("Vault is not configured for regions: rack-1. rack-1 is a rack-only controller")
                .contains("only a region controller can mark itself configured")
                .contains("`maas $PROFILE rack-controller delete` c")
                .contains("`maas init rack`")
                .contains("install a region on it");
        assertThat(migrateRuns()).isZero();

        // the admin stops maas-rackd there and deletes the controller in MAAS
        testbed.deleteRackController("rack-1");
        requestRecheck("1");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Succeeded));
        assertThat(migrateRuns()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------- item 5

    @Test
    void theOpenfgaDefectIsRefusedWithTheVersionAndTheUpstreamFixUntilMigratedByHand() {
        start(MaasRelease.NEWEST_WITH_DEFECT, true);
        approve();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Blocked);
            assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                    .get()
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "KnownMaasDefect");
        });
        assertThat(migration().getMessage())
                .contains("MAAS 3.8.0~beta6 on region-a")
                .contains("openfga-db-credentials")
                .contains("PRs #618/#644")
                .contains("run the command by hand");
        // only a person can lift it: kstatus Stalled
        assertThat(condition("Stalled"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "KnownMaasDefect");
        assertThat(migrateRuns()).isZero();

        // the admin accepts the defect and migrates by hand: the operator verifies it and says who ran it
        assertThat(migrateByHand().result()).isEqualTo(MigrationOutcome.Result.SUCCEEDED);
        requestRecheck("1");
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                        .get()
                        .extracting(Condition::getStatus, Condition::getReason)
                        .containsExactly("True", "MigratedOutsideOperator"));
        assertThat(migrateRuns()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------- item 7

    @Test
    void aHandRunMigrationIsSecretsMigratedOutsideTheOperator() {
        start(MaasRelease.NEWEST, true);
        awaitReadyWithoutApproval();
        assertThat(migrateByHand().result()).isEqualTo(MigrationOutcome.Result.SUCCEEDED);
        requestRecheck("1");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                    .get()
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", "MigratedOutsideOperator");
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Succeeded);
        });
        assertThat(migration().getMessage())
                .contains("migrated outside the operator")
                .contains("verified global/rpc-shared, global/maas-ca-certificate, global/cluster-certificate");
        assertThat(migration().getStartedAt()).isNull();
        assertThat(condition(Conditions.READY))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(migrateRuns()).as("only the admin's").isEqualTo(1);
    }

    // ---------------------------------------------------------------------------- item 6

    /** A VaultError inside migrate is no CommandError: MAAS prints its whole help, then the message, exit 2. */
    @Test
    void aMigrateFailureOtherThanCommandErrorPutsOnlyMaasMessageInStatus() {
        start(MaasRelease.NEWEST, true);
        awaitReadyWithoutApproval();
        testbed.vault().faults().failNthRequest("/v1/secret/data/maas/global/macaroon-key", 1);
        approve();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(migration().getReason()).isEqualTo("Failed");
        });
        assertThat(migration().getMessage())
                .isEqualTo("`maas config-vault migrate` on region-a failed: Vault request failed");
        assertThat(condition(SecretMigration.SECRETS_MIGRATED).orElseThrow().getMessage())
                .doesNotContain("usage:")
                .doesNotContain("https://maas.io/")
                .contains("Vault request failed");
    }
}
