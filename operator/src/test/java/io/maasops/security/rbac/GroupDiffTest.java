package io.maasops.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.maas.Entitlement;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupDiffTest {

    static final GroupPlan PLAN = GroupPlan.of(
            "k8s-ns-ops",
            GroupOwnership.description("ns", "ops"),
            MaasRole.Auditor,
            List.of(3),
            List.of("bob", "alice"));

    static Entitlement pool(long id, String e) {
        return new Entitlement("pool", id, e);
    }

    static Entitlement maas(String e) {
        return new Entitlement("maas", 0, e);
    }

    @Test
    void anEmptyGroupGetsEverything() {
        GroupDiff d = GroupDiff.between(PLAN, List.of(), List.of());
        assertThat(d.membersToAdd()).containsExactly("alice", "bob");
        assertThat(d.entitlementsToAdd())
                .containsExactly(maas("can_view_global_entities"), pool(3, "can_view_machines"));
        assertThat(d.membersToRemove()).isEmpty();
        assertThat(d.entitlementsToRemove()).isEmpty();
        assertThat(d.describeMembers()).isEqualTo("+alice +bob");
    }

    @Test
    void aGroupAlreadyRightNeedsNothing() {
        GroupDiff d = GroupDiff.between(
                PLAN, List.of("bob", "alice"), List.of(pool(3, "can_view_machines"), maas("can_view_global_entities")));
        assertThat(d.isEmpty()).isTrue();
    }

    @Test
    void onlyTheDifferencesAreAddedAndRemoved() {
        GroupDiff d = GroupDiff.between(
                PLAN,
                List.of("alice", "mallory"),
                List.of(pool(3, "can_view_machines"), pool(3, "can_edit_machines"), maas("can_edit_configurations")));
        assertThat(d.membersToAdd()).containsExactly("bob");
        assertThat(d.membersToRemove()).containsExactly("mallory");
        assertThat(d.entitlementsToAdd()).containsExactly(maas("can_view_global_entities"));
        assertThat(d.entitlementsToRemove())
                .containsExactly(maas("can_edit_configurations"), pool(3, "can_edit_machines"));
        assertThat(d.describeEntitlements())
                .isEqualTo(
                        "+maas:0:can_view_global_entities -maas:0:can_edit_configurations -pool:3:can_edit_machines");
    }

    @Test
    void theSameRelationOnAnotherPoolIsADifferentEntitlement() {
        GroupDiff d = GroupDiff.between(
                PLAN, List.of("alice", "bob"), List.of(pool(4, "can_view_machines"), maas("can_view_global_entities")));
        assertThat(d.entitlementsToAdd()).containsExactly(pool(3, "can_view_machines"));
        assertThat(d.entitlementsToRemove()).containsExactly(pool(4, "can_view_machines"));
        assertThat(d.membersChanged()).isFalse();
    }
}
