package io.maasops.security.vault;

import java.util.Map;

/** One KV v2 version as read (docs/reference/vault-api.md §8). Values are JSON-shaped (String, Number, Boolean, Map, List). */
public record KvSecret(Map<String, Object> data, int version) {
    @Override
    public String toString() {
        return "KvSecret[keys=" + data.keySet() + ", version=" + version + "]"; // values may be secrets
    }
}
