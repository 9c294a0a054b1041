package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.testing.vault.DoubleState.Mount;
import io.maasops.security.testing.vault.DoubleState.Token;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sealed gate, authentication, ACL and dispatch to the engines — the order Vault's core uses
 * (docs/reference/vault-api.md §2.3: sealed before routing; §5.2: ACL before the handler).
 */
final class DoubleRouter {
    static final String VERSION = "1.17.2";
    static final String CLUSTER_NAME = "vault-cluster-double";
    static final String CLUSTER_ID = "00af5aa8-3c53-4c9b-9d36-16b7a6a6e2b1";

    private final DoubleState s;
    private final SysEndpoints sys;
    private final AppRoleEndpoints approle;
    private final KvEndpoints kv;
    private final TokenEndpoints tokens;

    DoubleRouter(DoubleState s) {
        this.s = s;
        this.sys = new SysEndpoints(s);
        this.approle = new AppRoleEndpoints(s);
        this.kv = new KvEndpoints(s);
        this.tokens = new TokenEndpoints(s);
    }

    /** HTTP statuses of the TokenReviews the Kubernetes logins sent. */
    java.util.List<Integer> reviews() {
        return tokens.reviews();
    }

    Reply handle(Call c) {
        String r = c.route();
        switch (r) {
            case "sys/health":
                return sys.health(c);
            case "sys/seal-status":
                return c.httpMethod().equals("GET") ? Reply.ok(sys.sealStatus()) : Reply.error(405);
            case "sys/unseal":
                return sys.unseal(c);
            case "sys/seal":
                return seal(c);
            default:
                break;
        }
        if (s.sealed) {
            return Reply.sealed();
        }
        if (r.equals("sys/wrapping/lookup")) {
            return sys.wrapLookup(c);
        }
        if (r.equals("sys/wrapping/unwrap")) {
            return unwrap(c);
        }
        Duration wrapTtl; // null = no header = req.WrapInfo == nil (an empty header counts as none, handler.go)
        try {
            wrapTtl = c.wrapTtl() == null || c.wrapTtl().isEmpty() ? null : Values.parseDuration(c.wrapTtl());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, "error parsing X-Vault-Wrap-TTL header: " + e.getMessage());
        }
        if (wrapTtl != null && wrapTtl.isNegative()) {
            return Reply.error(400, "requested wrap ttl cannot be negative");
        }
        if (r.startsWith("auth/") && r.endsWith("/login")) {
            Mount m = s.mountFor(s.authMounts, r.substring(5));
            String mp = s.mountPathFor(s.authMounts, r.substring(5));
            if (m != null && r.equals("auth/" + mp + "login")) {
                Reply login = switch (m.type) {
                    case "approle" -> approle.login(c, m, mp);
                    case "kubernetes" -> tokens.kubernetesLogin(c, m, mp);
                    default -> Reply.error(405, "unsupported operation");
                };
                if (login.status() == 200) {
                    s.loginCount++;
                }
                return wrap(c, login, wrapTtl);
            }
        }
        Token t = authenticate(c);
        if (t == null) {
            return c.token() == null || c.token().isBlank()
                    ? Reply.error(403, "permission denied")
                    : Reply.invalidToken();
        }
        if (!Values.addressAllowed(t.boundCidrs, c.remoteAddress())) {
            return Reply.permissionDenied();
        }
        String capability = capability(c);
        boolean sudo = (r.startsWith("sys/auth/") && !c.operation().equals("read")) || r.startsWith("sys/raw");
        if (!acl(t).allows(c.path(), capability, sudo, c.data(), wrapTtl)) {
            return Reply.permissionDenied();
        }
        useToken(t);
        if (r.equals("sys/wrapping/wrap") && wrapTtl == null) {
            return Reply.error(400, "endpoint requires response wrapping to be used");
        }
        return wrap(c, dispatch(c, t), wrapTtl);
    }

    private Reply dispatch(Call c, Token t) {
        String r = c.route();
        if (r.equals("sys/auth") || r.startsWith("sys/auth/")) {
            return sys.auth(c);
        }
        if (r.equals("sys/mounts") || r.startsWith("sys/mounts/")) {
            return sys.mounts(c);
        }
        if (r.equals("sys/policies/acl") || r.startsWith("sys/policies/acl/")) {
            return sys.policies(c);
        }
        if (r.equals("sys/wrapping/wrap")) {
            return Reply.ok(Envelope.of(c.body()));
        }
        if (r.equals("sys/wrapping/rewrap")) {
            return sys.rewrap(c);
        }
        if (r.startsWith("auth/token/")) {
            return tokens.handle(c, t);
        }
        if (r.startsWith("auth/")) {
            Mount m = s.mountFor(s.authMounts, r.substring(5));
            if (m != null && m.type.equals("approle")) {
                String mp = s.mountPathFor(s.authMounts, r.substring(5));
                return approle.handle(c, m, r.substring(5 + mp.length()));
            }
        }
        Mount m = s.mountFor(s.mounts, r);
        if (m != null && m.type.equals("kv")) {
            String mp = s.mountPathFor(s.mounts, r);
            String sub = (r + "/").length() > mp.length() ? r.substring(Math.min(r.length(), mp.length())) : "";
            return m.isKvV2() ? kv.v2(c, m, sub) : kv.v1(c, m, sub);
        }
        return Reply.error(404, "no handler for route \"" + r + "\". route entry not found.");
    }

    private Reply seal(Call c) {
        if (!c.httpMethod().equals("POST") && !c.httpMethod().equals("PUT")) {
            return Reply.error(405);
        }
        if (s.sealed) {
            return Reply.sealed();
        }
        Token t = authenticate(c);
        if (t == null) {
            return Reply.invalidToken();
        }
        if (!acl(t).allows("sys/seal", "update", true, c.data(), wrapTtlOrNull(c))) {
            return Reply.permissionDenied();
        }
        s.sealed = true;
        return Reply.noContent();
    }

    private Reply unwrap(Call c) {
        String wrapTok;
        if (c.body().has("token")) {
            wrapTok = c.text("token");
            if (wrapTok == null || wrapTok.isEmpty()) {
                return Reply.error(403, "error validating wrapping token: empty token in request body");
            }
            Token caller = authenticate(c);
            if (caller == null) {
                return Reply.invalidToken();
            }
            if (!acl(caller).allows("sys/wrapping/unwrap", "update", false, c.data(), wrapTtlOrNull(c))) {
                return Reply.permissionDenied();
            }
        } else {
            wrapTok = c.token();
        }
        Token w = s.validToken(wrapTok);
        if (w == null || !w.wrapping) {
            return Reply.error(400, "wrapping token is not valid or does not exist");
        }
        s.revoke(w); // single use
        if (w.wrappedJson == null) {
            return Reply.noContent();
        }
        try {
            return Reply.ok(Reply.JSON.readTree(w.wrappedJson));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wraps a 200 response into a single-use token holding it verbatim (docs/reference/vault-api.md §6.3, §7). */
    Reply wrap(Call c, Reply reply, Duration ttl) {
        if (ttl == null || ttl.isZero() || reply.status() != 200 || !reply.isEnvelope()) {
            return reply;
        }
        return Reply.ok(sys.wrapResponse(reply.body(), ttl, c.route()));
    }

    private Token authenticate(Call c) {
        return s.validToken(c.token());
    }

    private void useToken(Token t) {
        if (t.numUses > 0) {
            t.numUses--;
            if (t.numUses == 0) {
                s.revoke(t); // the request in flight still completes
            }
        }
    }

    Acl acl(Token t) {
        boolean root = t.policies.contains("root");
        List<HclPolicy> ps = new ArrayList<>();
        for (String p : t.policies) {
            HclPolicy hp = s.parsedPolicies.get(p);
            if (hp != null) {
                ps.add(hp);
            }
        }
        return new Acl(ps, root, s.parameterMatching);
    }

    /** The wrap TTL for the two paths checked before the header is validated; a bad header counts as none. */
    private static Duration wrapTtlOrNull(Call c) {
        try {
            return c.wrapTtl() == null || c.wrapTtl().isEmpty() ? null : Values.parseDuration(c.wrapTtl());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Maps the operation to the capability; create vs update uses the engine's existence check. */
    private String capability(Call c) {
        return switch (c.operation()) {
            case "read" -> "read";
            case "list" -> "list";
            case "delete" -> "delete";
            case "patch" -> "patch";
            default -> exists(c) ? "update" : "create";
        };
    }

    private boolean exists(Call c) {
        String r = c.route();
        if (r.startsWith("auth/")) {
            String rest = r.substring(5);
            Mount m = s.mountFor(s.authMounts, rest);
            if (m == null || !m.type.equals("approle")) {
                return true;
            }
            String sub = rest.substring(s.mountPathFor(s.authMounts, rest).length());
            if (sub.startsWith("role/") && sub.indexOf('/', 5) < 0) {
                return m.roles.containsKey(sub.substring(5).toLowerCase());
            }
            return true;
        }
        if (r.startsWith("sys/")) {
            return true;
        }
        Mount m = s.mountFor(s.mounts, r);
        if (m == null || !m.type.equals("kv")) {
            return true;
        }
        String sub =
                r.substring(Math.min(r.length(), s.mountPathFor(s.mounts, r).length()));
        if (m.isKvV1()) {
            return m.kvV1.containsKey(sub);
        }
        for (String prefix : List.of("data/", "metadata/")) {
            if (sub.startsWith(prefix)) {
                return m.kv.containsKey(sub.substring(prefix.length()));
            }
        }
        return true;
    }

    static ObjectNode obj() {
        return Reply.JSON.createObjectNode();
    }

    static ArrayNode array(Iterable<String> items) {
        ArrayNode a = Reply.JSON.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    static Reply list(Iterable<String> keys) {
        TreeSet<String> sorted = new TreeSet<>();
        keys.forEach(sorted::add);
        if (sorted.isEmpty()) {
            return Reply.notFoundEmpty();
        }
        ObjectNode data = obj();
        data.set("keys", array(sorted));
        return Reply.ok(Envelope.of(data));
    }

    static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new HashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
