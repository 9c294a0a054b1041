package io.maasops.security.concern.groups;

import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasBehaviour.RbacSupport;
import io.maasops.security.maasversion.MaasVersion;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Reason;
import io.maasops.security.util.RemoteText;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a RoleBinding can take effect on a MAAS, decided from what that MAAS's API reports (pure functions).
 *
 * <p>A RoleBinding reaches MAAS only through its region's {@code spec.api}: it has no region shell (a binding's
 * MaasRegion may have none at all, and a namespace author's binding must not make the operator run commands on a
 * region controller), so the version comes from {@code GET /api/2.0/version/} and Canonical RBAC from the login
 * view's {@code external_auth_url}, as any MAAS API client can see them.
 */
public final class GroupsSupport {

    /** MAAS can be upgraded, or its RBAC removed, without the binding changing: looked at again this often. */
    static final Duration RECHECK = GroupSync.IN_SYNC_RECHECK;
    /** MAAS answers "None" while no controller has reported a version (a deployment still starting). */
    static final Duration UNKNOWN_VERSION_RECHECK = GroupSync.UNRESOLVED_RECHECK;

    /** The series whose groups API a binding needs. */
    static final String GROUPS_SINCE = "3.8";

    private GroupsSupport() {}

    /** What the version allows. */
    public sealed interface Verdict permits Usable, Blocked {}

    /** The groups API exists; {@code behaviour} says whether Canonical RBAC must be looked for. */
    public record Usable(MaasVersion version, MaasBehaviour behaviour) implements Verdict {}

    /** The binding cannot take effect: Synced=False with this reason and message, nothing written. */
    public record Blocked(Reason reason, String message, Duration recheck) implements Verdict {}

    /** From the {@code version} field MAAS's version endpoint answers. */
    public static Verdict ofVersion(String reported) {
        // The groups API and Canonical RBAC are columns of the series, the same on snap and deb (and the API cannot
        // tell which installation answers).
        MaasVersions.Printed read = MaasVersions.lookup(reported, MaasPackaging.SNAP);
        if (read.version().isEmpty()) {
            return new Blocked(
                    Reason.MAAS_VERSION_UNKNOWN,
                    "MAAS reports its version as \"" + RemoteText.excerpt(reported, 40)
                            + "\", which is not a MAAS version (MAAS says None until a controller has registered);"
                            + " nothing was applied; looking again in " + UNKNOWN_VERSION_RECHECK.toMinutes()
                            + " minute(s)",
                    UNKNOWN_VERSION_RECHECK);
        }
        MaasVersion v = read.version().get();
        Optional<MaasBehaviour> behaviour = read.behaviour();
        if (behaviour.isEmpty()) {
            String supported = MaasVersions.supportedSeries().get(0) + " to "
                    + MaasVersions.supportedSeries()
                            .get(MaasVersions.supportedSeries().size() - 1);
            boolean older = v.compareTo(MaasVersion.of(MaasVersions.OLDEST + ".0~alpha1")) < 0;
            return new Blocked(
                    Reason.MAAS_VERSION_NOT_SUPPORTED,
                    "MAAS " + v + (older ? " is not supported" : " is newer than this operator knows")
                            + " (it supports MAAS " + supported + "; a RoleBinding needs " + GROUPS_SINCE
                            + ", the first with user groups and entitlements): nothing was applied. "
                            + (older
                                    ? "Upgrade MAAS to " + GROUPS_SINCE + " or later"
                                    : "Use an operator release that supports it"),
                    RECHECK);
        }
        if (!behaviour.get().groupsApi()) {
            return new Blocked(
                    Reason.GROUPS_API_UNSUPPORTED,
                    "MAAS " + v + " has no user groups and entitlements API (it came with MAAS " + GROUPS_SINCE
                            + "), so this binding cannot take effect; nothing was applied. Upgrade MAAS to "
                            + GROUPS_SINCE + " or later; until then grant roles in MAAS itself (the superuser"
                            + " flag, or Canonical RBAC). Looked at again every " + RECHECK.toMinutes()
                            + " minutes",
                    RECHECK);
        }
        return new Usable(v, behaviour.get());
    }

    /** Whether this version's Canonical RBAC must be looked for before writing groups. */
    public static boolean rbacOverridesGroups(Usable usable) {
        return usable.behaviour().canonicalRbac() == RbacSupport.DEPRECATED_OVERRIDES_GROUPS;
    }

    /**
     * From the login view's {@code external_auth_url} on a series where Canonical RBAC overrides groups (3.8). MAAS
     * reports {@code <rbac-url>/auth} when Canonical RBAC is configured and the Candid URL when only Candid is
     * (maasservicelayer/services/external_auth.py get_external_auth). With RBAC, MAAS checks only
     * {@code is_superuser} and ignores groups and entitlements (maasserver/api/support.py check_permission,
     * authorization.py); with Candid alone, OpenFGA still decides. A Candid URL that itself ends in {@code /auth}
     * reads as RBAC: the safe side (the binding says it cannot take effect rather than claim an effect it may not
     * have).
     */
    public static Optional<Blocked> ofExternalAuth(Usable usable, Optional<String> externalAuthUrl) {
        if (!rbacOverridesGroups(usable) || externalAuthUrl.isEmpty()) {
            return Optional.empty();
        }
        String url = externalAuthUrl.get().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.endsWith("/auth")) {
            return Optional.empty();
        }
        return Optional.of(new Blocked(
                Reason.CANONICAL_RBAC_CONFIGURED,
                "MAAS " + usable.version() + " has Canonical RBAC configured (its login page sends users to "
                        + RemoteText.excerpt(url, 100) + "): MAAS then checks only the superuser flag and ignores"
                        + " user groups and entitlements, so this binding cannot take effect; no group was written."
                        + " Grant the role in Canonical RBAC, or remove RBAC from MAAS (sudo maas configauth"
                        + " --rbac-url ''; it is deprecated in " + GROUPS_SINCE + ") and the binding applies at its"
                        + " next check (every " + RECHECK.toMinutes() + " minutes, or on a reconcile request)",
                RECHECK));
    }

    /**
     * MAAS's group names are at most {@link MaasBehaviour#GROUP_NAME_MAX} characters (a longer one is an HTTP 500).
     * {@code spec.groupName} is capped shorter by the CRD; the default {@code k8s_<namespace>_<name>} can be longer
     * (a namespace of 63 and a name of 253 characters make 321).
     */
    public static Optional<Blocked> ofGroupName(String groupName, boolean explicit) {
        int length = groupName.codePointCount(0, groupName.length());
        if (length <= MaasBehaviour.GROUP_NAME_MAX) {
            return Optional.empty();
        }
        return Optional.of(new Blocked(
                Reason.GROUP_NAME_TOO_LONG,
                (explicit ? "spec.groupName" : "the default MAAS group name k8s_<namespace>_<name>") + " is " + length
                        + " characters long; MAAS allows at most " + MaasBehaviour.GROUP_NAME_MAX
                        + ": nothing was applied. Set a shorter spec.groupName",
                null));
    }
}
