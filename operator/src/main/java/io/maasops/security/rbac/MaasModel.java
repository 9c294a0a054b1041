package io.maasops.security.rbac;

import java.util.List;
import java.util.Set;

/**
 * The relation names of MAAS 3.8's OpenFGA model (docs/reference/maas-internals.md §6.2,
 * {@code src/maasopenfga/internal/migrations/00001_add_model.go}) and of its seed migration
 * ({@code 00002_migrate_environments.go}). Written out here, not discovered, so that a change in
 * MAAS shows up as a failing test instead of silently widening a role.
 */
public final class MaasModel {

    private MaasModel() {}

    public static final String RESOURCE_MAAS = "maas";
    public static final String RESOURCE_POOL = "pool";
    /** The single {@code maas} object; every pool has {@code maas:0} as parent. */
    public static final long MAAS_ID = 0;

    public static final String CAN_EDIT_MACHINES = "can_edit_machines";
    public static final String CAN_DEPLOY_MACHINES = "can_deploy_machines";
    public static final String CAN_VIEW_MACHINES = "can_view_machines";
    public static final String CAN_VIEW_AVAILABLE_MACHINES = "can_view_available_machines";
    public static final String CAN_VIEW_GLOBAL_ENTITIES = "can_view_global_entities";
    public static final String CAN_VIEW_BOOT_ENTITIES = "can_view_boot_entities";

    /** Relations on a {@code pool} object (each also inherited from its parent {@code maas:0}). */
    public static final Set<String> POOL_RELATIONS =
            Set.of(CAN_EDIT_MACHINES, CAN_DEPLOY_MACHINES, CAN_VIEW_MACHINES, CAN_VIEW_AVAILABLE_MACHINES);

    /** Relations on the {@code maas} object. */
    public static final Set<String> MAAS_RELATIONS = Set.of(
            CAN_EDIT_MACHINES,
            CAN_DEPLOY_MACHINES,
            CAN_VIEW_MACHINES,
            CAN_VIEW_AVAILABLE_MACHINES,
            "can_edit_global_entities",
            CAN_VIEW_GLOBAL_ENTITIES,
            "can_edit_controllers",
            "can_view_controllers",
            "can_edit_identities",
            "can_view_identities",
            "can_edit_configurations",
            "can_view_configurations",
            "can_edit_notifications",
            "can_view_notifications",
            "can_edit_boot_entities",
            CAN_VIEW_BOOT_ENTITIES,
            "can_edit_license_keys",
            "can_view_license_keys",
            "can_view_devices",
            "can_view_ipaddresses",
            "can_view_dnsrecords",
            "can_edit_operations",
            "can_view_operations");

    /**
     * What the seed migration gives MAAS's own "Administrators" group on {@code maas:0}: every
     * {@code can_edit_*} (each implies its {@code can_view_*}) plus the view-only relations.
     */
    public static final List<String> ADMINISTRATORS_SEED = List.of(
            "can_edit_machines",
            "can_edit_global_entities",
            "can_edit_controllers",
            "can_edit_identities",
            "can_edit_configurations",
            "can_edit_notifications",
            "can_edit_boot_entities",
            "can_edit_license_keys",
            "can_edit_operations",
            "can_view_devices",
            "can_view_ipaddresses",
            "can_view_dnsrecords",
            "can_view_operations");

    /** What the seed migration gives MAAS's own "Users" group (every non-superuser) on {@code maas:0}. */
    public static final List<String> USERS_SEED =
            List.of(CAN_DEPLOY_MACHINES, CAN_VIEW_AVAILABLE_MACHINES, CAN_VIEW_GLOBAL_ENTITIES, CAN_VIEW_BOOT_ENTITIES);

    /** True for the MAAS-settings-like areas only administrators may touch, even read-only. */
    public static boolean isAdministrativeArea(String entitlement) {
        return entitlement.endsWith("_configurations")
                || entitlement.endsWith("_identities")
                || entitlement.endsWith("_controllers");
    }

    public static boolean isEdit(String entitlement) {
        return entitlement.startsWith("can_edit_");
    }
}
