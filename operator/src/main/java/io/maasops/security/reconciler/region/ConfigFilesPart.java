package io.maasops.security.reconciler.region;

import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.configfiles.CheckSchedule;
import io.maasops.security.configfiles.ConfigFilesVerdict;
import io.maasops.security.configfiles.ConfigFilesVerdict.MissingAccount;
import io.maasops.security.configfiles.FilePermissionPolicy;
import io.maasops.security.configfiles.FilePermissionPolicy.FileAudit;
import io.maasops.security.configfiles.FileResult;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.regionhost.FileRefusedException;
import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.UnknownAccountException;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.StatusUpdates;
import io.maasops.security.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Flow 4: config file permissions (MAAS's security docs: 640, group {@code maas}, writable only by
 * root). Stats each file on the controller, fixes drift with chown + chmod when {@code enforce}, and
 * reports per-file status, the {@code ConfigFilesSecure} condition, events and a metric. Runs on a spec
 * change and every {@code checkInterval}; a controller that cannot be reached is retried with a capped
 * backoff. The decisions themselves are pure, in {@code io.maasops.security.configfiles}.
 */
public final class ConfigFilesPart implements RegionPart {

  public static final String TYPE = ConfigFilesVerdict.TYPE;
  public static final String EVENT_FIXED = "PermissionsFixed";
  public static final String EVENT_DRIFT = "PermissionsDrift";
  public static final String EVENT_MISSING = "ConfigFileMissing";
  public static final String EVENT_NOT_REGULAR = "ConfigFileNotRegular";

  public static final String REGION_UNREACHABLE = "RegionUnreachable";
  public static final String HOST_KEY_REJECTED = "HostKeyRejected";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String SUDO_REFUSED = "SudoRefused";

  private static final String DESCRIPTION = "Config files of a MAAS region that are not at the wanted owner, group and mode (or missing)";
  private static final Duration STALE_RECHECK = Duration.ofSeconds(5);
  private static final String CANNOT_CHECK = "cannot check config files: ";

  /**
   * The last result per region ("namespace/name"), kept because the primary a reconcile receives can
   * be older than the status this part last wrote (an informer event for an earlier version may
   * replace JOSDK's cached copy of our own status patch). The status is the truth after a restart;
   * within a process this memory wins, so a stale copy neither repeats a check nor re-emits events.
   */
  private final Map<String, Memory> memory = new ConcurrentHashMap<>();

  /** What this part last decided for one resource (by uid and generation), and its backoff. */
  private record Memory(String uid, long generation, ConditionValue condition, List<ConfigFileStatus> files,
                        String checkedAt, int failures, Instant retryAt) {}

  @Override
  public List<String> conditionTypes() {
    return List.of(TYPE);
  }

  @Override
  public PartResult reconcile(RegionContext ctx) {
    ConfigFilesSpec spec = ctx.region().getSpec().getConfigFiles() == null
        ? new ConfigFilesSpec() : ctx.region().getSpec().getConfigFiles();
    Duration interval = Durations.parse(spec.getCheckInterval() == null ? "10m" : spec.getCheckInterval());
    Instant now = ctx.now();
    MaasRegionStatus status = ctx.status();
    String uid = ctx.region().getMetadata().getUid();
    long generation = ctx.region().getMetadata().getGeneration() == null ? 0 : ctx.region().getMetadata().getGeneration();

    Memory last = memory.get(ctx.key());
    if (last != null && !java.util.Objects.equals(last.uid(), uid)) {
      last = null; // deleted and created again under the same name
    }
    Optional<ConditionValue> previous;
    boolean specChanged;
    if (last != null && generation < last.generation()) {
      // an older copy of the resource than the one last acted on: its spec is not the current one
      status.setConfigFiles(copy(last.files()));
      status.setConfigFilesCheckedAt(last.checkedAt());
      return PartResult.of(last.condition(), STALE_RECHECK);
    }
    if (last != null) {
      status.setConfigFiles(copy(last.files()));
      status.setConfigFilesCheckedAt(last.checkedAt());
      previous = Optional.of(last.condition());
      specChanged = last.generation() != generation;
    } else {
      previous = Conditions.find(status.getConditions(), TYPE)
          .map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
      specChanged = ctx.specChanged();
    }

    if (!specChanged && previous.isPresent()) {
      if (last != null && last.retryAt() != null) {
        if (now.isBefore(last.retryAt())) {
          return PartResult.of(previous.get(), Duration.between(now, last.retryAt()));
        }
      } else {
        Duration left = CheckSchedule.timeLeft(now, parse(status.getConfigFilesCheckedAt()), interval);
        // a failed attempt not remembered here (operator restarted) is retried at once
        boolean lastAttemptFailed = previous.get().message() != null && previous.get().message().startsWith(CANNOT_CHECK);
        if (!lastAttemptFailed && left.compareTo(Duration.ZERO) > 0) {
          return PartResult.of(previous.get(), left);
        }
      }
    }

    try {
      ConditionValue condition = check(ctx, spec, now, specChanged);
      memory.put(ctx.key(), new Memory(uid, generation, condition, copy(status.getConfigFiles()),
          status.getConfigFilesCheckedAt(), 0, null));
      return PartResult.of(condition, interval);
    } catch (RegionAccessException e) {
      return failed(ctx, last, uid, generation, now, reasonFor(e.kind()), CANNOT_CHECK + e.getMessage());
    } catch (MaasCliException e) {
      return failed(ctx, last, uid, generation, now, ConfigFilesVerdict.COMMAND_FAILED, CANNOT_CHECK + e.getMessage());
    }
  }

  @Override
  public void cleanup(RegionContext ctx) {
    memory.remove(ctx.key());
    ctx.services().metrics().gauge(OperatorMetrics.CONFIG_FILES_NONCOMPLIANT, DESCRIPTION, ctx.namespace(), ctx.name(), 0);
  }

  /** One complete check: stat, judge, fix (enforce) or report (audit-only), write status, events, metric. */
  private ConditionValue check(RegionContext ctx, ConfigFilesSpec spec, Instant now, boolean specChanged) {
    FilePermissionPolicy policy = FilePermissionPolicy.from(spec);
    boolean enforce = spec.getEnforce() == null || spec.getEnforce();
    List<String> paths = spec.getPaths() == null || spec.getPaths().isEmpty()
        ? ctx.installation().defaultConfigFiles() : spec.getPaths();
    MaasCli cli = ctx.cli();
    String host = ctx.region().getSpec().getHostname();

    List<FileAudit> audits = cli.statFiles(paths).stream().map(policy::audit).toList();
    List<MissingAccount> missingAccounts = new ArrayList<>();
    if (audits.stream().anyMatch(FileAudit::drifted)) {
      // Only then can an unknown name matter; a compliant file proves both names resolve.
      if (!cli.userExists(policy.owner())) {
        missingAccounts.add(new MissingAccount(false, policy.owner()));
      }
      if (!cli.groupExists(policy.group())) {
        missingAccounts.add(new MissingAccount(true, policy.group()));
      }
    }

    // fix each drifted file (chown/chmod only where it differs), then one stat proves all the fixes
    FileResult[] results = new FileResult[audits.size()];
    List<Integer> applied = new ArrayList<>();
    for (int i = 0; i < audits.size(); i++) {
      FileAudit audit = audits.get(i);
      if (!enforce || !audit.drifted() || !missingAccounts.isEmpty()) {
        results[i] = FileResult.unchanged(audit);
        continue;
      }
      try {
        cli.applyFix(audit.path(), audit.observed(), policy.owner(), policy.group(), policy.mode());
        applied.add(i);
      } catch (FileRefusedException e) {
        // swapped (for a symbolic link, say) or removed since the stat: what the fix saw is the state
        results[i] = FileResult.unchanged(policy.audit(e.found()));
      } catch (UnknownAccountException e) {
        // removed between getent and chown: same state as found by getent
        missingAccounts.add(new MissingAccount(e.kind() == UnknownAccountException.Kind.GROUP, e.name()));
        results[i] = FileResult.unchanged(audit);
      } catch (MaasCliException e) {
        results[i] = FileResult.fixFailed(audit, e.getMessage());
      }
    }
    if (!applied.isEmpty()) {
      try {
        List<FileStatus> after = cli.statFiles(applied.stream().map(i -> audits.get(i).path()).toList());
        for (int k = 0; k < applied.size(); k++) {
          results[applied.get(k)] = FileResult.fixed(audits.get(applied.get(k)), policy.audit(after.get(k)));
        }
      } catch (MaasCliException e) {
        applied.forEach(i -> results[i] = FileResult.fixFailed(audits.get(i), "changed, but could not check the result: " + e.getMessage()));
      }
    }
    List<FileResult> done = List.of(results);

    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, ConfigFileStatus> before = previousEntries(ctx.status());
    recordEvents(ctx, policy, enforce, done, before, specChanged);
    MaasRegionStatus status = ctx.status();
    status.setConfigFiles(done.stream()
        .map(r -> ConfigFilesVerdict.statusEntry(r, before.get(r.path()), stamp)).collect(Collectors.toList()));
    status.setConfigFilesCheckedAt(stamp);
    ctx.services().metrics().gauge(OperatorMetrics.CONFIG_FILES_NONCOMPLIANT, DESCRIPTION, ctx.namespace(), ctx.name(),
        ConfigFilesVerdict.nonCompliant(done));
    return ConfigFilesVerdict.condition(policy, enforce, done, missingAccounts.stream().distinct().toList(), host);
  }

  /**
   * One event per reason and reconcile, naming every file (a fresh region usually has all three
   * wrong: one event instead of three, for the user and for the API server's event store).
   */
  private static void recordEvents(RegionContext ctx, FilePermissionPolicy policy, boolean enforce, List<FileResult> results,
                                   Map<String, ConfigFileStatus> before, boolean specChanged) {
    List<String> fixed = new java.util.ArrayList<>();
    List<String> drifted = new java.util.ArrayList<>();
    List<String> missing = new java.util.ArrayList<>();
    List<String> notRegular = new java.util.ArrayList<>();
    for (FileResult r : results) {
      FileStatus seen = r.before().observed();
      if (r.current().notRegular()) {
        if (ConfigFilesVerdict.isNewlyNotRegular(before.get(r.path()), r.current().observed(), specChanged)) {
          notRegular.add(ConfigFilesVerdict.notRegularText(r.current().observed()) + ", left alone");
        }
      } else if (r.fixed()) {
        fixed.add(r.path() + ": " + FilePermissionPolicy.describe(seen) + " -> " + FilePermissionPolicy.describe(r.after().observed()));
      } else if (!enforce && r.current().drifted()
          && ConfigFilesVerdict.isNewDrift(before.get(r.path()), seen, specChanged)) {
        drifted.add(r.path() + ": " + FilePermissionPolicy.describe(seen) + ", want " + policy.describe() + " (audit only: not changed)");
      } else if (r.current().missing() && ConfigFilesVerdict.isNewlyMissing(before.get(r.path()), specChanged)) {
        missing.add(r.path() + " does not exist on the controller");
      }
    }
    if (!fixed.isEmpty()) {
      ctx.events().normal(ctx.region(), EVENT_FIXED, String.join("; ", fixed));
    }
    if (!drifted.isEmpty()) {
      ctx.events().warning(ctx.region(), EVENT_DRIFT, String.join("; ", drifted));
    }
    if (!missing.isEmpty()) {
      ctx.events().warning(ctx.region(), EVENT_MISSING, String.join("; ", missing));
    }
    if (!notRegular.isEmpty()) {
      ctx.events().warning(ctx.region(), EVENT_NOT_REGULAR, String.join("; ", notRegular));
    }
  }

  private PartResult failed(RegionContext ctx, Memory last, String uid, long generation, Instant now, String reason,
                            String message) {
    int attempts = last == null ? 1 : last.failures() + 1;
    Duration wait = CheckSchedule.backoff(attempts);
    ConditionValue condition = ConditionValue.isFalse(TYPE, reason, message + " (retrying in " + wait.toSeconds() + "s)");
    // status.configFiles keeps the last completed check: still the best knowledge of the files
    MaasRegionStatus status = ctx.status();
    memory.put(ctx.key(), new Memory(uid, generation, condition, copy(status.getConfigFiles()),
        status.getConfigFilesCheckedAt(), attempts, now.plus(wait)));
    return PartResult.of(condition, wait);
  }

  private static List<ConfigFileStatus> copy(List<ConfigFileStatus> files) {
    return files == null ? null : files.stream().map(f -> StatusUpdates.copy(f, ConfigFileStatus.class))
        .collect(Collectors.toList());
  }

  static String reasonFor(RegionAccessException.Kind kind) {
    return switch (kind) {
      case HOST_KEY_REJECTED -> HOST_KEY_REJECTED;
      case AUTH_FAILED, INVALID_CREDENTIALS -> AUTHENTICATION_FAILED;
      case SUDO_REFUSED -> SUDO_REFUSED;
      case UNREACHABLE, TIMEOUT, TRANSPORT_ERROR -> REGION_UNREACHABLE;
    };
  }

  private static Map<String, ConfigFileStatus> previousEntries(MaasRegionStatus status) {
    return status.getConfigFiles() == null ? Map.of()
        : status.getConfigFiles().stream().filter(f -> f.getPath() != null)
            .collect(Collectors.toMap(ConfigFileStatus::getPath, Function.identity(), (a, b) -> a));
  }

  private static Instant parse(String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
