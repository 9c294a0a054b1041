package io.maasops.security.contract;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maasops.security.api.v1alpha1.ApiGroup;
import java.util.Map;

/** The annotations a user sets to ask the operator for something now. */
public final class Annotations {

    /**
     * An immediate re-check ({@code kubectl annotate --overwrite ... security.maasops.io/reconcile-requested-at="$(date +%s)"},
     * e.g. after fixing MAAS by hand): each new value is one request, never skipped by a cache.
     */
    public static final String RECONCILE_REQUESTED_AT = "security.maasops.io/reconcile-requested-at";

    private Annotations() {}

    /** The current value of {@value #RECONCILE_REQUESTED_AT} on {@code r} (null when absent). */
    public static String requestedAt(HasMetadata r) {
        return value(r, RECONCILE_REQUESTED_AT);
    }

    /** The current value of {@link ApiGroup#ROTATE_SECRET_ID_ANNOTATION} (null when absent). */
    public static String rotationRequest(HasMetadata r) {
        return value(r, ApiGroup.ROTATE_SECRET_ID_ANNOTATION);
    }

    public static String value(HasMetadata r, String name) {
        Map<String, String> a = r.getMetadata().getAnnotations();
        return a == null ? null : a.get(name);
    }
}
