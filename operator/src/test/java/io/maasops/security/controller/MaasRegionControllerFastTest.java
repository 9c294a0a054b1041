package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.approle.AppRoleConcern;
import io.maasops.security.contract.IntegrationReadiness;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tier 2 (fast): the MaasRegion controller with in-memory ports. No API server, no socket, no thread:
 * each test is one or two {@code reconcile} calls on a status session that records its writes.
 */
class MaasRegionControllerFastTest {

    static final String NS = "tenant";

    final FakePorts ports = new FakePorts();
    final MutableClock clock = MutableClock.startingNow();
    final MaasRegionController controller = new MaasRegionController(
            ports,
            new OperatorMetrics(new SimpleMeterRegistry()),
            clock,
            RetryDelays.DEFAULTS,
            List.of(new AppRoleConcern()),
            false,
            new SharedRegions(Set.of()));
    /** Every status the recorder wrote, in order. */
    final List<MaasRegionStatus> writes = new ArrayList<>();
    /** How many wrapped tokens the region had received at each write. */
    final List<Integer> tokensAtWrite = new ArrayList<>();

    FastRegionFixture fixture = new FastRegionFixture();

    static VaultIntegration integration() {
        VaultIntegration vi = Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: VaultIntegration
        metadata: {name: maas, generation: 1}
        spec:
          tenancy: {allowedNamespaces: [tenant]}
          vault:
            address: https://vault.example:8200
            auth: {tokenSecretRef: {name: vault-token, key: token}}
        """, VaultIntegration.class);
        VaultIntegrationStatus s = new VaultIntegrationStatus();
        for (String type : IntegrationReadiness.SETUP_TYPES) {
            s.setConditions(Conditions.set(
                    s.getConditions(), ConditionValue.isTrue(type, "Ok", "ok"), 1, java.time.Instant.EPOCH));
        }
        vi.setStatus(s);
        return vi;
    }

    static MaasRegion region(long generation) {
        return Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: region-a, namespace: tenant, generation: %d}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: region-a
          access:
            ssh:
              host: 10.0.0.5
              user: ubuntu
              privateKeySecretRef: {name: ssh, key: id_ed25519}
              knownHostsSecretRef: {name: ssh, key: known_hosts}
        """.formatted(generation), MaasRegion.class);
    }

    /** A controller over in-memory ports running {@code concerns}, as the fast tests build it. */
    static MaasRegionController fastController(
            FakePorts ports, MutableClock clock, List<io.maasops.security.concern.RegionConcern> concerns) {
        return new MaasRegionController(
                ports,
                new OperatorMetrics(new SimpleMeterRegistry()),
                clock,
                RetryDelays.DEFAULTS,
                concerns,
                false,
                new SharedRegions(Set.of()));
    }

    /** One reconcile of {@code region} whose status writes are kept in memory; returns the last status written. */
    static MaasRegion reconcileOnce(MaasRegionController controller, MaasRegion region, VaultIntegration vi) {
        var session = controller.recorder().open(region, (r, s) -> {
            MaasRegion copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, Optional.ofNullable(vi));
        return session.latest();
    }

    /** A small holder so tests can swap the integration. */
    static final class FastRegionFixture {
        VaultIntegration vi = integration();
    }

    FakePorts withSshSecrets() {
        return ports.secret(NS, "ssh", "id_ed25519", "KEY")
                .secret(NS, "ssh", "known_hosts", "10.0.0.5 ssh-ed25519 AAAA");
    }

    UpdateControl<MaasRegion> reconcile(MaasRegion region) {
        var session = controller.recorder().open(region, (r, s) -> {
            writes.add(s);
            tokensAtWrite.add(
                    ports.shells.containsKey("region-a")
                            ? ports.shell("region-a").tokensReceived.size()
                            : 0);
            MaasRegion copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        UpdateControl<MaasRegion> control = controller.reconcile(session, Optional.ofNullable(fixture.vi));
        lastWritten = session.latest();
        return control;
    }

    MaasRegion lastWritten;

    static Optional<Condition> condition(MaasRegion r, String type) {
        return Conditions.find(r.getStatus().getConditions(), type);
    }

    @Test
    void aNewRegionIsProvisionedConfiguredAndReadyInOneReconcile() {
        withSshSecrets();
        reconcile(region(1));
        MaasRegion r = lastWritten;
        assertThat(condition(r, "Ready"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "Secured");
        assertThat(condition(r, "Reconciling")).isEmpty();
        assertThat(condition(r, "Stalled")).isEmpty();
        assertThat(r.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(ports.vault.count("writeRole")).isEqualTo(1);
        assertThat(ports.vault.count("createWrappedSecretId")).isEqualTo(1);
        assertThat(ports.shell("region-a").tokensReceived).hasSize(1);
        String accessor = r.getStatus().getAppRole().getSecretIdAccessor();
        assertThat(ports.vault.accessors.get("maas_tenant_region-a")).containsExactly(accessor);
    }

    @Test
    void theIssuedAccessorIsCheckpointedBeforeTheRegionGetsItAndObservedGenerationOnlyAtTheEnd() {
        withSshSecrets();
        reconcile(region(1));
        assertThat(writes).hasSizeGreaterThanOrEqualTo(3);
        // crash safety: "about to issue" is recorded before Vault is asked, the accessor before the region
        // gets the token; neither checkpoint claims the generation as observed
        assertThat(writes.get(0).getAppRole().getUnrecordedSecretIdSince()).isNotNull();
        int recorded = -1;
        for (int i = 0; i < writes.size() - 1; i++) {
            assertThat(writes.get(i).getObservedGeneration())
                    .as("checkpoint %d", i)
                    .isNull();
            if (recorded < 0 && writes.get(i).getAppRole().getPendingSecretIdAccessor() != null) {
                recorded = i;
            }
        }
        assertThat(recorded).as("the pending accessor was checkpointed").isNotNegative();
        assertThat(tokensAtWrite.get(recorded))
                .as("before the region got the token")
                .isZero();
        assertThat(writes.get(writes.size() - 1).getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void aSecondReconcileWithNothingToDoWritesNothing() {
        withSshSecrets();
        reconcile(region(1));
        MaasRegion done = lastWritten;
        writes.clear();
        ports.vault.calls.clear();
        reconcile(done);
        assertThat(writes).as("no write when the status is unchanged").isEmpty();
        assertThat(ports.vault.count("createWrappedSecretId")).isZero();
    }

    @Test
    void aSealedVaultIsReconcilingNotStalledAndRetriesWithBackoff() {
        withSshSecrets();
        ports.vault.sealed();
        UpdateControl<MaasRegion> control = reconcile(region(1));
        MaasRegion r = lastWritten;
        assertThat(condition(r, "AppRoleProvisioned"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("VaultSealed");
        assertThat(condition(r, "Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
        assertThat(condition(r, "Reconciling"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "VaultSealed");
        assertThat(condition(r, "Stalled")).isEmpty();
        assertThat(control.getScheduleDelay())
                .get()
                .isEqualTo(Duration.ofSeconds(5).toMillis());
    }

    @Test
    void anInvalidSpecIsStalledAndTouchesNothing() {
        withSshSecrets();
        MaasRegion bad = region(2);
        bad.getSpec().setHostname("");
        reconcile(bad);
        MaasRegion r = lastWritten;
        assertThat(condition(r, "Stalled"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "InvalidSpec");
        assertThat(condition(r, "Reconciling")).isEmpty();
        assertThat(r.getStatus().getObservedGeneration()).isEqualTo(2L);
        assertThat(ports.vault.calls).isEmpty();
        assertThat(ports.shells).isEmpty();
    }

    @Test
    void aMissingSshSecretIsStalledAndLookedForAgain() {
        UpdateControl<MaasRegion> control = reconcile(region(1));
        MaasRegion r = lastWritten;
        assertThat(condition(r, "Stalled"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("SecretNotFound");
        assertThat(control.getScheduleDelay())
                .get()
                .isEqualTo(Duration.ofSeconds(30).toMillis());
        assertThat(ports.vault.calls).isEmpty();
    }

    @Test
    void anUnreachableRegionGetsNoSecretIdAndIsReconciling() {
        withSshSecrets();
        ports.shell("region-a").unreachable();
        reconcile(region(1));
        MaasRegion r = lastWritten;
        assertThat(ports.vault.count("createWrappedSecretId")).isZero();
        assertThat(condition(r, "VaultConfigured"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("RegionUnreachable");
        assertThat(condition(r, "Reconciling"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(condition(r, "Stalled")).isEmpty();
    }

    @Test
    void aNamespaceTheAdminDidNotAllowIsStalledBeforeAnySecretIsRead() {
        withSshSecrets();
        fixture.vi.getSpec().getTenancy().setAllowedNamespaces(List.of("elsewhere"));
        reconcile(region(1));
        assertThat(condition(lastWritten, "Stalled"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("NamespaceNotAllowed");
        assertThat(ports.secretReads).isEmpty();
        assertThat(ports.vault.calls).isEmpty();
    }

    static MaasRegion askedToRotate(MaasRegion r, String request) {
        MaasRegion copy = Serialization.clone(r);
        copy.getMetadata()
                .setAnnotations(new java.util.HashMap<>(java.util.Map.of(
                        io.maasops.security.api.v1alpha1.ApiGroup.ROTATE_SECRET_ID_ANNOTATION, request)));
        return copy;
    }

    /**
     * A rotation request is recorded with its own attempt's outcome: a checkpoint of the attempt under way never
     * pairs the new request with the previous attempt's failure (a client reading status would take the new request
     * as failed, while it is still under way).
     */
    @Test
    void aNewRotationRequestIsNeverStoredBesideThePreviousAttemptsFailure() {
        withSshSecrets();
        reconcile(region(1));
        ports.shell("region-a").inactiveServices = new ArrayList<>(List.of("maas-regiond"));
        reconcile(askedToRotate(lastWritten, "1"));
        assertThat(condition(lastWritten, "SecretIdRotation"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("False");
        ports.shell("region-a").inactiveServices = new ArrayList<>();
        writes.clear();

        reconcile(askedToRotate(lastWritten, "2"));

        assertThat(writes).hasSizeGreaterThanOrEqualTo(2);
        for (MaasRegionStatus w : writes) {
            if ("2".equals(w.getAppRole().getRotationRequest())) {
                assertThat(Conditions.find(w.getConditions(), "SecretIdRotation"))
                        .as("a stored status that records request 2")
                        .get()
                        .extracting(Condition::getStatus)
                        .isEqualTo("True");
            }
        }
        assertThat(lastWritten.getStatus().getAppRole().getRotationRequest()).isEqualTo("2");
    }

    /**
     * JOSDK runs the cleanup again when removing the finalizer failed after an earlier cleanup had removed the
     * role; Vault then answers the accessor LIST with 400 role "x" does not exist. That is done, not blocked.
     */
    @Test
    void aCleanupRunAgainAfterItsRoleIsGoneRemovesTheFinalizer() {
        withSshSecrets();
        reconcile(region(1));
        MaasRegion deleted = deleting(lastWritten);
        assertThat(ports.vault.roles).containsKey("maas_tenant_region-a");

        assertThat(controller.cleanup(deleted, Optional.of(fixture.vi)).isRemoveFinalizer())
                .isTrue();
        assertThat(ports.vault.roles).isEmpty();
        assertThat(controller.cleanup(deleted, Optional.of(fixture.vi)).isRemoveFinalizer())
                .isTrue();

        assertThat(ports.events).noneMatch(e -> e.startsWith("Warning DeletionBlocked"));
        assertThat(ports.events)
                .contains(
                        "Normal AppRoleDeleted: AppRole maas_tenant_region-a was not in Vault: " + "nothing to remove");
    }

    @Test
    void aRegionDeletedBeforeItsRoleWasCreatedIsReleased() {
        MaasRegion deleted = deleting(region(1));

        assertThat(controller.cleanup(deleted, Optional.of(fixture.vi)).isRemoveFinalizer())
                .isTrue();
        assertThat(ports.events).noneMatch(e -> e.startsWith("Warning DeletionBlocked"));
    }

    static MaasRegion deleting(MaasRegion r) {
        MaasRegion copy = Serialization.clone(r);
        copy.getMetadata().setDeletionTimestamp("2026-12-04T00:00:00Z");
        return copy;
    }
}
