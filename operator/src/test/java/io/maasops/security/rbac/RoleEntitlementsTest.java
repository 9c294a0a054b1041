package io.maasops.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.maas.Entitlement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The role table, row by row, and the rules it must never break. */
class RoleEntitlementsTest {

    static final List<Integer> POOLS = List.of(3, 7);

    /**
     * Written out here from MAAS's seed (canonical/maas 3.8, src/maasopenfga/internal/migrations/
     * 00002_migrate_environments.go, the "Administrators" group on maas:0), not taken from {@code
     * MaasModel.ADMINISTRATORS_SEED}, which the row is built from: a change to either shows here.
     */
    static final List<String> MAAS_ADMINISTRATORS_SEED = List.of(
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

    @Test
    void administratorIsExactlyMaasOwnAdministratorsGroup() {
        assertThat(RoleEntitlements.desired(MaasRole.Administrator, List.of()))
                .extracting(Entitlement::entitlement)
                .containsExactlyInAnyOrderElementsOf(MAAS_ADMINISTRATORS_SEED);
        assertThat(RoleEntitlements.desired(MaasRole.Administrator, POOLS))
                .allSatisfy(e -> assertThat(e)
                        .extracting(Entitlement::resourceType, Entitlement::resourceId)
                        .containsExactly("maas", 0L));
    }

    @Test
    void operatorAdministersMachinesInItsPoolsOnly() {
        assertThat(texts(MaasRole.Operator))
                .containsExactly(
                        "maas:0:can_view_boot_entities", "maas:0:can_view_global_entities",
                        "pool:3:can_edit_machines", "pool:3:can_view_machines",
                        "pool:7:can_edit_machines", "pool:7:can_view_machines");
    }

    @Test
    void userDeploysAndSeesAvailableMachinesInItsPools() {
        assertThat(texts(MaasRole.User))
                .containsExactly(
                        "maas:0:can_view_boot_entities", "maas:0:can_view_global_entities",
                        "pool:3:can_deploy_machines", "pool:3:can_view_available_machines",
                        "pool:7:can_deploy_machines", "pool:7:can_view_available_machines");
    }

    @Test
    void auditorSeesAllMachinesOfItsPoolsReadOnly() {
        assertThat(texts(MaasRole.Auditor))
                .containsExactly(
                        "maas:0:can_view_global_entities", "pool:3:can_view_machines", "pool:7:can_view_machines");
    }

    /** The table test the issue asks for. */
    @ParameterizedTest
    @EnumSource(
            value = MaasRole.class,
            names = {"User", "Auditor"})
    void userAndAuditorNeverGetAnEditOrSettingsEntitlement(MaasRole role) {
        assertThat(RoleEntitlements.desired(role, POOLS)).isNotEmpty().allSatisfy(e -> {
            assertThat(MaasModel.isEdit(e.entitlement())).as(e.toString()).isFalse();
            assertThat(MaasModel.isAdministrativeArea(e.entitlement()))
                    .as(e.toString())
                    .isFalse();
        });
    }

    @ParameterizedTest
    @EnumSource(value = MaasRole.class, names = "Administrator", mode = EnumSource.Mode.EXCLUDE)
    void noRoleButAdministratorTouchesSettingsIdentitiesOrControllers(MaasRole role) {
        assertThat(RoleEntitlements.desired(role, POOLS))
                .extracting(Entitlement::entitlement)
                .noneMatch(e -> e.contains("configurations") || e.contains("identities") || e.contains("controllers"));
        // And nothing MAAS-wide but read-only views: the pool roles' machine rights stop at their pools.
        assertThat(RoleEntitlements.rules(role))
                .filteredOn(r -> r.scope() == Scope.MAAS_WIDE)
                .allSatisfy(
                        r -> assertThat(r.entitlement()).startsWith("can_view_").doesNotContain("machines"));
    }

    @Test
    void administratorDoesGetSettingsIdentitiesAndControllers() {
        assertThat(texts(MaasRole.Administrator))
                .contains(
                        "maas:0:can_edit_configurations", "maas:0:can_edit_identities", "maas:0:can_edit_controllers");
    }

    @Test
    void everyRowIsARelationOfMaasModelAndIsJustified() {
        for (MaasRole role : MaasRole.values()) {
            assertThat(RoleEntitlements.rules(role))
                    .as(role.name())
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.justification()).hasSizeGreaterThan(40);
                        assertThat(r.scope() == Scope.EACH_POOL ? MaasModel.POOL_RELATIONS : MaasModel.MAAS_RELATIONS)
                                .contains(r.entitlement());
                    });
        }
        assertThat(RoleEntitlements.table().keySet()).isEqualTo(EnumSet.allOf(MaasRole.class));
    }

    @Test
    void aRowNamingAnUnknownRelationIsRejected() {
        assertThatThrownBy(() -> new EntitlementRule(Scope.EACH_POOL, "can_edit_configurations", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntitlementRule(Scope.MAAS_WIDE, "can_do_anything", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void poolRolesGrowWithTheirPoolsAndDuplicatePoolsCollapse() {
        assertThat(RoleEntitlements.desired(MaasRole.Auditor, List.of(3, 3))).hasSize(2);
        assertThat(RoleEntitlements.desired(MaasRole.Auditor, List.of()))
                .extracting(Entitlement::resourceType)
                .containsOnly("maas");
    }

    /** Pool roles never reach beyond the pools they are given. */
    @ParameterizedTest
    @EnumSource(value = MaasRole.class, names = "Administrator", mode = EnumSource.Mode.EXCLUDE)
    void poolEntitlementsOnlyOnTheBoundPools(MaasRole role) {
        Set<Long> ids = RoleEntitlements.desired(role, POOLS).stream()
                .filter(e -> e.resourceType().equals("pool"))
                .map(Entitlement::resourceId)
                .collect(Collectors.toSet());
        assertThat(ids).containsExactlyInAnyOrder(3L, 7L);
    }

    static List<String> texts(MaasRole role) {
        return RoleEntitlements.desired(role, POOLS).stream()
                .map(GroupDiff::text)
                .toList();
    }
}
