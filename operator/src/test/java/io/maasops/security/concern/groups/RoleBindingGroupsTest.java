package io.maasops.security.concern.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.contract.Backoff;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.rbac.GroupOwnership;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which MAAS group a binding may touch, decided from the group listing alone. */
class RoleBindingGroupsTest {

    static final UserGroup ADMINS = new UserGroup(1, "Administrators", "");
    static final UserGroup USERS = new UserGroup(2, "Users", "");

    @Test
    void aGroupMarkedForThisBindingIsOwned() {
        UserGroup g = new UserGroup(5, "k8s-ns-ops", GroupOwnership.description("ns", "ops"));
        assertThat(RoleBindingGroups.find(List.of(ADMINS, USERS, g), "k8s-ns-ops", null, "ns", "ops"))
                .isEqualTo(new RoleBindingGroups.Owned(g));
    }

    @Test
    void aGroupMarkedForAnotherBindingIsAConflict() {
        UserGroup g = new UserGroup(5, "shared", GroupOwnership.description("other", "ops"));
        assertThat(RoleBindingGroups.find(List.of(g), "shared", null, "ns", "ops"))
                .isEqualTo(new RoleBindingGroups.Conflict(g, "other/ops"));
    }

    @Test
    void maasOwnGroupsAndHandMadeOnesAreNeverAdopted() {
        assertThat(RoleBindingGroups.find(List.of(ADMINS, USERS), "Administrators", null, "ns", "ops"))
                .isEqualTo(new RoleBindingGroups.NotManaged(ADMINS));
        UserGroup handMade = new UserGroup(9, "k8s-ns-ops", "the ops team");
        assertThat(RoleBindingGroups.find(List.of(handMade), "k8s-ns-ops", null, "ns", "ops"))
                .isInstanceOf(RoleBindingGroups.NotManaged.class);
    }

    @Test
    void aRenamedGroupIsFoundByTheIdInStatusOnlyIfItIsOurs() {
        UserGroup old = new UserGroup(5, "old-name", GroupOwnership.description("ns", "ops"));
        assertThat(RoleBindingGroups.find(List.of(old), "new-name", 5L, "ns", "ops"))
                .isEqualTo(new RoleBindingGroups.Renamed(old));
        assertThat(RoleBindingGroups.find(List.of(ADMINS), "new-name", 1L, "ns", "ops"))
                .isInstanceOf(RoleBindingGroups.Absent.class);
    }

    @Test
    void deletionRetriesBackOffAndAreCapped() {
        // one backoff policy (issue 18): the wait grows with how long the deletion has been blocked,
        // measured from metadata.deletionTimestamp (it survives restarts), between a floor and a cap
        String deleted = "2026-01-01T00:00:00Z";
        java.time.Instant t0 = java.time.Instant.parse(deleted);
        assertThat(RetryDelays.DEFAULTS.since(deleted, t0.plusSeconds(1))).isEqualTo(Backoff.FLOOR);
        assertThat(RetryDelays.DEFAULTS.since(deleted, t0.plusSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryDelays.DEFAULTS.since(deleted, t0.plus(Duration.ofMinutes(9))))
                .isEqualTo(Backoff.CAP);
        assertThat(RetryDelays.DEFAULTS.since(deleted, t0.plus(Duration.ofDays(9))))
                .isEqualTo(Backoff.CAP);
    }
}
