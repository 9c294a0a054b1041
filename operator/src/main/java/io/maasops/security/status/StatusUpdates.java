package io.maasops.security.status;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/** Status values: compared, copied and written as one patch. */
public final class StatusUpdates {

    private StatusUpdates() {}

    /**
     * A JSON patch that sets the whole status (of the status subresource): one request, where an edit
     * would read the resource and diff it first.
     */
    public static String wholeStatusPatch(Object status) {
        return "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]";
    }

    public static boolean sameJson(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(
                Serialization.jsonMapper().valueToTree(a),
                Serialization.jsonMapper().valueToTree(b));
    }

    /** A deep copy of a status object (so a reconcile never mutates the cached resource). */
    @SuppressWarnings("unchecked")
    public static <S> S copy(S status, Class<S> type) {
        if (status == null) {
            return null;
        }
        return Serialization.jsonMapper().convertValue(status, type);
    }
}
