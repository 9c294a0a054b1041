package io.maasops.security.concern.groups;

import io.maasops.security.api.v1alpha1.GroupRef;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.concern.Notice;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.port.MaasApi;
import io.maasops.security.rbac.GroupOwnership;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What deleting a RoleBinding does in MAAS: the group(s) marked as this binding's, under its name or
 * the id its status recorded, are deleted; anything else is left alone.
 */
public final class GroupDeletion {

    public static final String EVENT_GROUP_DELETED = "GroupDeleted";

    /** What the finalizer does next. */
    public record Outcome(boolean done, String problem, List<Notice> notices) {}

    private GroupDeletion() {}

    public static Outcome delete(RoleBinding binding, MaasConnection conn) {
        GroupRef recorded =
                binding.getStatus() == null ? null : binding.getStatus().getGroup();
        String group = recorded == null ? GroupSync.groupName(binding) : recorded.getName();
        if (conn.connected()) {
            try {
                return new Outcome(true, null, deleteOwnGroup(binding, conn.client(), recorded));
            } catch (MaasApiException e) {
                return new Outcome(false, "cannot delete MAAS group " + group + " yet: " + e.getMessage(), List.of());
            }
        }
        if (conn.refused()) {
            // the deployment no longer lets this namespace (or this API URL) use the operator: no MAAS call
            return new Outcome(
                    true,
                    null,
                    List.of(Notice.warning(
                            "CleanupSkipped",
                            conn.message() + "; MAAS group " + group + " (if any) was left in MAAS")));
        }
        if (recorded == null) {
            // never got as far as a group (its status names none), and MAAS cannot be asked: nothing to undo
            return new Outcome(true, null, List.of());
        }
        return new Outcome(false, "cannot delete MAAS group " + group + " yet: " + conn.message(), List.of());
    }

    private static List<Notice> deleteOwnGroup(RoleBinding binding, MaasApi maas, GroupRef recorded)
            throws MaasApiException {
        List<UserGroup> groups;
        try {
            groups = maas.listGroups();
        } catch (MaasApiException e) {
            if (e.kind() == MaasApiException.Kind.GROUPS_API_UNSUPPORTED) {
                return List.of(); // no groups API, so no group was ever created
            }
            throw e;
        }
        String ns = binding.getMetadata().getNamespace();
        String name = binding.getMetadata().getName();
        String groupName = GroupSync.groupName(binding);
        List<Notice> notices = new ArrayList<>();
        for (UserGroup g : groups) {
            boolean candidate =
                    g.name().equals(groupName) || (recorded != null && Objects.equals(recorded.getId(), (long) g.id()));
            if (candidate
                    && GroupOwnership.judge(g.description(), ns, name).kind() == GroupOwnership.Kind.THIS_BINDING) {
                try {
                    maas.deleteGroup(g.id());
                } catch (MaasApiException e) {
                    if (e.kind() != MaasApiException.Kind.NOT_FOUND) {
                        throw e;
                    }
                }
                notices.add(
                        Notice.normal(EVENT_GROUP_DELETED, "deleted MAAS group " + g.name() + " (id " + g.id() + ")"));
            }
        }
        return notices;
    }
}
