package io.maasops.security.testing.vault;

import static io.maasops.security.testing.vault.DoubleRouter.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.testing.vault.DoubleState.Mount;
import io.maasops.security.testing.vault.DoubleState.Token;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** sys/health, seal, sys/auth, sys/mounts, sys/policies/acl and sys/wrapping (docs/reference/vault-api.md §2–§5, §7). */
final class SysEndpoints {
    private final DoubleState s;

    SysEndpoints(DoubleState s) {
        this.s = s;
    }

    // ---- §2.1 health: JSON body for every status code
    Reply health(Call c) {
        if (!c.httpMethod().equals("GET") && !c.httpMethod().equals("HEAD")) {
            return Reply.error(405);
        }
        int code;
        try {
            code = s.sealed
                    ? Integer.parseInt(c.query().getOrDefault("sealedcode", "503"))
                    : Integer.parseInt(c.query().getOrDefault("activecode", "200"));
        } catch (NumberFormatException e) {
            return Reply.error(400);
        }
        ObjectNode b = obj();
        b.put("initialized", true);
        b.put("sealed", s.sealed);
        b.put("standby", false);
        b.put("performance_standby", false);
        b.put("replication_performance_mode", "disabled");
        b.put("replication_dr_mode", "disabled");
        b.put("server_time_utc", s.clock.instant().getEpochSecond());
        b.put("version", DoubleRouter.VERSION);
        if (!s.sealed) {
            b.put("cluster_name", DoubleRouter.CLUSTER_NAME);
            b.put("cluster_id", DoubleRouter.CLUSTER_ID);
        }
        return new Reply(code, b);
    }

    // ---- §2.2 seal-status: always 200
    ObjectNode sealStatus() {
        ObjectNode b = obj();
        b.put("type", "shamir");
        b.put("initialized", true);
        b.put("sealed", s.sealed);
        b.put("t", 1);
        b.put("n", 1);
        b.put("progress", 0);
        b.put("nonce", "");
        b.put("version", DoubleRouter.VERSION);
        b.put("build_date", "2024-08-28T00:00:00Z");
        b.put("migration", false);
        if (!s.sealed) {
            b.put("cluster_name", DoubleRouter.CLUSTER_NAME);
            b.put("cluster_id", DoubleRouter.CLUSTER_ID);
        }
        b.put("recovery_seal", false);
        b.put("storage_type", "inmem");
        return b;
    }

    Reply unseal(Call c) {
        if (!c.httpMethod().equals("POST") && !c.httpMethod().equals("PUT")) {
            return Reply.error(405);
        }
        if (c.body().path("reset").asBoolean(false)) {
            return Reply.ok(sealStatus());
        }
        String key = c.text("key");
        if (key == null) {
            return Reply.error(400, "'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        if (s.sealed && !key.equals(s.unsealKey)) {
            return Reply.error(400, "Unseal failed, invalid key"); // exact text UNCONFIRMED
        }
        s.sealed = false;
        return Reply.ok(sealStatus());
    }

    // ---- §3 sys/auth
    Reply auth(Call c) {
        String r = c.route();
        if (r.equals("sys/auth")) {
            if (!c.operation().equals("read")) {
                return Reply.error(405, "unsupported operation");
            }
            ObjectNode data = obj();
            s.authMounts.forEach((p, m) -> data.set(p, mountJson(m, true)));
            return Reply.ok(Envelope.injected(data));
        }
        String path = normalize(r.substring("sys/auth/".length()));
        if (path.endsWith("/tune/")) {
            return tune(c, s.authMounts, path.substring(0, path.length() - 5), true);
        }
        switch (c.operation()) {
            case "read": {
                Mount m = s.authMounts.get(path);
                return m == null
                        ? Reply.error(400, "No auth engine at " + path)
                        : Reply.ok(Envelope.injected(mountJson(m, true)));
            }
            case "update": {
                String type = c.text("type");
                if (type == null || type.isEmpty()) {
                    return Reply.error(400, "backend type must be specified as a string");
                }
                if (type.equals("token")) {
                    return Reply.error(400, "token credential backend cannot be instantiated");
                }
                if (!List.of("approle", "kubernetes", "userpass").contains(type)) {
                    return Reply.error(400, "plugin not found in the catalog: " + type);
                }
                String conflict = conflict(s.authMounts, path);
                if (conflict != null) {
                    return Reply.error(400, "path is already in use at " + conflict);
                }
                Mount m = new Mount(type, null);
                m.description = c.body().path("description").asText("");
                s.authMounts.put(path, m);
                return Reply.noContent();
            }
            case "delete":
                if (path.equals("token/")) {
                    return Reply.error(400, "token credential backend cannot be disabled");
                }
                s.authMounts.remove(path);
                return Reply.noContent();
            default:
                return Reply.error(405, "unsupported operation");
        }
    }

    // ---- §4 sys/mounts
    Reply mounts(Call c) {
        String r = c.route();
        if (r.equals("sys/mounts")) {
            if (!c.operation().equals("read")) {
                return Reply.error(405, "unsupported operation");
            }
            ObjectNode data = obj();
            s.mounts.forEach((p, m) -> data.set(p, mountJson(m, false)));
            return Reply.ok(Envelope.injected(data));
        }
        String path = normalize(r.substring("sys/mounts/".length()));
        if (path.endsWith("/tune/")) {
            return tune(c, s.mounts, path.substring(0, path.length() - 5), false);
        }
        switch (c.operation()) {
            case "read": {
                Mount m = s.mounts.get(path);
                return m == null
                        ? Reply.error(400, "No secret engine mount at " + path)
                        : Reply.ok(Envelope.injected(mountJson(m, false)));
            }
            case "update": {
                String type = c.text("type");
                if (type == null || type.isEmpty()) {
                    return Reply.error(400, "backend type must be specified as a string");
                }
                Map<String, String> options =
                        c.body().has("options") && c.body().get("options").isObject()
                                ? DoubleRouter.stringMap(c.body().get("options"))
                                : null;
                switch (type) {
                    case "kv-v2" -> {
                        type = "kv";
                        options = options == null ? new HashMap<>() : new HashMap<>(options);
                        options.put("version", "2");
                    }
                    case "kv-v1" -> {
                        type = "kv";
                        options = options == null ? new HashMap<>() : new HashMap<>(options);
                        options.put("version", "1");
                    }
                    case "kv" -> {}
                    default -> {
                        if (options != null && options.containsKey("version")) {
                            return Reply.error(400, "secrets engine \"" + type + "\" does not allow setting a version");
                        }
                    }
                }
                if (!List.of("kv", "transit", "pki", "database").contains(type)) {
                    return Reply.error(400, "plugin not found in the catalog: " + type);
                }
                String conflict = conflict(s.mounts, path);
                if (conflict != null) {
                    return Reply.error(400, "path is already in use at " + conflict);
                }
                Mount m = new Mount(type, options);
                m.description = c.body().path("description").asText("");
                s.mounts.put(path, m);
                return Reply.noContent();
            }
            case "delete":
                if (List.of("sys/", "cubbyhole/", "identity/").contains(path)) {
                    return Reply.error(400, "cannot unmount \"" + path + "\"");
                }
                s.mounts.remove(path);
                return Reply.noContent();
            default:
                return Reply.error(405, "unsupported operation");
        }
    }

    private Reply tune(Call c, Map<String, Mount> table, String path, boolean authMount) {
        Mount m = table.get(path);
        if (m == null) {
            return Reply.error(400, "cannot fetch sysview for path \"" + path + "\"");
        }
        if (c.operation().equals("read")) {
            ObjectNode d = obj();
            d.put("default_lease_ttl", DoubleState.MOUNT_MAX_TTL.getSeconds());
            d.put("max_lease_ttl", DoubleState.MOUNT_MAX_TTL.getSeconds());
            d.put("force_no_cache", false);
            d.put("description", m.description);
            if (m.options != null) {
                d.set("options", Reply.JSON.valueToTree(m.options));
            }
            if (authMount) {
                d.put("token_type", "default-service");
            }
            return Reply.ok(Envelope.injected(d));
        }
        JsonNode opts = c.body().get("options");
        if (opts != null && opts.has("version") && m.type.equals("kv")) {
            String v = opts.get("version").asText();
            if (!v.equals("1") && !v.equals("2")) {
                return Reply.error(400, "invalid version provided: " + v);
            }
            String current = m.options == null ? "1" : m.options.getOrDefault("version", "1");
            if (current.equals("2") && v.equals("1")) {
                return Reply.error(400, "cannot downgrade mount from version 2");
            }
            if (current.equals("1") && v.equals("2")) {
                m.options = new HashMap<>(m.options == null ? Map.of() : m.options);
                m.options.put("version", "2");
                m.kvV1.forEach((k, val) -> {}); // v1 data is not carried over in the double
                return Reply.ok(
                        Envelope.of(
                                null,
                                null,
                                List.of(
                                        "Upgrading mount from version 1 to version 2. "
                                                + "This mount will be unavailable for a brief period and will resume service shortly.")));
            }
        }
        if (c.body().has("description")) {
            m.description = c.body().get("description").asText();
        }
        return Reply.noContent();
    }

    private static String normalize(String p) {
        return p.endsWith("/") ? p : p + "/";
    }

    /** The existing path that overlaps the new one, as Vault names it (§3, §4.1). */
    private static String conflict(Map<String, Mount> table, String path) {
        for (String existing : table.keySet()) {
            if (path.startsWith(existing) || existing.startsWith(path)) {
                return existing;
            }
        }
        return null;
    }

    private static ObjectNode mountJson(Mount m, boolean auth) {
        ObjectNode o = obj();
        o.put("accessor", m.accessor);
        ObjectNode cfg = o.putObject("config");
        cfg.put("default_lease_ttl", 0);
        cfg.put("force_no_cache", false);
        cfg.put("max_lease_ttl", 0);
        if (auth) {
            cfg.put("token_type", "default-service");
        }
        o.put("deprecation_status", "supported");
        o.put("description", m.description);
        o.put("external_entropy_access", false);
        o.put("local", false);
        if (m.options == null) {
            o.putNull("options");
        } else {
            o.set("options", Reply.JSON.valueToTree(m.options));
        }
        o.put("plugin_version", "");
        o.put("running_plugin_version", "v" + DoubleRouter.VERSION + "+builtin");
        o.put("running_sha256", "");
        o.put("seal_wrap", false);
        o.put("type", m.type);
        o.put("uuid", m.uuid);
        return o;
    }

    // ---- §5.1 ACL policies
    Reply policies(Call c) {
        String r = c.route();
        if (r.equals("sys/policies/acl")) {
            if (!c.operation().equals("list")) {
                return Reply.error(405, "unsupported operation");
            }
            List<String> keys = new ArrayList<>(s.policies.keySet());
            ObjectNode data = obj();
            data.set("keys", DoubleRouter.array(keys).add("root"));
            return Reply.ok(Envelope.of(data));
        }
        String given = r.substring("sys/policies/acl/".length());
        String name = given.toLowerCase();
        switch (c.operation()) {
            case "read": {
                String text = s.policies.get(name);
                if (text == null) {
                    return Reply.notFoundEmpty();
                }
                ObjectNode d = obj();
                d.put("name", name);
                d.put("policy", text);
                return Reply.ok(Envelope.of(d));
            }
            case "update": {
                if (name.equals("root") || name.equals("response-wrapping")) {
                    return Reply.error(400, "cannot update \"" + name + "\" policy");
                }
                String text = c.text("policy");
                if (text == null || text.isBlank()) {
                    return Reply.error(400, "'policy' parameter not supplied or empty");
                }
                try {
                    s.putPolicy(name, text);
                } catch (IllegalArgumentException e) {
                    return Reply.error(400, "failed to parse policy: " + e.getMessage());
                }
                if (!name.equals(given)) {
                    return Reply.ok(Envelope.of(null, null, List.of("policy name was converted to " + name)));
                }
                return Reply.noContent();
            }
            case "delete":
                if (name.equals("default")) {
                    return Reply.error(400, "cannot delete default policy");
                }
                if (name.equals("root") || name.equals("response-wrapping")) {
                    return Reply.error(400, "cannot delete \"" + name + "\" policy");
                }
                s.policies.remove(name);
                s.parsedPolicies.remove(name);
                return Reply.noContent();
            default:
                return Reply.error(405, "unsupported operation");
        }
    }

    // ---- §7 response wrapping
    ObjectNode wrapResponse(JsonNode original, Duration ttl, String creationPath) {
        Token w = s.newToken(List.of("response-wrapping"), ttl, ttl, false, "response-wrapping", "sys/wrapping/wrap");
        w.wrapping = true;
        w.numUses = 1;
        w.wrappedJson = original.toString();
        w.creationPath = creationPath;
        ObjectNode env = Envelope.of(null);
        env.put("request_id", "");
        ObjectNode info = obj();
        info.put("token", w.id);
        info.put("accessor", w.accessor);
        info.put("ttl", ttl.getSeconds());
        info.put("creation_time", Values.localTime(w.created));
        info.put("creation_path", creationPath);
        String wrapped = original.path("data").path("secret_id_accessor").asText("");
        if (wrapped.isEmpty()) {
            wrapped = original.path("auth").path("accessor").asText("");
        }
        if (!wrapped.isEmpty()) {
            info.put("wrapped_accessor", wrapped);
        }
        env.set("wrap_info", info);
        return env;
    }

    Reply wrapLookup(Call c) {
        String tok = c.body().has("token") ? c.text("token") : c.token();
        Token w = s.validToken(tok);
        if (w == null || !w.wrapping) {
            return Reply.error(400, "wrapping token is not valid or does not exist");
        }
        ObjectNode d = obj();
        d.put("creation_path", w.creationPath);
        d.put("creation_time", Values.localTime(w.created));
        d.put("creation_ttl", w.ttl.getSeconds());
        return Reply.ok(Envelope.of(d));
    }

    Reply rewrap(Call c) {
        Token w = s.validToken(c.text("token"));
        if (w == null || !w.wrapping) {
            return Reply.error(400, "wrapping token is not valid or does not exist");
        }
        s.revoke(w);
        try {
            return Reply.ok(wrapResponse(Reply.JSON.readTree(w.wrappedJson), w.ttl, w.creationPath));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
