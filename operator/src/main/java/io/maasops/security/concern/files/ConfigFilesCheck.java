package io.maasops.security.concern.files;

import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.configfiles.ConfigFilesVerdict;
import io.maasops.security.configfiles.ConfigFilesVerdict.MissingAccount;
import io.maasops.security.configfiles.FilePermissionPolicy;
import io.maasops.security.configfiles.FilePermissionPolicy.FileAudit;
import io.maasops.security.configfiles.FileResult;
import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.RegionShell;
import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.regionhost.FixOutcome;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.UnknownAccountException;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One complete check of a region's config files: stat, judge, fix (enforce) or report (audit-only). */
final class ConfigFilesCheck {

    static final String EVENT_FIXED = "PermissionsFixed";
    static final String EVENT_DRIFT = "PermissionsDrift";
    static final String EVENT_MISSING = "ConfigFileMissing";
    static final String EVENT_NOT_REGULAR = "ConfigFileNotRegular";
    static final String DESCRIPTION =
            "Config files of a MAAS region that are not at the wanted owner, group and mode (or missing)";

    /** The condition, and the Events of what changed since the last check. */
    record Checked(ConditionValue condition, List<Notice> notices) {}

    private ConfigFilesCheck() {}

    /** Throws {@code RegionAccessException}/{@code MaasCliException} when the controller cannot be used. */
    static Checked run(RegionInputs ctx, ConfigFilesSpec spec, Instant now, boolean specChanged) {
        Optional<MaasBehaviour> maas = ctx.behaviour();
        if (maas.isEmpty()) { // the concern does not run then; a version gone unsupported since is seen next time
            return new Checked(ConfigFilesVerdict.notSupported(ctx.hostname()), List.of());
        }
        MaasBehaviour.FilePolicy row =
                maas.get().file(ctx.packaging().regiondConf()).orElseThrow();
        FilePermissionPolicy policy =
                FilePermissionPolicy.from(spec, new FilePermissionPolicy(row.owner(), row.group(), row.mode()));
        boolean enforce = spec.getEnforce() == null || spec.getEnforce();
        List<String> paths = spec.getPaths() == null || spec.getPaths().isEmpty()
                ? ctx.packaging().defaultConfigFiles()
                : spec.getPaths();
        RegionShell cli = ctx.shell();
        Optional<String> breaks = breaksMaas(cli, maas.get(), spec, paths, policy);
        List<FileAudit> audits =
                cli.statFiles(paths).stream().map(policy::audit).toList();
        List<MissingAccount> missingAccounts = new ArrayList<>();
        if (breaks.isEmpty() && audits.stream().anyMatch(FileAudit::drifted)) {
            // Only then can an unknown name matter; a compliant file proves both names resolve.
            var accounts =
                    ConfigFileAccounts.resolve(cli, policy, spec.getGroup() == null ? row.groupIfMissing() : null);
            if (!accounts.policy().equals(policy)) {
                FilePermissionPolicy fallback = accounts.policy();
                audits = audits.stream().map(a -> fallback.audit(a.observed())).toList();
                policy = fallback;
            }
            missingAccounts.addAll(accounts.missing());
        }
        List<FileResult> done = fix(cli, policy, enforce && breaks.isEmpty(), audits, missingAccounts);
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, ConfigFileStatus> before = previousEntries(ctx.status());
        List<Notice> notices = notices(policy, enforce, done, before, specChanged);
        record(ctx, done, before, stamp);
        if (breaks.isPresent()) {
            return new Checked(
                    ConditionValue.isFalse(
                            ConfigFilesVerdict.TYPE,
                            Reason.POLICY_BREAKS_MAAS.value(),
                            breaks.get() + ". Nothing was changed; "
                                    + ConfigFilesVerdict.nonCompliant(done) + " of " + done.size()
                                    + " file(s) differ from the requested policy"),
                    List.of());
        }
        return new Checked(
                ConfigFilesVerdict.condition(
                        policy,
                        enforce,
                        done,
                        missingAccounts.stream().distinct().toList(),
                        ctx.hostname()),
                notices);
    }

    /** status.configFiles and the non-compliant gauge after a check. */
    private static void record(
            RegionInputs ctx, List<FileResult> done, Map<String, ConfigFileStatus> before, String stamp) {
        MaasRegionStatus status = ctx.status();
        status.setConfigFiles(done.stream()
                .map(r -> ConfigFilesVerdict.statusEntry(r, before.get(r.path()), stamp))
                .collect(Collectors.toList()));
        status.setConfigFilesCheckedAt(stamp);
        ctx.metrics()
                .gauge(
                        OperatorMetrics.CONFIG_FILES_NONCOMPLIANT,
                        DESCRIPTION,
                        ctx.namespace(),
                        ctx.name(),
                        ConfigFilesVerdict.nonCompliant(done));
    }

    /**
     * Why the requested owner or group would stop MAAS (deb: its services rewrite regiond.conf and the secret as
     * user maas, copying the old owner and group), or empty. Only an owner or group the spec sets can do that: the
     * defaults are MAAS's own. Costs one {@code id -nG} then.
     */
    private static Optional<String> breaksMaas(
            RegionShell cli,
            MaasBehaviour maas,
            ConfigFilesSpec spec,
            List<String> paths,
            FilePermissionPolicy policy) {
        if ((spec.getOwner() == null && spec.getGroup() == null)
                || maas.serviceUser().equals("root")) {
            return Optional.empty();
        }
        List<String> groups = cli.groupsOf(maas.serviceUser());
        return paths.stream()
                .map(p -> maas.breaksMaas(p, policy.owner(), policy.group(), groups))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * Fixes every drifted file in one command, whose answer carries each changed file's status afterwards (the proof
     * of the fix, without another stat).
     */
    private static List<FileResult> fix(
            RegionShell cli,
            FilePermissionPolicy policy,
            boolean enforce,
            List<FileAudit> audits,
            List<MissingAccount> missingAccounts) {
        FileResult[] results = new FileResult[audits.size()];
        List<Integer> drifted = new ArrayList<>();
        for (int i = 0; i < audits.size(); i++) {
            if (enforce && audits.get(i).drifted() && missingAccounts.isEmpty()) {
                drifted.add(i);
            } else {
                results[i] = FileResult.unchanged(audits.get(i));
            }
        }
        if (drifted.isEmpty()) {
            return List.of(results);
        }
        try {
            List<FixOutcome> outcomes = cli.fixFiles(
                    drifted.stream().map(i -> audits.get(i).path()).toList(),
                    policy.owner(),
                    policy.group(),
                    policy.mode());
            for (int k = 0; k < drifted.size(); k++) {
                FileAudit audit = audits.get(drifted.get(k));
                FixOutcome o = outcomes.get(k);
                results[drifted.get(k)] = switch (o.kind()) {
                    case CHANGED -> FileResult.fixed(audit, policy.audit(o.status()));
                    // swapped (for a symbolic link, say) or removed since the stat: what the fix saw is the state
                    case REFUSED -> FileResult.unchanged(policy.audit(o.status()));
                    case FAILED -> FileResult.fixFailed(audit, o.message());
                };
            }
        } catch (UnknownAccountException e) {
            // removed between getent and the fix: same state as found by getent
            missingAccounts.add(new MissingAccount(e.kind() == UnknownAccountException.Kind.GROUP, e.name()));
            drifted.forEach(i -> results[i] = FileResult.unchanged(audits.get(i)));
        } catch (MaasCliException e) {
            drifted.forEach(i -> results[i] = FileResult.fixFailed(audits.get(i), e.getMessage()));
        }
        return List.of(results);
    }

    /**
     * One event per reason and reconcile, naming every file (a fresh region usually has all three
     * wrong: one event instead of three, for the user and for the API server's event store).
     */
    static List<Notice> notices(
            FilePermissionPolicy policy,
            boolean enforce,
            List<FileResult> results,
            Map<String, ConfigFileStatus> before,
            boolean specChanged) {
        List<String> fixed = new ArrayList<>();
        List<String> drifted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> notRegular = new ArrayList<>();
        for (FileResult r : results) {
            FileStatus seen = r.before().observed();
            if (r.current().notRegular()) {
                if (ConfigFilesVerdict.isNewlyNotRegular(
                        before.get(r.path()), r.current().observed(), specChanged)) {
                    notRegular.add(ConfigFilesVerdict.notRegularText(r.current().observed()) + ", left alone");
                }
            } else if (r.fixed()) {
                fixed.add(r.path() + ": " + FilePermissionPolicy.describe(seen) + " -> "
                        + FilePermissionPolicy.describe(r.after().observed()));
            } else if (!enforce
                    && r.current().drifted()
                    && ConfigFilesVerdict.isNewDrift(before.get(r.path()), seen, specChanged)) {
                drifted.add(r.path() + ": " + FilePermissionPolicy.describe(seen) + ", want " + policy.describe()
                        + " (audit only: not changed)");
            } else if (r.current().missing() && ConfigFilesVerdict.isNewlyMissing(before.get(r.path()), specChanged)) {
                missing.add(r.path() + " does not exist on the controller");
            }
        }
        List<Notice> out = new ArrayList<>();
        if (!fixed.isEmpty()) {
            out.add(Notice.normal(EVENT_FIXED, String.join("; ", fixed)));
        }
        if (!drifted.isEmpty()) {
            out.add(Notice.warning(EVENT_DRIFT, String.join("; ", drifted)));
        }
        if (!missing.isEmpty()) {
            out.add(Notice.warning(EVENT_MISSING, String.join("; ", missing)));
        }
        if (!notRegular.isEmpty()) {
            out.add(Notice.warning(EVENT_NOT_REGULAR, String.join("; ", notRegular)));
        }
        return out;
    }

    private static Map<String, ConfigFileStatus> previousEntries(MaasRegionStatus status) {
        return status.getConfigFiles() == null
                ? Map.of()
                : status.getConfigFiles().stream()
                        .filter(f -> f.getPath() != null)
                        .collect(Collectors.toMap(ConfigFileStatus::getPath, Function.identity(), (a, b) -> a));
    }
}
