package io.maasops.security.rbac;

import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.maas.Entitlement;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** The MAAS group a binding wants: its name, its managed-by description, members and entitlements. */
public record GroupPlan(
        String name, String description, SortedSet<String> members, SortedSet<Entitlement> entitlements) {

    public GroupPlan {
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        TreeSet<Entitlement> e = new TreeSet<>(EntitlementOrder.INSTANCE);
        e.addAll(entitlements);
        entitlements = Collections.unmodifiableSortedSet(e);
    }

    public static GroupPlan of(
            String name, String description, MaasRole role, Collection<Integer> poolIds, Collection<String> usernames) {
        return new GroupPlan(name, description, new TreeSet<>(usernames), RoleEntitlements.desired(role, poolIds));
    }
}
