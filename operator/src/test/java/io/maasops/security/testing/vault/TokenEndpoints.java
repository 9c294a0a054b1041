package io.maasops.security.testing.vault;

import static io.maasops.security.testing.vault.DoubleRouter.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.testing.vault.DoubleState.K8sRole;
import io.maasops.security.testing.vault.DoubleState.Mount;
import io.maasops.security.testing.vault.DoubleState.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** auth/token self-operations and Kubernetes login (docs/reference/vault-api.md §9). */
final class TokenEndpoints {
    private final DoubleState s;

    TokenEndpoints(DoubleState s) {
        this.s = s;
    }

    Reply handle(Call c, Token t) {
        switch (c.route()) {
            case "auth/token/lookup-self":
                return Reply.ok(Envelope.of(lookupData(t)));
            case "auth/token/lookup": {
                Token other = s.validToken(c.text("token"));
                return other == null ? Reply.error(403, "bad token") : Reply.ok(Envelope.of(lookupData(other)));
            }
            case "auth/token/renew-self":
                return renew(c, t);
            case "auth/token/revoke-self":
                s.revoke(t);
                return Reply.noContent();
            case "auth/token/create":
                return create(c, t);
            default:
                return Reply.error(404, "unsupported path");
        }
    }

    private Reply renew(Call c, Token t) {
        if (!t.renewable) {
            return Reply.error(400, "lease is not renewable"); // exact text UNCONFIRMED (§9)
        }
        long increment;
        try {
            increment = Values.seconds(c.body().get("increment"));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        Instant now = s.clock.instant();
        Duration ttl = increment > 0 ? Duration.ofSeconds(increment) : t.ttl;
        Instant expire = now.plus(ttl);
        Duration max = t.maxTtl.isZero() ? DoubleState.MOUNT_MAX_TTL : t.maxTtl;
        Instant cap = t.created.plus(max);
        if (expire.isAfter(cap)) {
            expire = cap;
        }
        t.expire = expire;
        t.lastRenewal = now;
        return Reply.ok(Envelope.of(null, authBlock(t, t.meta), null));
    }

    private Reply create(Call c, Token parent) {
        List<String> policies = Values.list(c.body().get("policies"));
        if (policies.isEmpty()) {
            policies = new ArrayList<>(parent.policies);
        }
        if (!c.body().path("no_default_policy").asBoolean(false) && !policies.contains("root")) {
            policies.add("default");
        }
        long ttl;
        try {
            ttl = Values.seconds(c.body().get("ttl"));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        Token t = s.newToken(
                new ArrayList<>(DoubleState.sortedLower(policies)),
                Duration.ofSeconds(
                        ttl == 0 && !policies.contains("root") ? DoubleState.MOUNT_MAX_TTL.getSeconds() : ttl),
                Duration.ZERO,
                c.body().path("renewable").asBoolean(true),
                "token",
                "auth/token/create");
        t.numUses = c.body().path("num_uses").asInt(0);
        return Reply.ok(Envelope.of(null, authBlock(t, null), null));
    }

    Reply kubernetesLogin(Call c, Mount m, String mountPath) {
        String role = c.text("role");
        String jwt = c.text("jwt");
        if (role == null || role.isEmpty()) {
            return Reply.error(400, "missing role");
        }
        if (jwt == null || jwt.isEmpty()) {
            return Reply.error(400, "missing jwt");
        }
        K8sRole r = m.k8sRoles.get(role);
        if (r == null) {
            return Reply.error(400, "invalid role name \"" + role + "\"");
        }
        if (r.jwt == null) {
            return reviewedLogin(c, m, mountPath, role, r, jwt);
        }
        if (!r.jwt.equals(jwt)) {
            return Reply.error(403, "permission denied");
        }
        List<String> policies = DoubleState.sanitizePolicies(r.policies, true);
        Reply refused = DoubleState.refuseLoginPolicies(policies);
        if (refused != null) {
            return refused;
        }
        Token t = s.newToken(
                policies,
                r.ttl,
                Duration.ZERO,
                true,
                "kubernetes-" + r.serviceAccountNamespace + "-" + r.serviceAccountName,
                "auth/" + mountPath + "login");
        Map<String, String> md = new TreeMap<>();
        md.put("role", role);
        md.put("service_account_name", r.serviceAccountName);
        md.put("service_account_namespace", r.serviceAccountNamespace);
        md.put("service_account_secret_name", "");
        md.put(
                "service_account_uid",
                UUID.nameUUIDFromBytes(r.serviceAccountName.getBytes()).toString());
        t.meta = md;
        t.entityId = UUID.randomUUID().toString();
        return Reply.ok(Envelope.of(null, authBlock(t, md), null));
    }

    private final java.util.List<Integer> reviews = new java.util.concurrent.CopyOnWriteArrayList<>();

    java.util.List<Integer> reviews() {
        return java.util.List.copyOf(reviews);
    }

    private static final java.util.Set<String> SIGNING_ALGORITHMS =
            java.util.Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

    /**
     * vault-plugin-auth-kubernetes path_login.go: the JWT's claims (signature not verified without pem_keys, as
     * configured here), the role's audience, bound names, bound namespaces, then a TokenReview whose answer must
     * name the same account. Claim and binding failures are 403 with the plugin's text; a failed review is 403
     * "permission denied".
     */
    private Reply reviewedLogin(Call c, Mount m, String mountPath, String role, K8sRole r, String jwt) {
        if (m.k8sConfig == null) {
            return Reply.multiError(500, "could not load backend configuration");
        }
        com.fasterxml.jackson.databind.JsonNode claims = claims(jwt);
        if (claims == null) {
            return Reply.error(403, "permission denied"); // "error verifying token signature": not a JWS
        }
        if (claims.has("exp")
                && !s.clock
                        .instant()
                        .isBefore(java.time.Instant.ofEpochSecond(
                                claims.path("exp").asLong()))) {
            return Reply.error(403, "invalid expiration time (exp) claim: token is expired");
        }
        java.util.List<String> audiences = new java.util.ArrayList<>();
        claims.path("aud").forEach(a -> audiences.add(a.asText()));
        if (claims.path("aud").isTextual()) {
            audiences.add(claims.path("aud").asText());
        }
        if (!r.audience.isEmpty() && !audiences.contains(r.audience)) {
            return Reply.error(
                    403, "invalid audience (aud) claim: audience claim does not match any expected audience");
        }
        com.fasterxml.jackson.databind.JsonNode k8s = claims.path("kubernetes.io");
        String name = k8s.isObject()
                ? k8s.path("serviceaccount").path("name").asText("")
                : claims.path("kubernetes.io/serviceaccount/service-account.name")
                        .asText("");
        String namespace = k8s.isObject()
                ? k8s.path("namespace").asText("")
                : claims.path("kubernetes.io/serviceaccount/namespace").asText("");
        String uid = k8s.isObject()
                ? k8s.path("serviceaccount").path("uid").asText("")
                : claims.path("kubernetes.io/serviceaccount/service-account.uid")
                        .asText("");
        if ((r.boundNames.size() > 1 || !r.boundNames.get(0).equals("*")) && !globMatch(r.boundNames, name)) {
            return Reply.error(403, "service account name not authorized");
        }
        if (r.boundNamespaces.isEmpty()
                || !(r.boundNamespaces.get(0).equals("*") || globMatch(r.boundNamespaces, namespace))) {
            return Reply.error(403, "namespace not authorized");
        }
        var answer = KubernetesTokenReview.review(
                m.k8sConfig, jwt, r.audience.isEmpty() ? audiences : java.util.List.of(r.audience));
        reviews.add(answer.httpStatus());
        if (answer.account().isEmpty()) {
            return Reply.error(403, "permission denied"); // the plugin logs answer.error() at debug level only
        }
        var reviewed = answer.account().get();
        if (!reviewed.name().equals(name)
                || !reviewed.uid().equals(uid)
                || !reviewed.namespace().equals(namespace)) {
            return Reply.error(403, "permission denied"); // "JWT names/UIDs/namepaces did not match"
        }
        List<String> policies = DoubleState.sanitizePolicies(r.policies, true);
        Reply refused = DoubleState.refuseLoginPolicies(policies);
        if (refused != null) {
            return refused;
        }
        Token t = s.newToken(
                policies,
                r.ttl,
                Duration.ZERO,
                true,
                "kubernetes-" + namespace + "-" + name,
                "auth/" + mountPath + "login");
        Map<String, String> md = new TreeMap<>();
        md.put("role", role);
        md.put("service_account_name", name);
        md.put("service_account_namespace", namespace);
        md.put("service_account_secret_name", "");
        md.put("service_account_uid", uid);
        t.meta = md;
        t.entityId = UUID.randomUUID().toString();
        return Reply.ok(Envelope.of(null, authBlock(t, md), null));
    }

    /** The claims of a compact JWS with an allowed algorithm, unverified; null if it is not one. */
    private static com.fasterxml.jackson.databind.JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var header = mapper.readTree(java.util.Base64.getUrlDecoder().decode(parts[0]));
            if (!SIGNING_ALGORITHMS.contains(header.path("alg").asText())) {
                return null;
            }
            var claims = mapper.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.isObject() ? claims : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    /** strutil.StrListContainsGlob: '*' matches any run of characters. */
    private static boolean globMatch(List<String> patterns, String value) {
        for (String p : patterns) {
            String regex = java.util.Arrays.stream(p.split("\\*", -1))
                    .map(java.util.regex.Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            if (value.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    ObjectNode lookupData(Token t) {
        ObjectNode d = obj();
        d.put("accessor", t.accessor);
        d.put("creation_time", t.created.getEpochSecond());
        d.put("creation_ttl", t.ttl.getSeconds());
        d.put("display_name", t.displayName);
        d.put("entity_id", t.entityId);
        if (t.expire == null) {
            d.putNull("expire_time");
        } else {
            d.put("expire_time", Values.localTime(t.expire));
        }
        d.put("explicit_max_ttl", 0);
        d.put("id", t.id);
        d.put("issue_time", Values.localTime(t.created));
        if (t.meta == null) {
            d.putNull("meta");
        } else {
            d.set("meta", Reply.JSON.valueToTree(t.meta));
        }
        d.put("num_uses", t.numUses);
        d.put("orphan", t.orphan);
        d.put("path", t.path);
        d.set("policies", DoubleRouter.array(t.policies));
        d.put("renewable", t.renewable);
        d.put("ttl", remaining(t));
        d.put("type", "service");
        if (t.lastRenewal != null) {
            d.put("last_renewal", Values.localTime(t.lastRenewal));
            d.put("last_renewal_time", t.lastRenewal.getEpochSecond());
        }
        if (!t.boundCidrs.isEmpty()) {
            d.set("bound_cidrs", DoubleRouter.array(t.boundCidrs));
        }
        return d;
    }

    private long remaining(Token t) {
        return t.expire == null
                ? 0
                : Math.max(0, Duration.between(s.clock.instant(), t.expire).getSeconds());
    }

    static ObjectNode authBlock(Token t, Map<String, String> metadata) {
        ObjectNode a = obj();
        a.put("client_token", t.id);
        a.put("accessor", t.accessor);
        a.set("policies", DoubleRouter.array(t.policies));
        a.set("token_policies", DoubleRouter.array(t.policies));
        if (metadata == null) {
            a.putNull("metadata");
        } else {
            a.set("metadata", Reply.JSON.valueToTree(metadata));
        }
        long lease = t.expire == null
                ? 0
                : Duration.between(t.lastRenewal != null ? t.lastRenewal : t.created, t.expire)
                        .getSeconds();
        a.put("lease_duration", lease);
        a.put("renewable", t.renewable);
        a.put("entity_id", t.entityId);
        a.put("token_type", "service");
        a.put("orphan", t.orphan);
        a.putNull("mfa_requirement");
        a.put("num_uses", t.numUses);
        return a;
    }
}
