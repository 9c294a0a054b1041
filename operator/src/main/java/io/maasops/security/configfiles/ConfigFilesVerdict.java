package io.maasops.security.configfiles;

import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.status.ConditionValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Pure: the {@code ConfigFilesSecure} condition, the per-file status entries and the "is this news?"
 * tests that keep events from repeating, all from the results of one check.
 */
public final class ConfigFilesVerdict {

    public static final String TYPE = "ConfigFilesSecure";

    public static final String COMPLIANT = "Compliant";
    public static final String FIXED = "Fixed";
    public static final String DRIFT = "Drift";
    public static final String FILE_MISSING = "FileMissing";
    public static final String GROUP_NOT_FOUND = "GroupNotFound";
    public static final String USER_NOT_FOUND = "UserNotFound";
    public static final String COMMAND_FAILED = "CommandFailed";
    public static final String NOT_A_REGULAR_FILE = "NotARegularFile";

    private static final int MAX_LISTED = 5;

    private ConfigFilesVerdict() {}

    /** A user or group the controller does not have. */
    public record MissingAccount(boolean group, String name) {
        String describe() {
            return (group ? "group '" : "user '") + name + "'";
        }
    }

    /** The condition while the MAAS on the host is not supported (MaasVersionSupported says why). */
    public static ConditionValue notSupported(String hostname) {
        return ConditionValue.unknown(
                TYPE,
                io.maasops.security.status.Reason.MAAS_VERSION_NOT_SUPPORTED.value(),
                "the MAAS on " + hostname + " is not supported (condition MaasVersionSupported)");
    }

    /**
     * The condition for a completed check. Order of precedence: a path that is not a regular file (a
     * symbolic link where a config file should be may be an attack on the operator's root access, so it
     * is named first), an unknown user/group (nothing can be fixed until it exists), a fix that failed,
     * drift left in place by audit-only, missing files, then True as Fixed (this check changed
     * something) or Compliant.
     */
    public static ConditionValue condition(
            FilePermissionPolicy policy,
            boolean enforce,
            List<FileResult> results,
            List<MissingAccount> missingAccounts,
            String host) {
        List<FileResult> drifted =
                results.stream().filter(r -> r.current().drifted()).toList();
        List<FileResult> missing =
                results.stream().filter(r -> r.current().missing()).toList();
        List<FileResult> fixed = results.stream().filter(FileResult::fixed).toList();
        List<FileResult> failed =
                results.stream().filter(r -> r.fixError() != null).toList();
        List<FileResult> notRegular =
                results.stream().filter(r -> r.current().notRegular()).toList();

        if (!notRegular.isEmpty()) {
            return ConditionValue.isFalse(
                    TYPE,
                    NOT_A_REGULAR_FILE,
                    "left alone on " + host + ": "
                            + notRegular.stream()
                                    .limit(MAX_LISTED)
                                    .map(r -> notRegularText(r.current().observed()))
                                    .collect(Collectors.joining("; "))
                            + more(notRegular)
                            + ". Put the regular file back, or remove the path from spec.configFiles.paths"
                            + (fixed.isEmpty() ? "" : "; fixed " + listPaths(fixed)));
        }
        if (!missingAccounts.isEmpty()) {
            boolean userMissing = missingAccounts.stream().anyMatch(a -> !a.group());
            String accounts =
                    missingAccounts.stream().map(MissingAccount::describe).collect(Collectors.joining(" and "));
            String fields = missingAccounts.stream()
                    .map(a -> a.group() ? "spec.configFiles.group" : "spec.configFiles.owner")
                    .collect(Collectors.joining(" or "));
            return ConditionValue.isFalse(
                    TYPE,
                    userMissing ? USER_NOT_FOUND : GROUP_NOT_FOUND,
                    accounts + (missingAccounts.size() > 1 ? " do" : " does") + " not exist on " + host
                            + "; create it or change " + fields + ". Nothing was changed"
                            + (drifted.isEmpty() ? "." : "; not " + policy.describe() + ": " + listDrift(drifted)));
        }
        if (!failed.isEmpty()) {
            return ConditionValue.isFalse(
                    TYPE,
                    COMMAND_FAILED,
                    "could not fix "
                            + failed.stream()
                                    .map(r -> r.path() + " (" + r.fixError() + ")")
                                    .limit(MAX_LISTED)
                                    .collect(Collectors.joining("; ")));
        }
        if (!drifted.isEmpty()) {
            return ConditionValue.isFalse(
                    TYPE,
                    DRIFT,
                    drifted.size() + " of " + results.size() + " file(s) not " + policy.describe()
                            + (enforce ? "" : " (audit only, nothing changed)") + ": " + listDrift(drifted));
        }
        if (!missing.isEmpty()) {
            return ConditionValue.isFalse(
                    TYPE,
                    FILE_MISSING,
                    "missing on " + host + ": " + listPaths(missing)
                            + " (nothing to secure; remove it from spec.configFiles.paths if this controller has no such file)"
                            + (fixed.isEmpty() ? "" : "; fixed " + listPaths(fixed)));
        }
        if (!fixed.isEmpty()) {
            return ConditionValue.isTrue(
                    TYPE,
                    FIXED,
                    "fixed " + fixed.size() + " of " + results.size() + " file(s) to " + policy.describe() + ": "
                            + listPaths(fixed));
        }
        return ConditionValue.isTrue(TYPE, COMPLIANT, "all " + results.size() + " file(s) are " + policy.describe());
    }

    /** "/etc/maas/regiond.conf is a symbolic link (the operator never follows links)"; no "; " (the list separator). */
    public static String notRegularText(FileStatus f) {
        return f.path() + " is a " + f.type().text()
                + (f.type() == FileStatus.FileType.SYMLINK
                        ? " (the operator never follows links)"
                        : " (the operator changes regular files only)");
    }

    /**
     * The status entry for one file; {@code fixedAt} is now when fixed this check, else the previous one.
     * A path that is not a regular file gets its type and owner, no mode (not something the operator sets).
     */
    public static ConfigFileStatus statusEntry(FileResult result, ConfigFileStatus previous, String now) {
        FileStatus f = result.current().observed();
        ConfigFileStatus s = new ConfigFileStatus();
        s.setPath(f.path());
        s.setExists(f.exists());
        if (f.exists()) {
            s.setMode(f.regular() ? f.mode() : null);
            s.setFileType(f.regular() ? null : f.type().text());
            s.setOwner(f.owner());
            s.setGroup(f.group());
        }
        s.setCompliant(result.current().compliant());
        s.setFixedAt(result.fixed() ? now : previous == null ? null : previous.getFixedAt());
        return s;
    }

    /**
     * Whether drift on this file is news: it was not reported as this exact drift (same mode, owner,
     * group) by the previous check. A spec change makes every drift news, since what is wanted changed.
     */
    public static boolean isNewDrift(ConfigFileStatus previous, FileStatus observed, boolean specChanged) {
        return specChanged
                || previous == null
                || !Boolean.TRUE.equals(previous.getExists())
                || !Boolean.FALSE.equals(previous.getCompliant())
                || !Objects.equals(previous.getMode(), observed.mode())
                || !Objects.equals(previous.getOwner(), observed.owner())
                || !Objects.equals(previous.getGroup(), observed.group());
    }

    /** Whether a path that is not a regular file is news (it was something else at the previous check). */
    public static boolean isNewlyNotRegular(ConfigFileStatus previous, FileStatus observed, boolean specChanged) {
        return specChanged
                || previous == null
                || !Boolean.TRUE.equals(previous.getExists())
                || !Objects.equals(previous.getFileType(), observed.type().text());
    }

    /** Whether a missing file is news (it existed, or was not listed, at the previous check). */
    public static boolean isNewlyMissing(ConfigFileStatus previous, boolean specChanged) {
        return specChanged || previous == null || !Boolean.FALSE.equals(previous.getExists());
    }

    /** Files not compliant after the check (drifted, missing or not a regular file): the metric's value. */
    public static int nonCompliant(List<FileResult> results) {
        return (int) results.stream().filter(r -> !r.current().compliant()).count();
    }

    private static String listDrift(List<FileResult> files) {
        List<String> out = new ArrayList<>();
        for (FileResult r : files.stream().limit(MAX_LISTED).toList()) {
            out.add(r.path() + " is "
                    + FilePermissionPolicy.describe(r.current().observed()));
        }
        return String.join(", ", out) + more(files);
    }

    private static String listPaths(List<FileResult> files) {
        return files.stream().limit(MAX_LISTED).map(FileResult::path).collect(Collectors.joining(", ")) + more(files);
    }

    private static String more(List<FileResult> files) {
        return files.size() > MAX_LISTED ? " and " + (files.size() - MAX_LISTED) + " more" : "";
    }
}
