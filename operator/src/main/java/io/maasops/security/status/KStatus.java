package io.maasops.security.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/**
 * kstatus's abnormal-true conditions derived from Ready (docs/health-checks.md): Stalled=True
 * when only a person can unblock the resource, Reconciling=True while the operator still works on it
 * or retries by itself, neither when Ready is True or the resource waits for a person by design
 * ({@link Reason.Progress}). Both carry Ready's reason and message. Pure.
 */
public final class KStatus {

    private KStatus() {}

    public static List<Condition> apply(
            List<Condition> conditions, ConditionValue ready, long generation, Instant now) {
        String reconciling = ConditionType.RECONCILING.value();
        String stalled = ConditionType.STALLED.value();
        if (ready.ok()) {
            return Conditions.remove(Conditions.remove(conditions, reconciling), stalled);
        }
        return switch (Reason.progressOf(ready.reason())) {
            case STALLED ->
                Conditions.set(
                        Conditions.remove(conditions, reconciling),
                        ConditionValue.isTrue(stalled, ready.reason(), ready.message()),
                        generation,
                        now);
            case WAITING, DONE -> Conditions.remove(Conditions.remove(conditions, reconciling), stalled);
            case RECONCILING ->
                Conditions.set(
                        Conditions.remove(conditions, stalled),
                        ConditionValue.isTrue(
                                reconciling, ready.reason() == null ? "Progressing" : ready.reason(), ready.message()),
                        generation,
                        now);
        };
    }
}
