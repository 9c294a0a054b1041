package io.maasops.security.maasversion;

import io.maasops.security.regionhost.MaasPackaging;
import java.util.List;
import java.util.Optional;

/**
 * What one MAAS series does on one installation, as the operator needs it (docs/reference/maas-versions.md gives
 * each fact's source on canonical/maas). Built only by {@link MaasVersions}; pure data plus pure decisions.
 *
 * @param series "3.3" … "3.8"
 * @param installation snap or deb
 * @param serviceUser the user MAAS's region services run as: deb units say {@code User=maas Group=maas}, snap
 *     services run as root
 * @param files the config files the operator covers, with the policy MAAS itself can live with
 * @param restartArgv the one command that restarts every process holding a Vault client (deb: every such unit
 *     named, since {@code systemctl restart maas-regiond} does not restart the units it {@code Requires=})
 * @param vaultConsumers the services that log in to Vault with regiond.conf's secret-id (deb unit names; on snap
 *     the same processes under pebble/supervisor)
 * @param keysAfterMigration Vault keys (below {@code <path>/}) MAAS always has once migrated; {@code
 *     global/omapi-key} is not one (created at a rack's first DHCP configuration, dhcp.py)
 * @param migrateRestartPolls how many times {@code migrate} polls for restarted regions (5 s apart)
 * @param migrateAtomic whether {@code _migrate_secrets} runs in one transaction
 * @param groupsApi API 2.0 {@code /groups/} (user groups and entitlements) exists
 * @param canonicalRbac what Canonical RBAC (Candid) is on this series
 * @param seededUsersEntitlements the entitlements of the seeded "Users" group on {@code maas:0} (3.8+; empty before)
 * @param defects MAAS defects of this series the operator must work around or warn about
 */
public record MaasBehaviour(
        String series,
        MaasPackaging installation,
        String serviceUser,
        List<FilePolicy> files,
        List<String> restartArgv,
        List<String> vaultConsumers,
        List<String> keysAfterMigration,
        int migrateRestartPolls,
        boolean migrateAtomic,
        boolean groupsApi,
        RbacSupport canonicalRbac,
        List<String> seededUsersEntitlements,
        List<Defect> defects) {

    /** API 2.0 group names: unique, at most 256 characters (maasservicelayer/db/tables.py, 3.8); a duplicate is a 500. */
    public static final int GROUP_NAME_MAX = 256;

    public MaasBehaviour {
        files = List.copyOf(files);
        restartArgv = List.copyOf(restartArgv);
        vaultConsumers = List.copyOf(vaultConsumers);
        keysAfterMigration = List.copyOf(keysAfterMigration);
        seededUsersEntitlements = List.copyOf(seededUsersEntitlements);
        defects = List.copyOf(defects);
    }

    /** Canonical RBAC on a series. */
    public enum RbacSupport {
        SUPPORTED,
        /**
         * 3.8: still honoured when configured, and then permission checks use {@code is_superuser} and ignore
         * OpenFGA (maasserver/api/support.py), so groups and entitlements have no effect.
         */
        DEPRECATED_OVERRIDES_GROUPS
    }

    /**
     * One config file: the owner, group and mode MAAS can live with on this installation.
     *
     * @param rewrittenByMaas who rewrites it with {@code atomic_write} (which copies the previous owner and group and
     *     fails with PermissionError when the writer may not): null when MAAS's services never rewrite it
     * @param groupIfMissing the group to use when the host has no {@code group} (snap hosts usually have no
     *     {@code maas} group); null: none, the group must exist
     */
    public record FilePolicy(
            String path, String owner, String group, String mode, String rewrittenByMaas, String groupIfMissing) {}

    /** A known MAAS defect and the versions it affects (both ends inclusive). */
    public record Defect(String id, MaasVersion from, MaasVersion through, String description) {
        public boolean affects(MaasVersion v) {
            return v.compareTo(from) >= 0 && v.compareTo(through) <= 0;
        }
    }

    public Optional<FilePolicy> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public List<Defect> defectsOf(MaasVersion version) {
        return defects.stream().filter(d -> d.affects(version)).toList();
    }

    /**
     * Why a requested owner/group for {@code path} would break MAAS, or empty when MAAS can live with it. A file
     * MAAS rewrites as a non-root service user must stay owned by that user and in a group it is in: atomic_write
     * chowns its temporary file to the previous owner and group, which only root may do for another user
     * (provisioningserver/utils/fs.py atomic_write, LP: #1883748), and the start-up then retries every 3 s for ever.
     * {@code serviceUserGroups}: the groups the service user is in on that host (at least its own primary group).
     */
    public Optional<String> breaksMaas(String path, String owner, String group, List<String> serviceUserGroups) {
        Optional<FilePolicy> f = file(path);
        if (f.isEmpty() || f.get().rewrittenByMaas() == null || serviceUser.equals("root")) {
            return Optional.empty();
        }
        if (!owner.equals(serviceUser) || !serviceUserGroups.contains(group)) {
            return Optional.of(path + " is rewritten by " + f.get().rewrittenByMaas() + ", running as user '"
                    + serviceUser + "', which cannot copy the owner " + owner + ":" + group
                    + " to the new file (MAAS's atomic_write): MAAS " + series + " "
                    + installation.name().toLowerCase(java.util.Locale.ROOT) + " would fail at its next start; use "
                    + serviceUser + ":"
                    + f.get().group());
        }
        return Optional.empty();
    }
}
