package io.maasops.security.concern.groups;

import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.GroupMember;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.ResourcePool;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.port.MaasApi;
import io.maasops.security.rbac.GroupDiff;
import io.maasops.security.rbac.GroupOwnership;
import io.maasops.security.rbac.GroupPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The MAAS side of a RoleBinding, step by step: resolve names to ids, find the binding's own group,
 * and apply a {@link GroupDiff}. Every step reads before it writes; the reconciler decides what to
 * report.
 */
final class RoleBindingGroups {

    private RoleBindingGroups() {}

    /** Pool ids by name (spec order) and the names MAAS does not know. */
    record Resolution(
            Map<String, Integer> pools, List<String> unknownPools, List<String> users, List<String> unknownUsers) {
        boolean complete() {
            return unknownPools.isEmpty() && unknownUsers.isEmpty();
        }
    }

    /**
     * Exact name matches against one listing each; the listing avoids {@code resourcepool/<name>/},
     * which MAAS resolves as an id first when the name is all digits.
     */
    static Resolution resolve(MaasApi maas, List<String> poolNames, List<String> usernames) throws MaasApiException {
        Map<String, Integer> pools = new LinkedHashMap<>();
        List<String> unknownPools = new ArrayList<>();
        if (!poolNames.isEmpty()) {
            Map<String, Integer> known = maas.listResourcePools().stream()
                    .collect(Collectors.toMap(ResourcePool::name, ResourcePool::id, (a, b) -> a));
            for (String name : poolNames) {
                if (known.containsKey(name)) {
                    pools.put(name, known.get(name));
                } else {
                    unknownPools.add(name);
                }
            }
        }
        Set<String> knownUsers =
                maas.listUsers().stream().map(MaasUser::username).collect(Collectors.toSet());
        List<String> users = new ArrayList<>();
        List<String> unknownUsers = new ArrayList<>();
        for (String u : usernames) {
            (knownUsers.contains(u) ? users : unknownUsers).add(u);
        }
        return new Resolution(
                pools,
                unknownPools.stream().sorted().toList(),
                users,
                unknownUsers.stream().sorted().toList());
    }

    /** What MAAS holds under the binding's group name. */
    sealed interface Lookup permits Owned, Renamed, Absent, Conflict, NotManaged {}

    /** A group with the name, marked as this binding's. */
    record Owned(UserGroup group) implements Lookup {}

    /** No group with the name, but the one recorded in status is ours under an old name (spec.groupName changed). */
    record Renamed(UserGroup group) implements Lookup {}

    record Absent() implements Lookup {}

    /** A group with the name, marked as another binding's ("namespace/name"). */
    record Conflict(UserGroup group, String owner) implements Lookup {}

    /** A group with the name that nobody marked (MAAS's own groups, hand-made ones): never adopted. */
    record NotManaged(UserGroup group) implements Lookup {}

    static Lookup find(List<UserGroup> groups, String name, Long recordedId, String namespace, String binding) {
        List<UserGroup> named =
                groups.stream().filter(g -> name.equals(g.name())).toList();
        Optional<UserGroup> ours = named.stream()
                .filter(g -> GroupOwnership.judge(g.description(), namespace, binding)
                                .kind()
                        == GroupOwnership.Kind.THIS_BINDING)
                .findFirst();
        if (ours.isPresent()) {
            return new Owned(ours.get());
        }
        for (UserGroup g : named) {
            var verdict = GroupOwnership.judge(g.description(), namespace, binding);
            if (verdict.kind() == GroupOwnership.Kind.OTHER_BINDING) {
                return new Conflict(g, verdict.owner());
            }
        }
        if (!named.isEmpty()) {
            return new NotManaged(named.get(0));
        }
        if (recordedId != null) {
            Optional<UserGroup> old = groups.stream()
                    .filter(g -> g.id() == recordedId
                            && GroupOwnership.judge(g.description(), namespace, binding)
                                            .kind()
                                    == GroupOwnership.Kind.THIS_BINDING)
                    .findFirst();
            if (old.isPresent()) {
                return new Renamed(old.get());
            }
        }
        return new Absent();
    }

    /** The differences between the plan and the group as MAAS has it now. */
    static GroupDiff diff(MaasApi maas, int groupId, GroupPlan plan) throws MaasApiException {
        List<String> members = maas.listGroupMembers(groupId).stream()
                .map(GroupMember::username)
                .toList();
        List<Entitlement> entitlements = maas.listEntitlements(groupId);
        return GroupDiff.between(plan, members, entitlements);
    }

    /**
     * Applies a diff, least privilege first: members leave and entitlements go before anything is
     * granted, so a failure half-way never leaves a group with more than either the old or the new
     * state allowed. Already-a-member (409) and already-gone (404) count as done.
     */
    static void apply(MaasApi maas, int groupId, GroupDiff diff) throws MaasApiException {
        for (String u : diff.membersToRemove()) {
            try {
                maas.removeGroupMember(groupId, u);
            } catch (MaasApiException e) {
                if (e.kind() != MaasApiException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        for (Entitlement e : diff.entitlementsToRemove()) {
            maas.removeEntitlement(groupId, e);
        }
        for (Entitlement e : diff.entitlementsToAdd()) {
            maas.addEntitlement(groupId, e);
        }
        for (String u : diff.membersToAdd()) {
            try {
                maas.addGroupMember(groupId, u);
            } catch (MaasApiException e) {
                if (e.kind() != MaasApiException.Kind.CONFLICT) {
                    throw e;
                }
            }
        }
    }
}
