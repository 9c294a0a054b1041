package io.maasops.security.concern;

import io.maasops.security.status.ConditionValue;
import java.time.Duration;
import java.util.List;

/**
 * The conditions a concern decided, when it wants to look again (null: no particular time), and the
 * Events its transitions ask for.
 */
public record ConcernResult(
        List<ConditionValue> conditions,
        Duration requeueAfter,
        List<Notice> notices,
        List<ConditionValue> informational) {

    public ConcernResult(List<ConditionValue> conditions, Duration requeueAfter, List<Notice> notices) {
        this(conditions, requeueAfter, notices, List.of());
    }

    /** This result with conditions that are reported but not rolled up into Ready (e.g. SecretIdRotation). */
    public ConcernResult withInformational(ConditionValue c) {
        List<ConditionValue> all = new java.util.ArrayList<>(informational);
        all.add(c);
        return new ConcernResult(conditions, requeueAfter, notices, List.copyOf(all));
    }

    public static ConcernResult of(ConditionValue condition, Duration requeueAfter) {
        return new ConcernResult(List.of(condition), requeueAfter, List.of());
    }

    public static ConcernResult of(List<ConditionValue> conditions, Duration requeueAfter) {
        return new ConcernResult(conditions, requeueAfter, List.of());
    }

    public ConcernResult withNotices(List<Notice> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Notice> all = new java.util.ArrayList<>(notices);
        all.addAll(more);
        return new ConcernResult(conditions, requeueAfter, List.copyOf(all), informational);
    }

    /** This result, with {@code requeue} when any of its conditions is not True. */
    public ConcernResult withRequeueIfFailed(Duration requeue) {
        return conditions.stream().allMatch(ConditionValue::ok)
                ? this
                : new ConcernResult(conditions, sooner(requeueAfter, requeue), notices, informational);
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
