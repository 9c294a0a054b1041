package io.maasops.security.reconciler.region;

import io.maasops.security.status.ConditionValue;
import java.time.Duration;
import java.util.List;

/**
 * The conditions a part decided and when it wants to look again (null: no particular time).
 */
public record PartResult(List<ConditionValue> conditions, Duration requeueAfter) {

  public static PartResult of(ConditionValue condition, Duration requeueAfter) {
    return new PartResult(List.of(condition), requeueAfter);
  }

  public static PartResult of(List<ConditionValue> conditions, Duration requeueAfter) {
    return new PartResult(conditions, requeueAfter);
  }

  /** This result, with {@code requeue} when any of its conditions is not True. */
  public PartResult withRequeueIfFailed(Duration requeue) {
    return conditions.stream().allMatch(ConditionValue::ok) ? this : new PartResult(conditions, sooner(requeueAfter, requeue));
  }

  /** The sooner of two requeue times (null means none). */
  public static Duration sooner(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }
}
