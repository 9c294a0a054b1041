package io.maasops.security.concern.groups;

import io.maasops.security.api.v1alpha1.EntitlementStatus;
import io.maasops.security.api.v1alpha1.GroupRef;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.Unresolved;
import java.util.List;

/** The part of a RoleBinding's status the group sync decides (what {@link GroupSync} found and did). */
public sealed interface GroupSection {

    void applyTo(RoleBindingStatus status);

    /** Nothing learned (the groups API is missing): the status stays as it was. */
    record Unchanged() implements GroupSection {
        @Override
        public void applyTo(RoleBindingStatus status) {}
    }

    /** Names resolved (or not); nothing applied. */
    record Resolved(Unresolved unresolved) implements GroupSection {
        @Override
        public void applyTo(RoleBindingStatus status) {
            status.setUnresolved(unresolved);
        }
    }

    /** The group named in status is another binding's: the binding owns none while in conflict. */
    record Conflicting(String groupName) implements GroupSection {
        @Override
        public void applyTo(RoleBindingStatus status) {
            status.setUnresolved(null);
            if (status.getGroup() != null && groupName.equals(status.getGroup().getName())) {
                status.setGroup(null);
                status.setMembers(null);
                status.setEntitlements(null);
            }
        }
    }

    /** The binding's own group, as applied. */
    record Synced(GroupRef group, List<String> members, List<EntitlementStatus> entitlements) implements GroupSection {
        @Override
        public void applyTo(RoleBindingStatus status) {
            status.setUnresolved(null);
            status.setGroup(group);
            status.setMembers(members);
            status.setEntitlements(entitlements);
        }
    }
}
