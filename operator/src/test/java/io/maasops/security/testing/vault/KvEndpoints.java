package io.maasops.security.testing.vault;

import static io.maasops.security.testing.vault.DoubleRouter.obj;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.testing.vault.DoubleState.KvEntry;
import io.maasops.security.testing.vault.DoubleState.KvVersion;
import io.maasops.security.testing.vault.DoubleState.Mount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** KV version 2 (docs/reference/vault-api.md §8) and a minimal KV version 1 for contrast. */
final class KvEndpoints {
    static final String INVALID_V2_PATH = "Invalid path for a versioned K/V secrets engine. See the API docs for the "
            + "appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";
    private final DoubleState s;

    KvEndpoints(DoubleState s) {
        this.s = s;
    }

    Reply v2(Call c, Mount m, String sub) {
        if (sub.startsWith("data/")) {
            return data(c, m, sub.substring(5));
        }
        if (sub.equals("metadata") || sub.startsWith("metadata/")) {
            return metadata(c, m, sub.equals("metadata") ? "" : sub.substring(9));
        }
        for (String op : List.of("delete/", "undelete/", "destroy/")) {
            if (sub.startsWith(op) && !c.operation().equals("read")) {
                return versions(c, m, op.substring(0, op.length() - 1), sub.substring(op.length()));
            }
        }
        if (sub.equals("config")) {
            return config(c, m);
        }
        return new Reply(404, Envelope.of(null, null, List.of(INVALID_V2_PATH)));
    }

    private Reply data(Call c, Mount m, String key) {
        KvEntry e = m.kv.get(key);
        switch (c.operation()) {
            case "read": {
                if (e == null) {
                    return Reply.notFoundEmpty();
                }
                int v;
                try {
                    v = Integer.parseInt(c.query().getOrDefault("version", "0"));
                } catch (NumberFormatException ex) {
                    return Reply.error(400, "invalid version");
                }
                KvVersion ver = e.versions.get(v == 0 ? e.currentVersion : v);
                if (ver == null) {
                    return Reply.notFoundEmpty();
                }
                ObjectNode d = obj();
                boolean gone = ver.destroyed || (ver.deletion != null && !ver.deletion.isAfter(s.clock.instant()));
                if (gone) {
                    d.putNull("data");
                } else {
                    d.set("data", Reply.JSON.valueToTree(ver.data));
                }
                d.set("metadata", versionMeta(e, v == 0 ? e.currentVersion : v, ver));
                return new Reply(gone ? 404 : 200, Envelope.of(d));
            }
            case "update": {
                JsonNode data = c.body().get("data");
                if (data == null || !data.isObject()) {
                    return Reply.error(400, "no data provided");
                }
                JsonNode cas = c.body().path("options").get("cas");
                int current = e == null ? 0 : e.currentVersion;
                boolean casRequired = m.kvCasRequired || (e != null && e.casRequired);
                if (cas == null && casRequired) {
                    return Reply.error(400, "check-and-set parameter required for this call");
                }
                if (cas != null && cas.asInt() != current) {
                    return Reply.error(400, "check-and-set parameter did not match the current version");
                }
                Instant now = s.clock.instant();
                if (e == null) {
                    e = new KvEntry();
                    e.created = now;
                    m.kv.put(key, e);
                }
                KvVersion ver = new KvVersion();
                ver.data = Reply.JSON.convertValue(data, new TypeReference<Map<String, Object>>() {});
                ver.created = now;
                e.currentVersion++;
                e.versions.put(e.currentVersion, ver);
                e.updated = now;
                int max = e.maxVersions > 0 ? e.maxVersions : m.kvMaxVersions > 0 ? m.kvMaxVersions : 10;
                while (e.versions.size() > max) {
                    e.versions.pollFirstEntry();
                }
                return Reply.ok(Envelope.of(versionMeta(e, e.currentVersion, ver)));
            }
            case "delete":
                if (e != null) {
                    KvVersion latest = e.versions.get(e.currentVersion);
                    if (latest != null && latest.deletion == null) {
                        latest.deletion = s.clock.instant();
                    }
                }
                return Reply.noContent();
            case "patch": {
                if (e == null || e.versions.get(e.currentVersion) == null) {
                    return Reply.notFoundEmpty();
                }
                return Reply.error(405, "unsupported operation");
            }
            default:
                return Reply.error(405, "unsupported operation");
        }
    }

    private Reply metadata(Call c, Mount m, String key) {
        switch (c.operation()) {
            case "list": {
                String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
                TreeSet<String> keys = new TreeSet<>();
                for (String k : m.kv.keySet()) {
                    if (k.startsWith(prefix)) {
                        String rest = k.substring(prefix.length());
                        int slash = rest.indexOf('/');
                        keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
                    }
                }
                return DoubleRouter.list(keys);
            }
            case "read": {
                KvEntry e = m.kv.get(key);
                if (e == null) {
                    return Reply.notFoundEmpty();
                }
                ObjectNode d = obj();
                d.put("cas_required", e.casRequired);
                d.put("created_time", Values.time(e.created));
                d.put("current_version", e.currentVersion);
                d.set("custom_metadata", e.customMetadata == null ? null : Reply.JSON.valueToTree(e.customMetadata));
                d.put("delete_version_after", "0s");
                d.put("max_versions", e.maxVersions);
                d.put("oldest_version", e.versions.isEmpty() ? 0 : e.versions.firstKey());
                d.put("updated_time", Values.time(e.updated));
                ObjectNode vs = d.putObject("versions");
                e.versions.forEach((n, v) -> {
                    ObjectNode o = vs.putObject(String.valueOf(n));
                    o.put("created_time", Values.time(v.created));
                    o.put("deletion_time", v.deletion == null ? "" : Values.time(v.deletion));
                    o.put("destroyed", v.destroyed);
                });
                return Reply.ok(Envelope.of(d));
            }
            case "update": {
                KvEntry e = m.kv.computeIfAbsent(key, k -> {
                    KvEntry n = new KvEntry();
                    n.created = s.clock.instant();
                    n.updated = n.created;
                    return n;
                });
                JsonNode b = c.body();
                if (b.has("max_versions")) {
                    e.maxVersions = b.get("max_versions").asInt();
                }
                if (b.has("cas_required")) {
                    e.casRequired = b.get("cas_required").asBoolean();
                }
                if (b.has("custom_metadata")) {
                    e.customMetadata = DoubleRouter.stringMap(b.get("custom_metadata"));
                }
                return Reply.noContent();
            }
            case "delete":
                m.kv.remove(key); // all versions and the metadata, permanently
                return Reply.noContent();
            default:
                return Reply.error(405, "unsupported operation");
        }
    }

    private Reply versions(Call c, Mount m, String op, String key) {
        List<Integer> versions = new ArrayList<>();
        c.body().path("versions").forEach(v -> versions.add(v.asInt()));
        if (versions.isEmpty()) {
            return Reply.error(400, "no version number provided");
        }
        KvEntry e = m.kv.get(key);
        if (e == null) {
            return Reply.noContent();
        }
        for (int n : versions) {
            KvVersion v = e.versions.get(n);
            if (v == null) {
                continue;
            }
            switch (op) {
                case "delete" -> v.deletion = v.deletion == null ? s.clock.instant() : v.deletion;
                case "undelete" -> v.deletion = v.destroyed ? v.deletion : null;
                default -> {
                    v.destroyed = true;
                    v.data = null;
                }
            }
        }
        return Reply.noContent();
    }

    private Reply config(Call c, Mount m) {
        if (c.operation().equals("read")) {
            ObjectNode d = obj();
            d.put("cas_required", m.kvCasRequired);
            d.put("delete_version_after", "0s");
            d.put("max_versions", m.kvMaxVersions);
            return Reply.ok(Envelope.of(d));
        }
        if (c.body().has("cas_required")) {
            m.kvCasRequired = c.body().get("cas_required").asBoolean();
        }
        if (c.body().has("max_versions")) {
            m.kvMaxVersions = c.body().get("max_versions").asInt();
        }
        return Reply.noContent();
    }

    private ObjectNode versionMeta(KvEntry e, int n, KvVersion v) {
        ObjectNode md = obj();
        md.put("created_time", Values.time(v.created));
        md.set("custom_metadata", e.customMetadata == null ? null : Reply.JSON.valueToTree(e.customMetadata));
        md.put("deletion_time", v.deletion == null ? "" : Values.time(v.deletion));
        md.put("destroyed", v.destroyed);
        md.put("version", n);
        return md;
    }

    Reply v1(Call c, Mount m, String key) {
        switch (c.operation()) {
            case "read": {
                String json = m.kvV1.get(key);
                if (json == null) {
                    return Reply.notFoundEmpty();
                }
                try {
                    return Reply.ok(Envelope.of(Reply.JSON.readTree(json)));
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
            case "update":
                m.kvV1.put(key, c.body().toString());
                return Reply.noContent();
            case "delete":
                m.kvV1.remove(key);
                return Reply.noContent();
            case "list": {
                String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
                TreeSet<String> keys = new TreeSet<>();
                for (String k : m.kvV1.keySet()) {
                    if (k.startsWith(prefix)) {
                        String rest = k.substring(prefix.length());
                        int slash = rest.indexOf('/');
                        keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
                    }
                }
                return DoubleRouter.list(keys);
            }
            default:
                return Reply.error(405, "unsupported operation");
        }
    }
}
