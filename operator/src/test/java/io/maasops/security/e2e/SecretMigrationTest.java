package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.migration.SecretMigration;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flow 2 end to end: the gate, one approved run, a sealed Vault mid-way, and an operator restart while Running. */
class SecretMigrationTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
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

    void approve() {
        k8s().resources(VaultIntegration.class)
                .inNamespace(ns())
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"migration\":{\"approved\":true}}}");
    }

    long migrateRuns() {
        return testbed.hosts().stream()
                .flatMap(h -> h.commandLog().stream())
                .filter(l -> l.contains("config-vault migrate"))
                .count();
    }

    void awaitPhase(MigrationPhase phase, int seconds) {
        await().atMost(Duration.ofSeconds(seconds))
                .untilAsserted(() -> assertThat(migration().getPhase()).isEqualTo(phase));
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

    void assertMigratedAndVerified() {
        var m = migration();
        assertThat(m.getPhase()).isEqualTo(MigrationPhase.Succeeded);
        assertThat(m.getVerifiedPaths())
                .containsExactly(
                        "secret/metadata/maas/global/rpc-shared",
                        "secret/metadata/maas/global/maas-ca-certificate",
                        "secret/metadata/maas/global/cluster-certificate");
        assertThat(testbed.maas().vaultEnabled()).isTrue();
        assertThat(testbed.maas().dbSecrets()).isEmpty();
        assertThat(testbed.vault().kvData("secret", "maas/global/rpc-shared"))
                .get()
                .extracting(d -> d.get("secret"))
                .isEqualTo(testbed.maas().rpcSharedSecret());
        assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(condition(Conditions.READY))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
    }

    @Test
    void gateBlocksWithMaasExactListUntilEveryRegionIsConfigured() {
        apply(2);
        testbed.maas().addKnownRegion("region-z"); // MAAS knows it; no MaasRegion declares it
        approve();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Blocked);
            assertThat(migration().getMessage()).isEqualTo("Vault is not configured for regions: region-z");
        });
        assertThat(condition(SecretMigration.SECRETS_MIGRATED)).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Blocked");
        });
        assertThat(condition(Conditions.READY))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("False");
        assertThat(migrateRuns()).isZero();

        // the admin configures region-z by hand; any region event makes the operator ask MAAS again
        testbed.maas().setVaultConfigured("region-z", true);
        OPERATOR.nudge(MaasRegion.class, "region-a");
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        assertThat(migrateRuns()).isEqualTo(1);
    }

    @Test
    void approvedMigrationRunsOnceAfterAPreflight() {
        apply(2);
        awaitReadyWithoutApproval();
        assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Pending);
        testbed.vault().clearRequests();
        approve();
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        var m = migration();
        assertThat(m.getRegion()).isEqualTo("region-a");
        assertThat(m.getAttemptGeneration()).isEqualTo(vi().getMetadata().getGeneration());
        assertThat(m.getStartedAt()).isNotNull();
        assertThat(m.getCompletedAt()).isNotNull();
        // pre-flight: a plain secret-id was created, used to log in and destroyed; the probe key is gone
        var requests = testbed.vault().requests();
        assertThat(requests)
                .anyMatch(r ->
                        r.method().equals("POST") && r.path().endsWith("/role/maas_" + ns() + "_region-a/secret-id"));
        assertThat(requests)
                .anyMatch(r -> r.path().startsWith("/v1/secret/data/maas/operator-preflight-") && r.write());
        assertThat(requests)
                .anyMatch(r -> r.method().equals("DELETE")
                        && r.path().startsWith("/v1/secret/metadata/maas/operator-preflight-"));
        assertThat(requests).anyMatch(r -> r.path().endsWith("/secret-id-accessor/destroy"));
        assertThat(testbed.vault().kvKeys("secret", "maas/")).noneMatch(k -> k.contains("operator-preflight"));
        assertThat(testbed.vault().secretIdAccessors("approle", "maas_" + ns() + "_region-a"))
                .hasSize(1);

        // more reconciles never run it again
        OPERATOR.nudge(MaasRegion.class, "region-a");
        OPERATOR.nudge(MaasRegion.class, "region-b");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(migrateRuns()).isEqualTo(1);
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Succeeded);
        });
    }

    @Test
    void vaultSealedBeforeVerificationEndsFailedAndResumesAfterUnsealWithoutRunningTwice() {
        apply(1);
        awaitReadyWithoutApproval();
        testbed.maas().onNextMigrate(null, () -> testbed.vault().seal());
        approve();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(migration().getReason()).isEqualTo("VaultSealed");
            assertThat(migration().getMessage())
                    .contains("vault operator unseal")
                    .contains("resumes by itself");
            assertThat(condition(SecretMigration.SECRETS_MIGRATED))
                    .get()
                    .extracting(Condition::getReason)
                    .isEqualTo("VaultSealed");
        });
        assertThat(migrateRuns()).isEqualTo(1);
        testbed.vault().unseal();
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        assertThat(migrateRuns()).isEqualTo(1);
    }

    @Test
    void vaultSealedWhenMigrateStartsFailsWithMaasMessageAndRetriesAfterUnseal() {
        apply(1);
        awaitReadyWithoutApproval();
        testbed.maas().onNextMigrate(() -> testbed.vault().seal(), null);
        approve();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(migration().getReason()).isEqualTo("VaultSealed");
            assertThat(migration().getMessage()).contains("Vault test failed: ").contains("vault operator unseal");
        });
        assertThat(testbed.maas().vaultEnabled()).isFalse();
        testbed.vault().unseal();
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        // the first run stopped at MAAS's Vault test; the secrets were moved exactly once
        assertThat(migrateRuns()).isEqualTo(2);
        assertThat(testbed.hosts().get(0).commandLog().stream()
                        .filter(l -> l.contains("config-vault migrate"))
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aMaasFailureShowsMaasMessageAndIsRetriedOnlyAfterASpecChange() {
        apply(2);
        awaitReadyWithoutApproval();
        testbed.maas().setIgnoresRestart("region-b", true);
        approve();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
            assertThat(migration().getReason()).isEqualTo("Failed");
            assertThat(migration().getMessage()).contains(MigrationOutcome.REGIONS_DID_NOT_RESTART_TEXT);
        });
        OPERATOR.nudge(MaasRegion.class, "region-a");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(migrateRuns()).isEqualTo(1);
            assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Failed);
        });
        // the admin fixes the region and says so with a spec change
        testbed.maas().setIgnoresRestart("region-b", false);
        k8s().resources(VaultIntegration.class)
                .inNamespace(ns())
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"migration\":{\"mode\":\"Automatic\"}}}");
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        assertThat(migrateRuns()).isEqualTo(2);
    }

    @Test
    void restartAfterRunningWasPersistedButBeforeTheCommandRanRunsItOnce() {
        apply(1);
        awaitReadyWithoutApproval();
        RegionHostDouble host = testbed.hosts().get(0);
        // exact: the moment the API server stores phase Running (before the operator hears back, so before it
        // can send the command), the region's host goes away; the command never reaches it
        AtomicBoolean persisted = new AtomicBoolean();
        try (AutoCloseable watch = OPERATOR.api().onStored((key, json) -> {
            if (json != null
                    && key.contains("vaultintegrations")
                    && json.contains("\"phase\":\"Running\"")
                    && persisted.compareAndSet(false, true)) {
                host.stop();
            }
        })) {
            approve();
            await().atMost(Duration.ofSeconds(30)).until(persisted::get);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(migration().getPhase()).isEqualTo(MigrationPhase.Running));
        OPERATOR.restart(() -> {
            assertThat(migrateRuns()).as("migrate commands before the restart").isZero();
            assertThat(testbed.maas().vaultEnabled()).isFalse();
            assertThat(migration().getPhase()).as("persisted").isEqualTo(MigrationPhase.Running);
            host.start();
        });
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        assertThat(migrateRuns()).isEqualTo(1);
    }

    @Test
    void restartAfterTheCommandFinishedButBeforeTheOutcomeWasRecordedDoesNotRunItAgain() {
        apply(1);
        awaitReadyWithoutApproval();
        RegionHostDouble host = testbed.hosts().get(0);
        // exact: MAAS has moved the secrets and not answered yet; the connection goes, so the answer never arrives
        CountDownLatch moved = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        testbed.maas().onNextMigrate(null, () -> {
            moved.countDown();
            reached(go);
        });
        approve();
        reached(moved);
        host.stop();
        go.countDown();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(migration().getMessage()).contains("did not report back"));
        OPERATOR.restart(() -> {
            assertThat(testbed.maas().vaultEnabled())
                    .as("MAAS finished the command")
                    .isTrue();
            assertThat(migration().getPhase()).as("the outcome not recorded").isEqualTo(MigrationPhase.Running);
            host.start();
        });
        awaitPhase(MigrationPhase.Succeeded, 40);
        assertMigratedAndVerified();
        assertThat(migration().getMessage()).contains("had finished before the operator restarted");
        assertThat(migrateRuns()).isEqualTo(1);
    }

    /** Bounded wait on a fault point's latch; false (and the test fails) if it was never reached. */
    static void reached(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS))
                    .as("fault point reached")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
