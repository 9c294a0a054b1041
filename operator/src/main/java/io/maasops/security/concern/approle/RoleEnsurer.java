package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleSettings;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.Notice;
import io.maasops.security.contract.Annotations;
import io.maasops.security.contract.Names;
import io.maasops.security.port.VaultAppRoles;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import io.maasops.security.util.Durations;
import io.maasops.security.vault.AppRoleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The region's AppRole as declared: written when the status records no role-id, otherwise read and
 * repaired when it drifted. Vault requests: first provisioning = write role + read role-id; a steady
 * state = one read, skipped within seconds of the last write or read of the same role
 * ({@link RecentRoleChecks}).
 */
final class RoleEnsurer {

    static final String EVENT_ROLE_REPAIRED = "RoleRepaired";

    /** The role as it stands after {@link #ensure}, and an Event when it had to be repaired. */
    record Outcome(ConditionValue provisioned, Optional<Notice> repaired) {}

    private final RecentRoleChecks roleChecks;

    RoleEnsurer(RecentRoleChecks roleChecks) {
        this.roleChecks = roleChecks;
    }

    /** Throws {@code vault.VaultException}; fills roleName and roleId. */
    Outcome ensure(VaultAppRoles vault, VaultIntegration vi, MaasRegion region, AppRoleStatus appRole, Instant now) {
        String mount = Names.APPROLE_MOUNT;
        String role = Names.roleName(region);
        AppRoleSpec wanted = desiredRole(vi);
        String previousRoleId = appRole.getRoleId();
        boolean wrote = false;
        Optional<Notice> repaired = Optional.empty();
        // an explicit re-check request (reconcile-requested-at on the region or its integration) is never skipped
        String checkKey = RecentRoleChecks.key(
                vi.getSpec().getVault().getAddress(),
                mount,
                role,
                wanted + "|" + Annotations.requestedAt(region) + "|" + Annotations.requestedAt(vi));
        if (previousRoleId == null || !role.equals(appRole.getRoleName())) {
            vault.writeRole(mount, role, wanted);
            wrote = true;
        } else if (!roleChecks.fresh(checkKey, now)) {
            Optional<AppRoleSpec> current = vault.readRole(mount, role);
            if (current.isEmpty() || !sameSettings(current.get(), wanted)) {
                vault.writeRole(mount, role, wanted);
                wrote = true;
                repaired = Optional.of(Notice.warning(
                        EVENT_ROLE_REPAIRED,
                        current.isEmpty()
                                ? "AppRole " + role + " was missing in Vault and was recreated"
                                : "AppRole " + role + " differed from the declared settings and was restored"));
            }
        }
        String roleId = previousRoleId;
        if (wrote) {
            roleId = vault.readRoleId(mount, role)
                    .orElseThrow(() -> new IllegalStateException("Vault returned no role-id for " + role));
        }
        roleChecks.confirmed(checkKey, now);
        appRole.setRoleName(role);
        appRole.setRoleId(roleId);
        return new Outcome(
                ConditionValue.isTrue(
                        ConditionType.APPROLE_PROVISIONED.value(),
                        Reason.PROVISIONED.value(),
                        "AppRole " + role + " at " + mount + "/ with policy " + Names.policyName(vi)),
                repaired);
    }

    static AppRoleSpec desiredRole(VaultIntegration vi) {
        AppRoleSettings a = vi.getSpec().getAppRole();
        // secret_id_ttl=0 and secret_id_num_uses=0: MAAS logs in with the same secret-id forever
        return new AppRoleSpec(
                List.of(Names.policyName(vi)),
                Durations.parse(a.getTokenTTL()),
                Durations.parse(a.getTokenMaxTTL()),
                Duration.ZERO,
                0,
                a.getTokenBoundCIDRs(),
                a.getSecretIdBoundCIDRs());
    }

    static boolean sameSettings(AppRoleSpec current, AppRoleSpec wanted) {
        return sorted(current.policies()).equals(sorted(wanted.policies()))
                && current.tokenTtl().equals(wanted.tokenTtl())
                && current.tokenMaxTtl().equals(wanted.tokenMaxTtl())
                && current.secretIdTtl().equals(wanted.secretIdTtl())
                && current.secretIdNumUses() == wanted.secretIdNumUses()
                && sorted(current.tokenBoundCidrs()).equals(sorted(wanted.tokenBoundCidrs()))
                && sorted(current.secretIdBoundCidrs()).equals(sorted(wanted.secretIdBoundCidrs()));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }
}
