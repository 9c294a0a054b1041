package io.maasops.security.rbac;

import io.maasops.security.maas.Entitlement;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The MAAS calls that turn a group's current members and entitlements into the planned ones, and
 * nothing else: what is already right is never rewritten.
 */
public record GroupDiff(
        SortedSet<String> membersToAdd,
        SortedSet<String> membersToRemove,
        SortedSet<Entitlement> entitlementsToAdd,
        SortedSet<Entitlement> entitlementsToRemove) {

    public static GroupDiff between(
            GroupPlan plan, Collection<String> currentMembers, Collection<Entitlement> currentEntitlements) {
        SortedSet<String> addM = new TreeSet<>(plan.members());
        addM.removeAll(currentMembers);
        SortedSet<String> removeM = new TreeSet<>(currentMembers);
        removeM.removeAll(plan.members());
        SortedSet<Entitlement> addE = new TreeSet<>(EntitlementOrder.INSTANCE);
        addE.addAll(plan.entitlements());
        currentEntitlements.forEach(addE::remove);
        SortedSet<Entitlement> removeE = new TreeSet<>(EntitlementOrder.INSTANCE);
        removeE.addAll(currentEntitlements);
        plan.entitlements().forEach(removeE::remove);
        return new GroupDiff(
                Collections.unmodifiableSortedSet(addM),
                Collections.unmodifiableSortedSet(removeM),
                Collections.unmodifiableSortedSet(addE),
                Collections.unmodifiableSortedSet(removeE));
    }

    public boolean isEmpty() {
        return !membersChanged() && !entitlementsChanged();
    }

    public boolean membersChanged() {
        return !membersToAdd.isEmpty() || !membersToRemove.isEmpty();
    }

    public boolean entitlementsChanged() {
        return !entitlementsToAdd.isEmpty() || !entitlementsToRemove.isEmpty();
    }

    /** e.g. "+alice -bob"; for events. */
    public String describeMembers() {
        StringBuilder sb = new StringBuilder();
        membersToAdd.forEach(m -> sb.append(sb.isEmpty() ? "" : " ").append('+').append(m));
        membersToRemove.forEach(
                m -> sb.append(sb.isEmpty() ? "" : " ").append('-').append(m));
        return sb.toString();
    }

    /** e.g. "+pool:3:can_edit_machines -maas:0:can_view_global_entities"; for events. */
    public String describeEntitlements() {
        StringBuilder sb = new StringBuilder();
        entitlementsToAdd.forEach(
                e -> sb.append(sb.isEmpty() ? "" : " ").append('+').append(text(e)));
        entitlementsToRemove.forEach(
                e -> sb.append(sb.isEmpty() ? "" : " ").append('-').append(text(e)));
        return sb.toString();
    }

    public static String text(Entitlement e) {
        return e.resourceType() + ":" + e.resourceId() + ":" + e.entitlement();
    }
}
