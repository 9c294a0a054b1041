package io.maasops.security.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * Capped backoff for states that resolve outside the operator (a sealed or unreachable Vault, a
 * controller that is down): wait about as long as the state has lasted, between a floor and a cap.
 * Derived from the condition's lastTransitionTime, so it survives operator restarts.
 */
public final class Backoff {

  public static final Duration FLOOR = Duration.ofSeconds(5);
  public static final Duration CAP = Duration.ofMinutes(2);
  /** A Secret the spec names does not exist (yet): look again this often (Secrets are read on demand, not watched). */
  public static final Duration MISSING_REFERENCE_RECHECK = Duration.ofSeconds(30);

  private Backoff() {}

  public static Duration since(String lastTransitionTime, Instant now) {
    if (lastTransitionTime == null) {
      return FLOOR;
    }
    Duration lasted;
    try {
      lasted = Duration.between(Instant.parse(lastTransitionTime), now);
    } catch (RuntimeException e) {
      return FLOOR;
    }
    if (lasted.compareTo(FLOOR) < 0) {
      return FLOOR;
    }
    return lasted.compareTo(CAP) > 0 ? CAP : lasted;
  }
}
