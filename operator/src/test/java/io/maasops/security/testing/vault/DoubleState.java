package io.maasops.security.testing.vault;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** All the double's stored state. Access is serialised by the double (one request at a time). */
final class DoubleState {
    /** Default and max lease TTL of every mount: 768h (docs/reference/vault-api.md §4.3, §6.4). */
    static final Duration MOUNT_MAX_TTL = Duration.ofSeconds(2764800);

    static final String DEFAULT_POLICY = """
            # Allow tokens to look up their own properties
            path "auth/token/lookup-self" { capabilities = ["read"] }
            path "auth/token/renew-self" { capabilities = ["update"] }
            path "auth/token/revoke-self" { capabilities = ["update"] }
            path "sys/capabilities-self" { capabilities = ["update"] }
            path "sys/leases/renew" { capabilities = ["update"] }
            path "sys/leases/lookup" { capabilities = ["update"] }
            path "cubbyhole/*" { capabilities = ["create", "read", "update", "delete", "list"] }
            path "sys/wrapping/wrap" { capabilities = ["update"] }
            path "sys/wrapping/lookup" { capabilities = ["update"] }
            path "sys/wrapping/unwrap" { capabilities = ["update"] }
            """;
    static final String RESPONSE_WRAPPING_POLICY = """
            path "cubbyhole/response" { capabilities = ["create", "read"] }
            path "sys/wrapping/unwrap" { capabilities = ["update"] }
            """;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    final DoubleClock clock;
    boolean sealed;
    final String unsealKey = randomString(44);
    final Map<String, Token> tokens = new HashMap<>();
    /** Every token id and secret-id this Vault ever issued (for leak tests). */
    final List<String> everIssued = new ArrayList<>();

    final Map<String, Token> tokensByAccessor = new HashMap<>();
    final Map<String, String> policies = new TreeMap<>();
    final Map<String, HclPolicy> parsedPolicies = new HashMap<>();
    ParameterMatching parameterMatching = ParameterMatching.WHOLE_VALUE;
    /** "path/" → mount, secrets engines. */
    final Map<String, Mount> mounts = new TreeMap<>();
    /** "path/" → mount, auth methods. */
    final Map<String, Mount> authMounts = new TreeMap<>();

    int loginCount;
    /** User lockout (docs/reference/vault-api.md §6.4): failed AppRole logins per "mount|role_id". */
    boolean lockoutEnabled = true;

    final Map<String, Lockout> lockouts = new HashMap<>();
    final Token root;

    DoubleState(DoubleClock clock) {
        this.clock = clock;
        putPolicy("default", DEFAULT_POLICY);
        parsedPolicies.put("response-wrapping", HclPolicy.parse(RESPONSE_WRAPPING_POLICY));
        mounts.put("sys/", new Mount("system", null));
        mounts.put("cubbyhole/", new Mount("cubbyhole", null));
        mounts.put("identity/", new Mount("identity", null));
        authMounts.put("token/", new Mount("token", null));
        root = newToken(List.of("root"), Duration.ZERO, Duration.ZERO, false, "root", "auth/token/root");
        root.orphan = true;
    }

    void putPolicy(String name, String text) {
        parsedPolicies.put(name, HclPolicy.parse(text));
        policies.put(name, text);
    }

    static String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return b.toString();
    }

    Token newToken(
            List<String> policyList,
            Duration ttl,
            Duration maxTtl,
            boolean renewable,
            String displayName,
            String path) {
        Token t = new Token();
        t.id = "hvs." + randomString(24);
        t.accessor = randomString(24);
        t.policies = new ArrayList<>(policyList);
        t.created = clock.instant();
        t.ttl = ttl;
        t.maxTtl = maxTtl;
        t.expire = ttl.isZero() ? null : t.created.plus(ttl);
        t.renewable = renewable;
        t.displayName = displayName;
        t.path = path;
        tokens.put(t.id, t);
        tokensByAccessor.put(t.accessor, t);
        everIssued.add(t.id);
        return t;
    }

    /** The token if it exists and has not expired; expired tokens are revoked on sight. */
    Token validToken(String id) {
        if (id == null) {
            return null;
        }
        Token t = tokens.get(id);
        if (t != null && t.expire != null && !clock.instant().isBefore(t.expire)) {
            revoke(t);
            return null;
        }
        return t;
    }

    void revoke(Token t) {
        tokens.remove(t.id);
        tokensByAccessor.remove(t.accessor);
    }

    Mount mountFor(Map<String, Mount> table, String path) {
        String best = null;
        for (String p : table.keySet()) {
            if ((path + "/").startsWith(p) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best == null ? null : table.get(best);
    }

    String mountPathFor(Map<String, Mount> table, String path) {
        String best = null;
        for (String p : table.keySet()) {
            if ((path + "/").startsWith(p) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best;
    }

    /** Vault's token, as stored. Wrapping tokens carry the wrapped response. */
    static final class Token {
        String id;
        String accessor;
        List<String> policies;
        Instant created;
        Duration ttl;
        Duration maxTtl;
        Instant expire;
        Instant lastRenewal;
        boolean renewable;
        int numUses;
        String displayName;
        String path;
        Map<String, String> meta;
        List<String> boundCidrs = List.of();
        boolean orphan;
        String entityId = "";
        // response wrapping
        boolean wrapping;
        String wrappedJson;
        String creationPath;
    }

    static final class Mount {
        final String type;
        Map<String, String> options;
        final String accessor;
        final String uuid = UUID.randomUUID().toString();
        String description = "";
        // kv
        final Map<String, KvEntry> kv = new TreeMap<>();
        final Map<String, String> kvV1 = new TreeMap<>();
        int kvMaxVersions;
        boolean kvCasRequired;
        // approle
        final Map<String, Role> roles = new TreeMap<>();
        // kubernetes
        final Map<String, K8sRole> k8sRoles = new TreeMap<>();
        K8sConfig k8sConfig;

        Mount(String type, Map<String, String> options) {
            this.type = type;
            this.options = options;
            this.accessor = type + "_" + randomString(8).toLowerCase();
        }

        boolean isKvV2() {
            return type.equals("kv") && options != null && "2".equals(options.get("version"));
        }

        boolean isKvV1() {
            return type.equals("kv") && !isKvV2();
        }
    }

    static final class Role {
        String name;
        String roleId;
        boolean bindSecretId = true;
        List<String> secretIdBoundCidrs = List.of();
        int secretIdNumUses;
        long secretIdTtl;
        List<String> tokenPolicies = List.of();
        long tokenTtl;
        long tokenMaxTtl;
        long tokenExplicitMaxTtl;
        long tokenPeriod;
        List<String> tokenBoundCidrs = List.of();
        int tokenNumUses;
        boolean tokenNoDefaultPolicy;
        String tokenType = "default";
        boolean localSecretIds;
        /** accessor → secret-id entry */
        final Map<String, SecretIdEntry> secretIds = new LinkedHashMap<>();
    }

    static final class SecretIdEntry {
        String secretId;
        String accessor;
        Instant created;
        Instant lastUpdated;
        Instant expiration; // null = never
        long ttl;
        int numUses; // remaining; 0 = unlimited
        List<String> cidrList = List.of();
        List<String> tokenBoundCidrs = List.of();
        Map<String, String> metadata = new TreeMap<>();
    }

    static final class Lockout {
        int failures;
        Instant firstFailure;
        Instant lockedUntil;
    }

    static final class K8sRole {
        /** A test shortcut ({@link VaultDouble#enableKubernetesAuth}): exactly this JWT logs in, without a review. */
        String jwt;

        List<String> policies;
        Duration ttl;
        String serviceAccountName;
        String serviceAccountNamespace;
        /** bound_service_account_names / bound_service_account_namespaces (globs), audience ("" = none). */
        List<String> boundNames = List.of();

        List<String> boundNamespaces = List.of();
        String audience = "";
    }

    /** auth/kubernetes/config: where TokenReviews go, the CA it presents, and the reviewer's JWT ("" = the client's own). */
    record K8sConfig(String host, String caPem, String tokenReviewerJwt) {}

    static final class KvEntry {
        final TreeMap<Integer, KvVersion> versions = new TreeMap<>();
        int currentVersion;
        int maxVersions;
        boolean casRequired;
        Instant created;
        Instant updated;
        Map<String, String> customMetadata;
    }

    static final class KvVersion {
        Map<String, Object> data;
        Instant created;
        Instant deletion; // null = not deleted
        boolean destroyed;
    }

    /**
     * policyutil.SanitizePolicies: lowercased, trimmed, empty names dropped; {@code root} replaces the whole list;
     * {@code default} added (when asked) unless present or root; deduplicated and sorted.
     */
    static List<String> sanitizePolicies(List<String> in, boolean addDefault) {
        List<String> ps = new ArrayList<>();
        boolean defaultFound = false;
        for (String p : in) {
            String t = p.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("root")) {
                ps = new ArrayList<>(List.of("root"));
                defaultFound = true;
                break;
            }
            defaultFound |= t.equals("default");
            ps.add(t);
        }
        if (addDefault && !defaultFound) {
            ps.add("default");
        }
        return new ArrayList<>(sortedLower(ps));
    }

    /**
     * request_handling.go handleLoginRequest: after sanitising, no auth method may issue a root token or one with a
     * non-assignable policy (400, ErrorResponse). Null when the policies are fine.
     */
    static Reply refuseLoginPolicies(List<String> sanitized) {
        for (String p : sanitized) {
            if (p.equals("root")) {
                return Reply.error(400, "auth methods cannot create root tokens");
            }
            if (p.equals("response-wrapping")) {
                return Reply.error(400, "cannot assign policy \"response-wrapping\"");
            }
        }
        return null;
    }

    static TreeSet<String> sortedLower(List<String> in) {
        TreeSet<String> out = new TreeSet<>();
        for (String s : in) {
            String t = s.trim().toLowerCase();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
