package io.maasops.security.rbac;

import static io.maasops.security.rbac.MaasModel.CAN_DEPLOY_MACHINES;
import static io.maasops.security.rbac.MaasModel.CAN_EDIT_MACHINES;
import static io.maasops.security.rbac.MaasModel.CAN_VIEW_AVAILABLE_MACHINES;
import static io.maasops.security.rbac.MaasModel.CAN_VIEW_BOOT_ENTITIES;
import static io.maasops.security.rbac.MaasModel.CAN_VIEW_GLOBAL_ENTITIES;
import static io.maasops.security.rbac.MaasModel.CAN_VIEW_MACHINES;

import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.maas.Entitlement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The role → entitlement table (docs/roles.md prints it). Each row is an OpenFGA relation of MAAS
 * 3.8's model, its scope and the reason the role needs it. Only Administrator touches settings
 * (configurations), identities or controllers; pool roles get machine relations on their pools and
 * two read-only MAAS-wide views that MAAS's own "Users" group gives every ordinary user.
 */
public final class RoleEntitlements {

    private RoleEntitlements() {}

    private static final String GLOBAL_VIEW =
            "Read-only view of the MAAS-wide objects machines refer to (zones, fabrics, subnets, tags...), without"
                    + " which the machine pages cannot be read; MAAS's seeded Users group gives it to every ordinary user.";
    private static final String BOOT_VIEW =
            "Read-only list of boot images, needed to pick an OS when deploying or commissioning; MAAS's seeded"
                    + " Users group gives it to every ordinary user.";

    private static final Map<MaasRole, List<EntitlementRule>> TABLE = build();

    private static Map<MaasRole, List<EntitlementRule>> build() {
        Map<MaasRole, List<EntitlementRule>> t = new EnumMap<>(MaasRole.class);
        List<EntitlementRule> admin = new ArrayList<>();
        for (String e : MaasModel.ADMINISTRATORS_SEED) {
            admin.add(new EntitlementRule(
                    Scope.MAAS_WIDE,
                    e,
                    "MAAS's own Administrators group has it on maas:0 (seed migration 00002_migrate_environments.go);"
                            + " an Administrator binding is exactly that group's grant."));
        }
        t.put(MaasRole.Administrator, List.copyOf(admin));
        t.put(
                MaasRole.Operator,
                List.of(
                        new EntitlementRule(
                                Scope.EACH_POOL,
                                CAN_EDIT_MACHINES,
                                "Machine administration in the bound pool: commission, configure, release and delete any machine"
                                        + " there; in MAAS's model it implies deploy, view and view-available on that pool only."),
                        new EntitlementRule(
                                Scope.EACH_POOL,
                                CAN_VIEW_MACHINES,
                                "See every machine of the bound pool, whoever owns it (implied by can_edit_machines; stated so the"
                                        + " grant reads in full and survives a model change)."),
                        new EntitlementRule(Scope.MAAS_WIDE, CAN_VIEW_GLOBAL_ENTITIES, GLOBAL_VIEW),
                        new EntitlementRule(Scope.MAAS_WIDE, CAN_VIEW_BOOT_ENTITIES, BOOT_VIEW)));
        t.put(
                MaasRole.User,
                List.of(
                        new EntitlementRule(
                                Scope.EACH_POOL,
                                CAN_DEPLOY_MACHINES,
                                "Allocate and deploy machines of the bound pool and manage the ones the user holds; no"
                                        + " administration of machines others hold."),
                        new EntitlementRule(
                                Scope.EACH_POOL,
                                CAN_VIEW_AVAILABLE_MACHINES,
                                "See the bound pool's unallocated machines (and one's own), i.e. what there is to deploy; not"
                                        + " other users' machines."),
                        new EntitlementRule(Scope.MAAS_WIDE, CAN_VIEW_GLOBAL_ENTITIES, GLOBAL_VIEW),
                        new EntitlementRule(Scope.MAAS_WIDE, CAN_VIEW_BOOT_ENTITIES, BOOT_VIEW)));
        t.put(
                MaasRole.Auditor,
                List.of(
                        new EntitlementRule(
                                Scope.EACH_POOL,
                                CAN_VIEW_MACHINES,
                                "See every machine of the bound pool, whoever owns it, read-only: no deploy, no edit."),
                        new EntitlementRule(Scope.MAAS_WIDE, CAN_VIEW_GLOBAL_ENTITIES, GLOBAL_VIEW)));
        return Collections.unmodifiableMap(t);
    }

    /** The rows of one role, in table order. */
    public static List<EntitlementRule> rules(MaasRole role) {
        return TABLE.get(role);
    }

    /** The whole table, by role. */
    public static Map<MaasRole, List<EntitlementRule>> table() {
        return TABLE;
    }

    /**
     * The entitlement tuples a group with {@code role} over the pools {@code poolIds} must have:
     * MAAS-wide rows on {@code maas:0}, pool rows once per pool. Sorted, duplicates collapsed.
     */
    public static SortedSet<Entitlement> desired(MaasRole role, Collection<Integer> poolIds) {
        SortedSet<Entitlement> out = new TreeSet<>(EntitlementOrder.INSTANCE);
        for (EntitlementRule rule : rules(role)) {
            if (rule.scope() == Scope.MAAS_WIDE) {
                out.add(new Entitlement(MaasModel.RESOURCE_MAAS, MaasModel.MAAS_ID, rule.entitlement()));
            } else {
                for (int pool : poolIds) {
                    out.add(new Entitlement(MaasModel.RESOURCE_POOL, pool, rule.entitlement()));
                }
            }
        }
        return out;
    }
}
