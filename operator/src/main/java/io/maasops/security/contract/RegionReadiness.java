package io.maasops.security.contract;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What a VaultIntegration (its reconcile and its event filter) reads of its MaasRegions: whether a
 * region is configured for Vault, whether one saw Vault sealed or unreachable, and its role.
 */
public final class RegionReadiness {

    private static final List<String> VAULT_TYPES =
            List.of(ConditionType.APPROLE_PROVISIONED.value(), ConditionType.VAULT_CONFIGURED.value());

    private static final List<String> POSTURE_TYPES =
            List.of(ConditionType.CONFIG_FILES_SECURE.value(), ConditionType.CERTIFICATE_VALID.value());

    private RegionReadiness() {}

    /** VaultConfigured=True: MAAS on this controller runs with a secret-id the operator issued. */
    public static boolean vaultConfigured(MaasRegion r) {
        return r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), ConditionType.VAULT_CONFIGURED.value());
    }

    /** Whether any region's last Vault call found Vault sealed or unreachable. */
    public static boolean sawVaultTrouble(Collection<MaasRegion> regions) {
        for (MaasRegion r : regions) {
            if (r.getStatus() == null) {
                continue;
            }
            for (String type : VAULT_TYPES) {
                if (Conditions.find(r.getStatus().getConditions(), type)
                        .filter(c -> Reason.VAULT_SEALED.value().equals(c.getReason())
                                || Reason.VAULT_UNREACHABLE.value().equals(c.getReason()))
                        .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
                        .isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a region's update changes what the integration reads of it (spec, deletion, Vault
     * conditions, role), or is a user's nudge (annotations, e.g. reconcile-requested-at).
     */
    public static boolean changeMattersToIntegration(MaasRegion now, MaasRegion before) {
        return !Objects.equals(
                        now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
                || !Objects.equals(
                        now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
                || !Objects.equals(
                        now.getMetadata().getDeletionTimestamp(),
                        before.getMetadata().getDeletionTimestamp())
                || !vaultState(now).equals(vaultState(before))
                || !postureState(now).equals(postureState(before));
    }

    /** What the posture reads of a region besides its Vault state: its files' and certificate's verdicts, its ledger. */
    private static String postureState(MaasRegion r) {
        if (r.getStatus() == null) {
            return "";
        }
        StringBuilder sb = conditions(r, POSTURE_TYPES);
        var appRole = r.getStatus().getAppRole();
        if (appRole != null) {
            sb.append(appRole.getSecretIdAccessor())
                    .append('/')
                    .append(appRole.getUnrecordedSecretIdSince())
                    .append('/')
                    .append(appRole.getStaleSecretIdAccessors());
            var audit = appRole.getAudit();
            if (audit != null) { // what an audit found, not when: a steady audit wakes no integration
                sb.append('/')
                        .append(audit.getSecretIdLive())
                        .append('/')
                        .append(audit.getForeignSecretIds())
                        .append('/')
                        .append(audit.getRegiondConfRole())
                        .append('/')
                        .append(audit.getRegiondConfRoleOwner());
            }
        }
        return sb.toString();
    }

    /** "type=status/reason;" for each of {@code types} the region's status has. */
    private static StringBuilder conditions(MaasRegion r, List<String> types) {
        StringBuilder sb = new StringBuilder();
        for (String type : types) {
            Conditions.find(r.getStatus().getConditions(), type)
                    .ifPresent(c -> sb.append(type)
                            .append('=')
                            .append(c.getStatus())
                            .append('/')
                            .append(c.getReason())
                            .append(';'));
        }
        return sb;
    }

    private static String vaultState(MaasRegion r) {
        if (r.getStatus() == null) {
            return "";
        }
        StringBuilder sb = conditions(r, VAULT_TYPES);
        var appRole = r.getStatus().getAppRole();
        if (appRole != null) {
            sb.append(appRole.getRoleName()).append('/').append(appRole.getRoleId());
        }
        return sb.toString();
    }
}
