package io.maasops.security.concern.files;

import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionConcern;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.configfiles.CheckSchedule;
import io.maasops.security.configfiles.ConfigFilesVerdict;
import io.maasops.security.contract.Annotations;
import io.maasops.security.contract.Reasons;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.StatusUpdates;
import io.maasops.security.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Flow 4: config file permissions (MAAS's security docs: 640, group {@code maas}, writable only by
 * root). Stats each file on the controller, fixes drift with chown + chmod when {@code enforce}, and
 * reports per-file status, the {@code ConfigFilesSecure} condition, events and a metric. Runs on a spec
 * change and every {@code checkInterval}; a controller that cannot be reached is retried with a capped
 * backoff. The decisions themselves are pure, in {@code io.maasops.security.configfiles}.
 */
public final class ConfigFilesConcern implements RegionConcern {

    public static final String TYPE = ConfigFilesVerdict.TYPE;

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
    private record Memory(
            String uid,
            long generation,
            ConditionValue condition,
            List<ConfigFileStatus> files,
            String checkedAt,
            int failures,
            Instant retryAt,
            String checkRequest) {}

    /** Not on a controller whose MAAS the operator does not support (MaasVersionSupported=False says why). */
    @Override
    public boolean appliesTo(RegionInputs in) {
        return !in.maasRefused();
    }

    @Override
    public List<String> conditionTypes() {
        return List.of(TYPE);
    }

    @Override
    public ConcernResult reconcile(RegionInputs ctx) {
        ConfigFilesSpec spec = ctx.region().getSpec().getConfigFiles() == null
                ? new ConfigFilesSpec()
                : ctx.region().getSpec().getConfigFiles();
        Duration interval = Durations.parse(spec.getCheckInterval() == null ? "10m" : spec.getCheckInterval());
        Instant now = ctx.now();
        MaasRegionStatus status = ctx.status();
        String uid = ctx.region().getMetadata().getUid();
        long generation = ctx.region().getMetadata().getGeneration() == null
                ? 0
                : ctx.region().getMetadata().getGeneration();

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
            return ConcernResult.of(last.condition(), STALE_RECHECK);
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

        // a new reconcile-requested-at value asks for a check now (e.g. after fixing a controller by hand); unknown
        // after an operator restart, a region that has one is checked once
        boolean requested =
                !Objects.equals(Annotations.requestedAt(ctx.region()), last == null ? null : last.checkRequest());
        if (!specChanged && !requested && previous.isPresent()) {
            Optional<ConcernResult> notDue = notDue(previous.get(), last, status, now, interval);
            if (notDue.isPresent()) {
                return notDue.get();
            }
        }

        return check(ctx, spec, interval, last, uid, generation, specChanged);
    }

    /** Checks (and fixes) the files now, and remembers the outcome for the next reconcile. */
    private ConcernResult check(
            RegionInputs ctx,
            ConfigFilesSpec spec,
            Duration interval,
            Memory last,
            String uid,
            long generation,
            boolean specChanged) {
        Instant now = ctx.now();
        MaasRegionStatus status = ctx.status();
        try {
            ConfigFilesCheck.Checked checked = ConfigFilesCheck.run(ctx, spec, now, specChanged);
            memory.put(
                    ctx.key(),
                    new Memory(
                            uid,
                            generation,
                            checked.condition(),
                            copy(status.getConfigFiles()),
                            status.getConfigFilesCheckedAt(),
                            0,
                            null,
                            Annotations.requestedAt(ctx.region())));
            return new ConcernResult(List.of(checked.condition()), interval, checked.notices());
        } catch (RegionAccessException e) {
            return failed(ctx, last, uid, generation, now, Reasons.of(e).value(), CANNOT_CHECK + e.getMessage());
        } catch (MaasCliException e) {
            return failed(
                    ctx, last, uid, generation, now, ConfigFilesVerdict.COMMAND_FAILED, CANNOT_CHECK + e.getMessage());
        }
    }

    /** The previous condition kept until the retry after a failure, or the next periodic check, is due. */
    private static Optional<ConcernResult> notDue(
            ConditionValue previous, Memory last, MaasRegionStatus status, Instant now, Duration interval) {
        if (last != null && last.retryAt() != null) {
            return now.isBefore(last.retryAt())
                    ? Optional.of(ConcernResult.of(previous, Duration.between(now, last.retryAt())))
                    : Optional.empty();
        }
        Duration left = CheckSchedule.timeLeft(now, parse(status.getConfigFilesCheckedAt()), interval);
        // a failed attempt not remembered here (operator restarted) is retried at once
        boolean lastAttemptFailed =
                previous.message() != null && previous.message().startsWith(CANNOT_CHECK);
        return !lastAttemptFailed && left.compareTo(Duration.ZERO) > 0
                ? Optional.of(ConcernResult.of(previous, left))
                : Optional.empty();
    }

    @Override
    public List<Notice> cleanup(RegionInputs ctx) {
        memory.remove(ctx.key());
        ctx.metrics()
                .gauge(
                        OperatorMetrics.CONFIG_FILES_NONCOMPLIANT,
                        ConfigFilesCheck.DESCRIPTION,
                        ctx.namespace(),
                        ctx.name(),
                        0);
        return List.of();
    }

    private ConcernResult failed(
            RegionInputs ctx, Memory last, String uid, long generation, Instant now, String reason, String message) {
        int attempts = last == null ? 1 : last.failures() + 1;
        Duration wait = CheckSchedule.backoff(ctx.retries().configFilesFirst(), attempts);
        ConditionValue condition = ConditionValue.isFalse(
                TYPE,
                reason,
                message + " (retrying in "
                        + (wait.toMillis() % 1000 == 0 ? wait.toSeconds() + "s" : wait.toMillis() + "ms") + ")");
        // status.configFiles keeps the last completed check: still the best knowledge of the files
        MaasRegionStatus status = ctx.status();
        memory.put(
                ctx.key(),
                new Memory(
                        uid,
                        generation,
                        condition,
                        copy(status.getConfigFiles()),
                        status.getConfigFilesCheckedAt(),
                        attempts,
                        now.plus(wait),
                        Annotations.requestedAt(ctx.region())));
        return ConcernResult.of(condition, wait);
    }

    private static List<ConfigFileStatus> copy(List<ConfigFileStatus> files) {
        return files == null
                ? null
                : files.stream()
                        .map(f -> StatusUpdates.copy(f, ConfigFileStatus.class))
                        .collect(Collectors.toList());
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
