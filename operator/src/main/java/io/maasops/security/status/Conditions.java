package io.maasops.security.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure functions over Kubernetes-style conditions. lastTransitionTime moves only when a
 * condition's status flips, so an unchanged reconcile produces an identical status (and no write).
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
    public static final String READY = "Ready";

    private Conditions() {}

    /** Returns a copy of {@code current} with {@code wanted} set, keeping the old transition time when the status is unchanged. */
    public static List<Condition> set(List<Condition> current, ConditionValue wanted, long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        boolean replaced = false;
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (Objects.equals(c.getType(), wanted.type())) {
                out.add(build(
                        wanted,
                        generation,
                        Objects.equals(c.getStatus(), wanted.status()) && c.getLastTransitionTime() != null
                                ? c.getLastTransitionTime()
                                : format(now)));
                replaced = true;
            } else {
                out.add(c);
            }
        }
        if (!replaced) {
            out.add(build(wanted, generation, format(now)));
        }
        return out;
    }

    /** Sets every condition in {@code wanted} in order; conditions not named stay as they were. */
    public static List<Condition> setAll(
            List<Condition> current, List<ConditionValue> wanted, long generation, Instant now) {
        List<Condition> out = current == null ? List.of() : current;
        for (ConditionValue v : wanted) {
            out = set(out, v, generation, now);
        }
        return out;
    }

    /** Removes the condition of the given type, if present. */
    public static List<Condition> remove(List<Condition> current, String type) {
        List<Condition> out = new ArrayList<>(current == null ? List.of() : current);
        out.removeIf(c -> Objects.equals(c.getType(), type));
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream()
                        .filter(c -> Objects.equals(c.getType(), type))
                        .findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * The Ready roll-up: True only when every listed condition is True; otherwise False with the
     * reason and message of the first False condition in {@code parts} order, or, when none is False,
     * Unknown with the first Unknown one's. A known failure outranks something still waiting (an
     * unreachable region is "False, RegionUnreachable", not "Unknown, waiting for the region").
     */
    public static ConditionValue rollUp(List<ConditionValue> parts, String readyReason, String readyMessage) {
        ConditionValue unknown = null;
        for (ConditionValue p : parts) {
            if (FALSE.equals(p.status()) || (!TRUE.equals(p.status()) && !UNKNOWN.equals(p.status()))) {
                return new ConditionValue(READY, FALSE, p.reason(), p.type() + ": " + p.message());
            }
            if (unknown == null && UNKNOWN.equals(p.status())) {
                unknown = p;
            }
        }
        return unknown != null
                ? new ConditionValue(READY, UNKNOWN, unknown.reason(), unknown.type() + ": " + unknown.message())
                : ConditionValue.isTrue(READY, readyReason, readyMessage);
    }

    static String format(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Condition build(ConditionValue v, long generation, String lastTransitionTime) {
        return new ConditionBuilder()
                .withType(v.type())
                .withStatus(v.status())
                .withReason(v.reason())
                .withMessage(v.message())
                .withObservedGeneration(generation)
                .withLastTransitionTime(lastTransitionTime)
                .build();
    }
}
