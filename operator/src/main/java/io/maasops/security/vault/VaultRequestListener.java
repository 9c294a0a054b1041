package io.maasops.security.vault;

/** Observes every gateway operation (for metrics). Implementations must be fast and must not throw. */
public interface VaultRequestListener {
    VaultRequestListener NONE = new VaultRequestListener() {
        @Override
        public void onRequest(String operation, String outcome) {}
    };

    /**
     * @param operation e.g. "kv_write", "create_wrapped_secret_id"
     * @param outcome "success" or a {@link VaultErrorKind} name
     */
    void onRequest(String operation, String outcome);

    /** @param method "kubernetes", "token_renew", "approle" */
    default void onLogin(String method, String outcome) {}

    /** Told the duration of every HTTP request to Vault, by the gateway operation it belongs to. */
    default io.maasops.security.util.CallTiming httpTiming() {
        return io.maasops.security.util.CallTiming.NONE;
    }
}
