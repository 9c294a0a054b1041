package io.maasops.security.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts Ready MaasRegions and VaultIntegrations of one namespace from what the Kubernetes API double
 * stores, in its own process. A watch would do the same through the API, but the double would then
 * serialise every event once more and this JVM parse it again: load on the cores the operator needs
 * that a real API server would not put there. Objects are parsed only when they changed.
 */
final class ReadyTracker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of(new MaasRegion().getKind(), new VaultIntegration().getKind());

    private final String namespace;
    private final AutoCloseable subscription;
    /** Objects stored since the last count, by the store's key; "" for a removed object. */
    private final Map<String, String> changed = new ConcurrentHashMap<>();

    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

    ReadyTracker(KubeApiDouble api, String namespace) {
        this.namespace = namespace;
        this.subscription = api.onStored((key, json) -> changed.put(key, json == null ? "" : json));
    }

    /** How many of the {@code expected} resources are not (yet) Ready for their current generation. */
    synchronized int notReady(int expected) {
        for (String key : Set.copyOf(changed.keySet())) {
            String json = changed.remove(key);
            if (json == null) {
                continue;
            }
            Boolean isReady = json.isEmpty() ? null : readyOrNull(json);
            if (isReady == null) {
                ready.remove(key);
            } else {
                ready.put(key, isReady);
            }
        }
        return expected
                - (int) ready.values().stream().filter(Boolean::booleanValue).count();
    }

    /** True/false for a MaasRegion or VaultIntegration of the namespace; null for any other object. */
    private Boolean readyOrNull(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
        String kind = o.path("kind").asText();
        // the VaultIntegration is cluster-scoped (issue 16): it has no namespace to match
        boolean clusterScoped = new VaultIntegration().getKind().equals(kind);
        if (!KINDS.contains(kind)
                || (!clusterScoped
                        && !namespace.equals(
                                o.path("metadata").path("namespace").asText()))) {
            return null;
        }
        JsonNode status = o.path("status");
        if (!status.path("observedGeneration").isNumber()
                || status.path("observedGeneration").asLong()
                        != o.path("metadata").path("generation").asLong(-1)) {
            return false;
        }
        for (JsonNode c : status.path("conditions")) {
            if (Conditions.READY.equals(c.path("type").asText())) {
                return Conditions.TRUE.equals(c.path("status").asText());
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
