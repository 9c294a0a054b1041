package io.maasops.security.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * Capped backoff for states that resolve outside the operator (a sealed or unreachable Vault, a
 * controller that is down): wait about as long as the state has lasted, between a floor and a cap.
 * Derived from the condition's lastTransitionTime, so it survives operator restarts. The floor and
 * cap in use are the operator's settings ({@link RetryDelays}); these are their defaults.
 */
public final class Backoff {

    public static final Duration FLOOR = Duration.ofSeconds(5);
    public static final Duration CAP = Duration.ofMinutes(2);
    /** A Secret the spec names does not exist (yet): look again this often (Secrets are read on demand, not watched). */
    public static final Duration MISSING_REFERENCE_RECHECK = Duration.ofSeconds(30);

    private Backoff() {}

    public static Duration since(String lastTransitionTime, Instant now, Duration floor, Duration cap) {
        if (lastTransitionTime == null) {
            return floor;
        }
        Duration lasted;
        try {
            lasted = Duration.between(Instant.parse(lastTransitionTime), now);
        } catch (RuntimeException e) {
            return floor;
        }
        if (lasted.compareTo(floor) < 0) {
            return floor;
        }
        return lasted.compareTo(cap) > 0 ? cap : lasted;
    }
}
