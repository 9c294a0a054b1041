package io.maasops.security.concern.posture;

import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.AppRoleAudit;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import java.util.List;
import java.util.Optional;

/**
 * What the last audit of each region's AppRole found (status.appRole.audit: Vault's list of the role's secret-ids
 * and the role regiond.conf names), as the messages of checks 2 and 3. Counts and region names only.
 */
final class AuditFindings {

    static final String FIX = " (a region configured by hand: annotate its MaasRegion with "
            + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + " to have the operator configure it with its own role again)";

    private AuditFindings() {}

    /** Adds to {@code out} each region whose regiond.conf names a role not its own; true when one names another region's. */
    static boolean notOwn(List<MaasRegion> regions, List<String> out) {
        boolean sharing = false;
        for (MaasRegion r : regions) {
            AppRoleAudit audit =
                    audit(r.getStatus() == null ? null : r.getStatus().getAppRole());
            if (audit == null || audit.getRegiondConfRole() == null) {
                continue;
            }
            String name = Posture.name(r);
            switch (audit.getRegiondConfRole()) {
                case AppRoleAudit.OTHER_REGION -> {
                    sharing = true;
                    out.add("regiond.conf of " + name + " names the AppRole of "
                            + (audit.getRegiondConfRoleOwner() == null
                                    ? "a MaasRegion in another namespace"
                                    : audit.getRegiondConfRoleOwner()));
                }
                case AppRoleAudit.UNKNOWN_ROLE ->
                    out.add("regiond.conf of " + name + " names an AppRole that is no MaasRegion's of this deployment");
                case AppRoleAudit.NOT_CONFIGURED -> out.add("regiond.conf of " + name + " names no AppRole");
                default -> {}
            }
        }
        return sharing;
    }

    /** Why the region's secret-ids in Vault are not exactly the recorded ones, as last listed; empty when they are. */
    static Optional<String> secretIdsInVault(String region, AppRoleStatus role) {
        AppRoleAudit audit = audit(role);
        if (audit == null) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        if (Boolean.FALSE.equals(audit.getSecretIdLive())) {
            sb.append("the recorded secret-id is no longer in Vault (destroyed or expired: the region cannot log in"
                    + " again; annotate the MaasRegion with " + ApiGroup.ROTATE_SECRET_ID_ANNOTATION
                    + " for a new one)");
        }
        Integer foreign = audit.getForeignSecretIds();
        if (foreign != null && foreign > 0) {
            sb.append(sb.isEmpty() ? "" : ", ")
                    .append(foreign)
                    .append(" secret-id(s) on role ")
                    .append(role.getRoleName())
                    .append(" the operator did not issue (made by hand with the role, or left over: destroy them in"
                            + " Vault)");
        }
        return sb.isEmpty()
                ? Optional.empty()
                : Optional.of(region + ": " + sb + " (Vault listed at " + audit.getCheckedAt() + ")");
    }

    private static AppRoleAudit audit(AppRoleStatus role) {
        return role == null ? null : role.getAudit();
    }
}
