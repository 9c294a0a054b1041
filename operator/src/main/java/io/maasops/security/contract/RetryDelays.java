package io.maasops.security.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * How soon the operator looks again after an expected failure, from the operator's settings
 * (flags --retry-floor, --retry-cap, --missing-reference-recheck, --config-files-first-retry), and how often
 * each region's AppRole is audited (--secret-id-audit-interval).
 * JOSDK schedules these waits in real time, so a test's clock cannot skip them: tests run the
 * operator with short ones, production with {@link #DEFAULTS}.
 *
 * @param floor shortest wait before a state that resolves outside the operator (sealed or
 *     unreachable Vault, a controller that is down, a failed rotation step) is retried
 * @param cap longest such wait
 * @param missingReference how often a resource whose Secret or key is missing looks again
 * @param configFilesFirst first wait after a failed config-file check (doubling, up to 5 min)
 * @param secretIdAudit how often each configured region's secret-ids in Vault (one LIST) and the AppRole its
 *     regiond.conf names (one command) are compared with status.appRole; after an audit that found a problem, the
 *     next comes after the sooner of this and {@code cap}
 */
public record RetryDelays(
        Duration floor, Duration cap, Duration missingReference, Duration configFilesFirst, Duration secretIdAudit) {

    /** As often as the periodic reconcile (MaasRegionController's maxReconciliationInterval), so it needs no wake-up of its own. */
    public static final Duration SECRET_ID_AUDIT = Duration.ofMinutes(10);

    public static final RetryDelays DEFAULTS = new RetryDelays(
            Backoff.FLOOR,
            Backoff.CAP,
            Duration.ofSeconds(30),
            io.maasops.security.configfiles.CheckSchedule.FIRST_RETRY,
            SECRET_ID_AUDIT);

    /** With the default audit interval. */
    public RetryDelays(Duration floor, Duration cap, Duration missingReference, Duration configFilesFirst) {
        this(floor, cap, missingReference, configFilesFirst, SECRET_ID_AUDIT);
    }

    public RetryDelays {
        for (Duration d : new Duration[] {floor, cap, missingReference, configFilesFirst, secretIdAudit}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive");
            }
        }
        if (cap.compareTo(floor) < 0) {
            throw new IllegalArgumentException(
                    "the retry cap (" + cap + ") must not be shorter than the floor (" + floor + ")");
        }
    }

    /** {@link Backoff#since} between this floor and cap. */
    public Duration since(String lastTransitionTime, Instant now) {
        return Backoff.since(lastTransitionTime, now, floor, cap);
    }
}
