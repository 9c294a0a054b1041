package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.PortFactory;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import io.maasops.security.vault.MaasPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tier 2 (fast): the VaultIntegration controller against an in-memory Vault. */
class VaultIntegrationControllerFastTest {

    final FakePorts ports = new FakePorts();
    final MutableClock clock = MutableClock.startingNow();
    final VaultIntegrationController controller = new VaultIntegrationController(
            ports,
            new OperatorMetrics(new SimpleMeterRegistry()),
            clock,
            RetryDelays.DEFAULTS,
            new SharedRegions(Set.of()));
    final List<VaultIntegrationStatus> writes = new ArrayList<>();
    VaultIntegration last;

    static VaultIntegration integration() {
        VaultIntegration vi = MaasRegionControllerFastTest.integration();
        vi.setStatus(null);
        return vi;
    }

    void reconcile(VaultIntegration vi) {
        var session = controller.recorder().open(vi, (r, s) -> {
            writes.add(s);
            VaultIntegration copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, List.of(), List.of());
        last = session.latest();
    }

    static Optional<Condition> condition(VaultIntegration vi, String type) {
        return Conditions.find(vi.getStatus().getConditions(), type);
    }

    void policyAsTheVaultAdminWroteIt(VaultIntegration vi) {
        ports.vault.policies.put(
                "maas-region",
                MaasPolicy.render(
                        vi.getSpec().getSecrets().getMount(),
                        vi.getSpec().getSecrets().getPath()));
    }

    @Test
    void aHealthyVaultIsSetUpAndThePolicyChecked() {
        VaultIntegration vi = integration();
        policyAsTheVaultAdminWroteIt(vi);
        reconcile(vi);
        for (String type :
                List.of("VaultReachable", "VaultUnsealed", "AppRoleAuthReady", "SecretsMountReady", "PolicyReady")) {
            assertThat(condition(last, type))
                    .as(type)
                    .get()
                    .extracting(Condition::getStatus)
                    .isEqualTo("True");
        }
        assertThat(ports.vault.mounts).contains("auth/approle", "secret");
        assertThat(last.getStatus().getObservedGeneration()).isEqualTo(1L);
        // no region refers to it yet, and no migration was asked for: neither Stalled nor stuck Reconciling
        assertThat(condition(last, "Stalled")).isEmpty();
    }

    @Test
    void aMissingPolicyIsStalledWithTheAdminsCommand() {
        reconcile(integration());
        assertThat(condition(last, "PolicyReady"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("PolicyMissing");
        assertThat(condition(last, "Stalled"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "PolicyMissing");
        assertThat(last.getStatus().getPolicy().getExpected()).contains("path");
    }

    @Test
    void aSealedVaultIsReconciling() {
        ports.vault.sealed();
        reconcile(integration());
        assertThat(condition(last, "VaultUnsealed"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("Sealed");
        assertThat(condition(last, "Reconciling"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(condition(last, "Stalled")).isEmpty();
    }

    @Test
    void aMissingTokenSecretIsStalledWithoutAnyVaultCall() {
        ports.vaultMissing =
                PortFactory.VaultLookup.missing("SecretNotFound", "spec.vault.auth.tokenSecretRef: no such Secret");
        reconcile(integration());
        assertThat(condition(last, "Stalled"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("SecretNotFound");
        assertThat(ports.vault.calls).isEmpty();
    }

    @Test
    void postureEventsFollowTheStatusWriteAndOnlyItsChanges() {
        // Events from the status diff, emitted after the write: when the status holding the failing posture is
        // written, its Event is not out yet; a reconcile that leaves status.posture as it was emits none again
        List<List<String>> eventsAtWrite = new ArrayList<>();
        var session = controller.recorder().open(integration(), (r, s) -> {
            eventsAtWrite.add(List.copyOf(ports.events));
            VaultIntegration copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, List.of(), List.of());
        assertThat(ports.events).anyMatch(e -> e.startsWith("Warning PostureCheckFailed: "));
        assertThat(eventsAtWrite)
                .isNotEmpty()
                .allSatisfy(seen -> assertThat(seen).noneMatch(e -> e.contains("PostureCheck")));
        int before = ports.events.size();
        var again = controller.recorder().open(session.latest(), (r, s) -> r);
        controller.reconcile(again, List.of(), List.of());
        assertThat(ports.events.subList(before, ports.events.size())).noneMatch(e -> e.contains("PostureCheck"));
    }

    @Test
    void aDeletedIntegrationLeavesNoCachedVaultLoginOrMaasKeyWhateverItsDeletionPolicy() {
        VaultIntegration vi = integration();
        vi.getMetadata().setDeletionTimestamp("2026-12-04T00:00:00Z");

        assertThat(controller.cleanup(vi, List.of()).isRemoveFinalizer()).isTrue();

        assertThat(vi.getSpec().getDeletionPolicy())
                .isNotEqualTo(io.maasops.security.api.v1alpha1.DeletionPolicy.Delete);
        assertThat(ports.forgotten).containsExactlyInAnyOrder("vault maas", "maas VaultIntegration/maas");
    }
}
