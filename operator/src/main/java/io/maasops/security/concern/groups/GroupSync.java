package io.maasops.security.concern.groups;

import io.maasops.security.api.v1alpha1.EntitlementStatus;
import io.maasops.security.api.v1alpha1.GroupRef;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.Subject;
import io.maasops.security.api.v1alpha1.Unresolved;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.groups.RoleBindingGroups.Conflict;
import io.maasops.security.concern.groups.RoleBindingGroups.Lookup;
import io.maasops.security.concern.groups.RoleBindingGroups.NotManaged;
import io.maasops.security.concern.groups.RoleBindingGroups.Owned;
import io.maasops.security.concern.groups.RoleBindingGroups.Renamed;
import io.maasops.security.concern.groups.RoleBindingGroups.Resolution;
import io.maasops.security.contract.Reasons;
import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.port.MaasApi;
import io.maasops.security.rbac.GroupDiff;
import io.maasops.security.rbac.GroupOwnership;
import io.maasops.security.rbac.GroupPlan;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A RoleBinding's MAAS group, one sync: what MAAS is first ({@link GroupsSupport}: before 3.8, with
 * Canonical RBAC configured, or with a group name MAAS cannot hold, nothing is resolved or written),
 * then pools and users by name (nothing is applied until all resolve), then the binding's
 * own group (ours, free, or someone else's), then only the differences ({@link RoleBindingGroups}).
 * Returns what it decided ({@link GroupSyncResult}); the controller writes status and Events.
 */
public final class GroupSync {

    public static final String POOLS_RESOLVED = ConditionType.POOLS_RESOLVED.value();
    public static final String SUBJECTS_RESOLVED = ConditionType.SUBJECTS_RESOLVED.value();
    public static final String SYNCED = ConditionType.SYNCED.value();

    public static final String EVENT_GROUP_CREATED = "GroupCreated";
    public static final String EVENT_GROUP_RENAMED = "GroupRenamed";
    public static final String EVENT_MEMBERS_CHANGED = "MembersChanged";
    public static final String EVENT_ENTITLEMENTS_CHANGED = "EntitlementsChanged";
    public static final String EVENT_DRIFT_REPAIRED = "DriftRepaired";
    public static final String EVENT_CONFLICT = "Conflict";

    /** Drift is looked for this often even when nothing in Kubernetes changes. */
    static final Duration IN_SYNC_RECHECK = Duration.ofMinutes(5);
    /** Pools and users may be created in MAAS at any time; MAAS cannot tell us. */
    static final Duration UNRESOLVED_RECHECK = Duration.ofMinutes(1);

    static final Duration CONFLICT_RECHECK = Duration.ofMinutes(1);
    static final Duration MAAS_ERROR_RECHECK = Duration.ofSeconds(30);

    private GroupSync() {}

    /** @param earlierClaim another binding that declares the same group on the same MAAS and came first */
    public static GroupSyncResult sync(
            RoleBinding binding, MaasConnection conn, Supplier<Optional<String>> earlierClaim) {
        try {
            return syncOrThrow(binding, conn.client(), earlierClaim);
        } catch (MaasApiException e) {
            ConditionValue synced = ConditionValue.isFalse(SYNCED, Reasons.of(e).value(), e.getMessage());
            return new GroupSyncResult(
                    List.of(synced, Conditions.rollUp(List.of(synced), "", "")),
                    new GroupSection.Unchanged(),
                    List.of(),
                    MAAS_ERROR_RECHECK);
        }
    }

    private static GroupSyncResult syncOrThrow(
            RoleBinding binding, MaasApi maas, Supplier<Optional<String>> earlierClaim) throws MaasApiException {
        // What MAAS is decides whether anything can be applied: before any other read, and before any write.
        GroupsSupport.Verdict verdict = GroupsSupport.ofVersion(maas.version().version());
        if (verdict instanceof GroupsSupport.Blocked b) {
            return notApplicable(b);
        }
        GroupsSupport.Usable usable = (GroupsSupport.Usable) verdict;
        if (GroupsSupport.rbacOverridesGroups(usable)) {
            Optional<GroupsSupport.Blocked> rbac = GroupsSupport.ofExternalAuth(usable, maas.externalAuthUrl());
            if (rbac.isPresent()) {
                return notApplicable(rbac.get());
            }
        }
        String explicitName = binding.getSpec().getGroupName();
        Optional<GroupsSupport.Blocked> tooLong =
                GroupsSupport.ofGroupName(groupName(binding), explicitName != null && !explicitName.isEmpty());
        if (tooLong.isPresent()) {
            return notApplicable(tooLong.get());
        }
        List<UserGroup> groups;
        try {
            groups = maas.listGroups();
        } catch (MaasApiException e) {
            if (e.kind() != MaasApiException.Kind.GROUPS_API_UNSUPPORTED) {
                throw e;
            }
            // the version said 3.8+, yet /groups/ is missing (a proxy in front, a trimmed build)
            return notApplicable(new GroupsSupport.Blocked(
                    Reason.GROUPS_API_UNSUPPORTED,
                    "MAAS " + usable.version() + " answers 404 for its user groups API (GET groups/); nothing was"
                            + " applied",
                    GroupsSupport.RECHECK));
        }
        List<String> usernames =
                binding.getSpec().getSubjects().stream().map(Subject::getName).toList();
        List<String> poolNames = binding.getSpec().getResourcePools() == null
                ? List.of()
                : binding.getSpec().getResourcePools();
        Resolution res = RoleBindingGroups.resolve(maas, poolNames, usernames);
        ConditionValue pools = res.unknownPools().isEmpty()
                ? ConditionValue.isTrue(
                        POOLS_RESOLVED,
                        Reason.RESOLVED.value(),
                        poolNames.isEmpty() ? "no pools: the role is MAAS-wide" : "pools " + ids(res.pools()))
                : ConditionValue.isFalse(
                        POOLS_RESOLVED,
                        Reason.POOLS_NOT_FOUND.value(),
                        "MAAS has no resource pool named " + String.join(", ", res.unknownPools()));
        ConditionValue subjects = res.unknownUsers().isEmpty()
                ? ConditionValue.isTrue(SUBJECTS_RESOLVED, Reason.RESOLVED.value(), usernames.size() + " MAAS user(s)")
                : ConditionValue.isFalse(
                        SUBJECTS_RESOLVED,
                        Reason.USERS_NOT_FOUND.value(),
                        "MAAS has no user named " + String.join(", ", res.unknownUsers()));
        if (!res.complete()) {
            ConditionValue synced = ConditionValue.isFalse(
                    SYNCED,
                    Reason.WAITING_FOR_REFERENCES.value(),
                    "nothing is applied until every pool and user exists in MAAS");
            return result(
                    pools, subjects, synced, new GroupSection.Resolved(unresolved(res)), List.of(), UNRESOLVED_RECHECK);
        }
        return ownGroup(binding, maas, groups, res, pools, subjects, earlierClaim);
    }

    /** The binding's own group: ours, free, or someone else's; then only the differences. */
    private static GroupSyncResult ownGroup(
            RoleBinding binding,
            MaasApi maas,
            List<UserGroup> groups,
            Resolution res,
            ConditionValue pools,
            ConditionValue subjects,
            Supplier<Optional<String>> earlierClaim)
            throws MaasApiException {
        String ns = binding.getMetadata().getNamespace();
        String name = binding.getMetadata().getName();
        String groupName = groupName(binding);
        RoleBindingStatus last = binding.getStatus();
        Long recordedId =
                last == null || last.getGroup() == null ? null : last.getGroup().getId();
        Lookup lookup = RoleBindingGroups.find(groups, groupName, recordedId, ns, name);
        if (lookup instanceof Conflict c) {
            return conflict(
                    binding,
                    pools,
                    subjects,
                    groupName,
                    "RoleBinding " + c.owner() + " manages MAAS group " + groupName + " (id "
                            + c.group().id() + "); this binding changes nothing");
        }
        if (lookup instanceof NotManaged nm) {
            ConditionValue synced = ConditionValue.isFalse(
                    SYNCED,
                    Reason.GROUP_NOT_MANAGED.value(),
                    "MAAS group " + groupName
                            + " (id " + nm.group().id()
                            + ") exists and is not managed by this operator; it is left alone. Choose another"
                            + " spec.groupName, or hand the group over by setting its description to \""
                            + GroupOwnership.description(ns, name) + "\"");
            return result(pools, subjects, synced, new GroupSection.Resolved(null), List.of(), CONFLICT_RECHECK);
        }
        List<Notice> notices = new ArrayList<>();
        UserGroup group;
        boolean created = false;
        if (lookup instanceof Owned o) {
            group = o.group();
        } else if (lookup instanceof Renamed r) {
            try {
                group = maas.updateGroup(r.group().id(), groupName, null);
            } catch (MaasApiException e) {
                return nameTakenOrThrow(maas, groupName, e, pools, subjects);
            }
            notices.add(Notice.normal(
                    EVENT_GROUP_RENAMED,
                    "renamed MAAS group " + r.group().name() + " (id " + group.id() + ") to " + groupName));
        } else {
            Optional<String> earlier = earlierClaim.get();
            if (earlier.isPresent()) {
                return conflict(
                        binding,
                        pools,
                        subjects,
                        groupName,
                        "RoleBinding " + earlier.get() + " already declares MAAS group " + groupName
                                + " on the same MAAS; this binding changes nothing");
            }
            try {
                group = maas.createGroup(groupName, GroupOwnership.description(ns, name));
            } catch (MaasApiException e) {
                return nameTakenOrThrow(maas, groupName, e, pools, subjects);
            }
            created = true;
            notices.add(
                    Notice.normal(EVENT_GROUP_CREATED, "created MAAS group " + groupName + " (id " + group.id() + ")"));
        }
        return applyDiff(binding, maas, group, groupName, res, pools, subjects, created, notices);
    }

    /**
     * MAAS answers a duplicate group name with HTTP 500 (its unique constraint surfaces as an unhandled error in API
     * 2.0): when the name is taken now, someone created it since the listing, and the next look (a minute later)
     * tells whose it is (this binding's is adopted, any other reported). Any other failure is rethrown.
     */
    private static GroupSyncResult nameTakenOrThrow(
            MaasApi maas, String groupName, MaasApiException e, ConditionValue pools, ConditionValue subjects)
            throws MaasApiException {
        if (e.kind() != MaasApiException.Kind.SERVER_ERROR
                || maas.listGroups().stream().noneMatch(g -> groupName.equals(g.name()))) {
            throw e;
        }
        ConditionValue synced = ConditionValue.isFalse(
                SYNCED,
                Reason.GROUP_NAME_TAKEN.value(),
                "MAAS group " + groupName + " was created by someone else while this binding was being applied"
                        + " (MAAS refused the name with HTTP " + e.status() + "); nothing else was changed."
                        + " Looking again in " + CONFLICT_RECHECK.toMinutes() + " minute(s)");
        return result(pools, subjects, synced, new GroupSection.Unchanged(), List.of(), CONFLICT_RECHECK);
    }

    private static GroupSyncResult applyDiff(
            RoleBinding binding,
            MaasApi maas,
            UserGroup group,
            String groupName,
            Resolution res,
            ConditionValue pools,
            ConditionValue subjects,
            boolean created,
            List<Notice> notices)
            throws MaasApiException {
        String description = GroupOwnership.description(
                binding.getMetadata().getNamespace(), binding.getMetadata().getName());
        GroupPlan plan = GroupPlan.of(
                groupName, description, binding.getSpec().getRole(), res.pools().values(), res.users());
        GroupDiff diff = RoleBindingGroups.diff(maas, group.id(), plan);
        if (!diff.isEmpty()) {
            RoleBindingGroups.apply(maas, group.id(), diff);
            notices.addAll(GroupTransitions.changed(groupName, diff, !created && wasInSync(binding, group.id())));
        }
        GroupRef ref = new GroupRef();
        ref.setId((long) group.id());
        ref.setName(groupName);
        var section = new GroupSection.Synced(
                ref,
                List.copyOf(plan.members()),
                plan.entitlements().stream().map(GroupSync::entitlementStatus).toList());
        ConditionValue synced = ConditionValue.isTrue(
                SYNCED,
                Reason.IN_SYNC.value(),
                "MAAS group " + groupName + " (id " + group.id() + "): "
                        + plan.members().size() + " member(s), "
                        + plan.entitlements().size() + " entitlement(s)");
        return result(pools, subjects, synced, section, notices, IN_SYNC_RECHECK);
    }

    /** Nothing is resolved or written: Synced=False, and the resolution conditions are not checked. */
    private static GroupSyncResult notApplicable(GroupsSupport.Blocked blocked) {
        ConditionValue synced = ConditionValue.isFalse(SYNCED, blocked.reason().value(), blocked.message());
        String why = "not checked: " + blocked.reason().value();
        return new GroupSyncResult(
                List.of(
                        synced,
                        ConditionValue.unknown(POOLS_RESOLVED, Reason.NOT_CHECKED.value(), why),
                        ConditionValue.unknown(SUBJECTS_RESOLVED, Reason.NOT_CHECKED.value(), why),
                        Conditions.rollUp(List.of(synced), "", "")),
                new GroupSection.Unchanged(),
                List.of(),
                blocked.recheck());
    }

    private static GroupSyncResult conflict(
            RoleBinding binding, ConditionValue pools, ConditionValue subjects, String groupName, String message) {
        boolean already = Conditions.find(
                        binding.getStatus() == null ? null : binding.getStatus().getConditions(), SYNCED)
                .map(c -> Reason.GROUP_CONFLICT.value().equals(c.getReason()) && message.equals(c.getMessage()))
                .orElse(false);
        List<Notice> notices = already ? List.of() : List.of(Notice.warning(EVENT_CONFLICT, message));
        return result(
                pools,
                subjects,
                ConditionValue.isFalse(SYNCED, Reason.GROUP_CONFLICT.value(), message),
                new GroupSection.Conflicting(groupName),
                notices,
                CONFLICT_RECHECK);
    }

    private static GroupSyncResult result(
            ConditionValue pools,
            ConditionValue subjects,
            ConditionValue synced,
            GroupSection section,
            List<Notice> notices,
            Duration requeue) {
        ConditionValue ready = Conditions.rollUp(
                List.of(pools, subjects, synced), Reason.IN_SYNC.value(), "the MAAS group is as declared");
        return new GroupSyncResult(List.of(pools, subjects, synced, ready), section, List.copyOf(notices), requeue);
    }

    /** True when the last status already said this same generation was in sync with this group: any difference now is drift. */
    private static boolean wasInSync(RoleBinding binding, int groupId) {
        RoleBindingStatus last = binding.getStatus();
        long generation = binding.getMetadata().getGeneration() == null
                ? 0
                : binding.getMetadata().getGeneration();
        return last != null
                && Objects.equals(last.getObservedGeneration(), generation)
                && last.getGroup() != null
                && Objects.equals(last.getGroup().getId(), (long) groupId)
                && Conditions.isTrue(last.getConditions(), SYNCED);
    }

    /**
     * spec.groupName, or {@code k8s_<namespace>_<name>}: "_" cannot occur in Kubernetes names, so no
     * two bindings share a default group name (with "-", a-b/c and a/b-c did).
     */
    public static String groupName(RoleBinding b) {
        String explicit = b.getSpec() == null ? null : b.getSpec().getGroupName();
        return explicit == null || explicit.isEmpty()
                ? "k8s_" + b.getMetadata().getNamespace() + "_"
                        + b.getMetadata().getName()
                : explicit;
    }

    private static String ids(Map<String, Integer> pools) {
        return pools.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Only what is missing; empty lists are left out, as the API server would drop them anyway. */
    private static Unresolved unresolved(Resolution res) {
        if (res.complete()) {
            return null;
        }
        Unresolved u = new Unresolved();
        u.setPools(res.unknownPools().isEmpty() ? null : res.unknownPools());
        u.setUsers(res.unknownUsers().isEmpty() ? null : res.unknownUsers());
        return u;
    }

    private static EntitlementStatus entitlementStatus(Entitlement e) {
        EntitlementStatus s = new EntitlementStatus();
        s.setResourceType(e.resourceType());
        s.setResourceId(e.resourceId());
        s.setEntitlement(e.entitlement());
        return s;
    }
}
