package io.maasops.security.configfiles;

import java.time.Duration;
import java.time.Instant;

/**
 * When the config files are next looked at: on a spec change, when never checked, every
 * {@code checkInterval} (MAAS rewrites some files at start, so drift comes back), and after a failed
 * attempt with a capped exponential backoff (an unreachable controller is a state, not a hot loop).
 */
public final class CheckSchedule {

    public static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    public static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private CheckSchedule() {}

    /** Time until the next periodic check; zero or negative means a check is due now. */
    public static Duration timeLeft(Instant now, Instant lastChecked, Duration interval) {
        if (lastChecked == null) {
            return Duration.ZERO;
        }
        return Duration.between(now, lastChecked.plus(interval));
    }

    public static boolean due(Instant now, Instant lastChecked, Duration interval, boolean specChanged) {
        return specChanged || timeLeft(now, lastChecked, interval).compareTo(Duration.ZERO) <= 0;
    }

    /** Wait after the n-th consecutive failure (n >= 1): 10 s, 20 s, 40 s ... capped at 5 min. */
    public static Duration backoff(int failures) {
        return backoff(FIRST_RETRY, failures);
    }

    /** Wait after the n-th consecutive failure (n >= 1): {@code first}, twice that, four times ... capped at 5 min. */
    public static Duration backoff(Duration first, int failures) {
        int n = Math.max(1, failures);
        if (n > 16) {
            return MAX_RETRY;
        }
        Duration d = first.multipliedBy(1L << (n - 1));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
