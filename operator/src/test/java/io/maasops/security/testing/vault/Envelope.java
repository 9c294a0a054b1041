package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;

/** Builds Vault's success envelope (docs/reference/vault-api.md §1.1) in Vault's key order (OpenBao shape: no mount_type). */
final class Envelope {
    private Envelope() {}

    static ObjectNode of(JsonNode data) {
        return of(data, null, null);
    }

    static ObjectNode of(JsonNode data, JsonNode auth, List<String> warnings) {
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("request_id", UUID.randomUUID().toString());
        n.put("lease_id", "");
        n.put("renewable", false);
        n.put("lease_duration", 0);
        n.set("data", data);
        n.putNull("wrap_info");
        if (warnings == null) {
            n.putNull("warnings");
        } else {
            warnings.forEach(n.putArray("warnings")::add);
        }
        n.set("auth", auth);
        return n;
    }

    /** §1.2 "top-level injection" for sys/auth, sys/mounts and friends. */
    static ObjectNode injected(ObjectNode data) {
        ObjectNode env = of(data);
        ObjectNode out = Reply.JSON.createObjectNode();
        data.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        env.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }
}
