package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.groups.MaasConnection;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.ResourcePool;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tier 2 (fast): the RoleBinding controller against an in-memory MAAS. */
class RoleBindingControllerFastTest {

    final FakePorts ports = new FakePorts();
    final MutableClock clock = MutableClock.startingNow();
    final RoleBindingController controller =
            new RoleBindingController(ports, clock, RetryDelays.DEFAULTS, new SharedRegions(Set.of()));
    final List<RoleBindingStatus> writes = new ArrayList<>();
    final VaultIntegration vi = MaasRegionControllerFastTest.integration();
    final MaasRegion region = region();
    RoleBinding last;

    RoleBindingControllerFastTest() {
        ports.secret("tenant", "maas-api", "api-key", "consumer:token:secret");
        ports.maas.users.add(new MaasUser("alice", "alice@example.com", true, false));
        ports.maas.users.add(new MaasUser("bob", "bob@example.com", true, false));
        ports.maas.pools.add(new ResourcePool(1, "default", ""));
    }

    static MaasRegion region() {
        MaasRegion r = MaasRegionControllerFastTest.region(1);
        r.setSpec(Serialization.unmarshal("""
        vaultIntegrationRef: {name: maas}
        hostname: region-a
        access: {pod: {name: maas-region-0}}
        api:
          url: https://maas.example:5240/MAAS
          apiKeySecretRef: {name: maas-api, key: api-key}
        """, io.maasops.security.api.v1alpha1.MaasRegionSpec.class));
        return r;
    }

    static RoleBinding binding(String... users) {
        StringBuilder y = new StringBuilder("""
        apiVersion: security.maasops.io/v1alpha1
        kind: RoleBinding
        metadata: {name: ops, namespace: tenant, generation: 1, uid: u-1}
        spec:
          maasRegionRef: {name: region-a}
          role: Operator
          resourcePools: [default]
          subjects:
        """);
        for (String u : users) {
            y.append("  - {kind: User, name: ").append(u).append("}\n");
        }
        return Serialization.unmarshal(y.toString(), RoleBinding.class);
    }

    UpdateControl<RoleBinding> reconcile(RoleBinding b) {
        var session = controller.recorder().open(b, (r, s) -> {
            writes.add(s);
            RoleBinding copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        var control = controller.reconcile(
                session,
                () -> MaasConnection.connect(
                        b, Optional.of(region), Optional.of(vi), ports, RetryDelays.DEFAULTS.missingReference()),
                name -> List.of());
        last = session.latest();
        return control;
    }

    static Optional<Condition> condition(RoleBinding b, String type) {
        return Conditions.find(b.getStatus().getConditions(), type);
    }

    @Test
    void aBindingCreatesItsGroupWithMembersAndIsInSync() {
        reconcile(binding("alice", "bob"));
        assertThat(condition(last, "Ready"))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "InSync");
        assertThat(last.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(ports.maas.groups).hasSize(1);
        int id = ports.maas.groups.keySet().iterator().next();
        assertThat(ports.maas.members.get(id)).containsExactlyInAnyOrder("alice", "bob");
        assertThat(ports.maas.entitlements.get(id)).isNotEmpty();
        assertThat(ports.events).anyMatch(e -> e.startsWith("Normal GroupCreated"));
    }

    @Test
    void aMemberRemovedBehindTheOperatorsBackIsPutBackAndNothingIsWrittenWhenInSync() {
        reconcile(binding("alice", "bob"));
        RoleBinding done = last;
        int id = ports.maas.groups.keySet().iterator().next();
        ports.maas.members.get(id).remove("bob");
        reconcile(done);
        assertThat(ports.maas.members.get(id)).contains("bob");
        writes.clear();
        reconcile(last);
        assertThat(writes).as("in sync: no status write").isEmpty();
    }

    @Test
    void anUnreachableMaasIsReconcilingAndAnUnknownUserIsStalled() {
        ports.maas.unreachable(true);
        reconcile(binding("alice"));
        assertThat(condition(last, "Reconciling"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
        assertThat(condition(last, "Stalled")).isEmpty();
        ports.maas.unreachable(false);
        reconcile(binding("carol"));
        assertThat(condition(last, "Ready"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("UsersNotFound");
        assertThat(condition(last, "Stalled"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
    }

    @Test
    void deletionRemovesOnlyItsOwnGroupAndBacksOffWhileMaasIsDown() {
        reconcile(binding("alice"));
        RoleBinding done = last;
        done.getMetadata().setDeletionTimestamp(clock.instant().toString());
        ports.maas.unreachable(true);
        DeleteControl blocked = controller.cleanup(
                done,
                MaasConnection.connect(
                        done, Optional.of(region), Optional.of(vi), ports, RetryDelays.DEFAULTS.missingReference()));
        assertThat(blocked.isRemoveFinalizer()).isFalse();
        assertThat(blocked.getScheduleDelay()).get().isEqualTo(5000L);
        assertThat(ports.events).anyMatch(e -> e.startsWith("Warning DeletionBlocked"));
        ports.maas.unreachable(false);
        DeleteControl ok = controller.cleanup(
                done,
                MaasConnection.connect(
                        done, Optional.of(region), Optional.of(vi), ports, RetryDelays.DEFAULTS.missingReference()));
        assertThat(ok.isRemoveFinalizer()).isTrue();
        assertThat(ports.maas.groups).isEmpty();
    }
}
