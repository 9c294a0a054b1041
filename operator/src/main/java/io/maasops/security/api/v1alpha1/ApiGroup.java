package io.maasops.security.api.v1alpha1;

/** Names shared by the three kinds. */
public final class ApiGroup {

    private ApiGroup() {}

    public static final String GROUP = "security.maasops.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** `kubectl get maas` lists every kind of this operator. */
    public static final String CATEGORY = "maas";

    static final String READY_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].status";
    static final String READY_REASON_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].reason";

    /** Annotation whose new value asks for a secret-id rotation of a MaasRegion. */
    public static final String ROTATE_SECRET_ID_ANNOTATION = GROUP + "/rotate-secret-id";
}
