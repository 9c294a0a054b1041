package io.maasops.security.concern.files;

import io.maasops.security.configfiles.ConfigFilesVerdict.MissingAccount;
import io.maasops.security.configfiles.FilePermissionPolicy;
import io.maasops.security.port.RegionShell;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the controller knows the policy's owner and group ({@code getent}), each asked once; on a host without
 * the policy's group the installation's fallback group (snap hosts usually have no {@code maas} group: MAAS's snap
 * runs as root and lives with root).
 */
final class ConfigFileAccounts {

    /** The policy to apply (the fallback's when it applies) and the names the host does not know. */
    record Resolved(FilePermissionPolicy policy, List<MissingAccount> missing) {}

    private ConfigFileAccounts() {}

    /** @param groupIfMissing the group to use when the policy's is unknown (null: none; the spec named one) */
    static Resolved resolve(RegionShell cli, FilePermissionPolicy policy, String groupIfMissing) {
        boolean groupKnown = false;
        if (groupIfMissing != null) {
            groupKnown = cli.groupExists(policy.group());
            if (!groupKnown) {
                policy = policy.withGroup(groupIfMissing);
            }
        }
        List<MissingAccount> missing = new ArrayList<>();
        if (!cli.userExists(policy.owner())) {
            missing.add(new MissingAccount(false, policy.owner()));
        }
        if (!groupKnown && !cli.groupExists(policy.group())) {
            missing.add(new MissingAccount(true, policy.group()));
        }
        return new Resolved(policy, missing);
    }
}
