package io.maasops.security.rbac;

import io.maasops.security.maas.Entitlement;
import java.util.Comparator;

/** Status and diff order: resource type, resource id, relation name. */
public final class EntitlementOrder implements Comparator<Entitlement> {

    public static final EntitlementOrder INSTANCE = new EntitlementOrder();

    private static final Comparator<Entitlement> ORDER = Comparator.comparing(Entitlement::resourceType)
            .thenComparingLong(Entitlement::resourceId)
            .thenComparing(Entitlement::entitlement);

    private EntitlementOrder() {}

    @Override
    public int compare(Entitlement a, Entitlement b) {
        return ORDER.compare(a, b);
    }
}
