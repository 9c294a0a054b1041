package io.maasops.security.concern.groups;

import io.maasops.security.concern.Notice;
import io.maasops.security.rbac.GroupDiff;
import java.util.ArrayList;
import java.util.List;

/** The Events of a group change. Pure. */
final class GroupTransitions {

    private GroupTransitions() {}

    /** @param drift the last status said this generation was in sync: a change now was made behind the binding's back */
    static List<Notice> changed(String groupName, GroupDiff diff, boolean drift) {
        List<Notice> out = new ArrayList<>();
        if (drift) {
            out.add(Notice.warning(
                    GroupSync.EVENT_DRIFT_REPAIRED,
                    "MAAS group " + groupName + " was changed outside"
                            + " this binding; restored:"
                            + (diff.membersChanged() ? " members " + diff.describeMembers() : "")
                            + (diff.entitlementsChanged() ? " entitlements " + diff.describeEntitlements() : "")));
            return out;
        }
        if (diff.membersChanged()) {
            out.add(Notice.normal(GroupSync.EVENT_MEMBERS_CHANGED, groupName + ": " + diff.describeMembers()));
        }
        if (diff.entitlementsChanged()) {
            out.add(Notice.normal(
                    GroupSync.EVENT_ENTITLEMENTS_CHANGED, groupName + ": " + diff.describeEntitlements()));
        }
        return out;
    }
}
