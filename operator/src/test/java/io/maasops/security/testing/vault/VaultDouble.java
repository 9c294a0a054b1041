package io.maasops.security.testing.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.maasops.security.testing.vault.DoubleState.K8sRole;
import io.maasops.security.testing.vault.DoubleState.Mount;
import io.maasops.security.testing.vault.DoubleState.Role;
import io.maasops.security.testing.vault.DoubleState.Token;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stateful, in-process Vault for tests and the sandbox: the HTTP API subset of
 * {@code docs/reference/vault-api.md}, on 127.0.0.1 with a random port, initialised and unsealed,
 * with one root token, a controllable clock, fault injection and a request log.
 *
 * <p>It models a production server: no {@code secret/} mount until someone enables it.
 */
public final class VaultDouble implements AutoCloseable {
    static {
        // Without TCP_NODELAY the JDK server's separate header/body writes meet the client's delayed ACK:
        // ~40 ms per GET. Read once when the JDK's ServerConfig loads, so set it before the first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /**
     * One request. {@code method} is the HTTP method, except "LIST" for GET ?list=true and the LIST verb;
     * {@code path} has no query; {@code status} 0 = connection dropped by an injected reset;
     * {@code write} = POST/PUT/DELETE/PATCH (logins are POSTs too); {@code body} the JSON body as sent (null when
     * there was none or it was not JSON). Bodies can hold secret-ids and KV values: toString() names their keys only.
     */
    public record Request(String method, String path, int status, boolean write, String namespace, JsonNode body) {
        public Request(String method, String path, int status, boolean write, String namespace) {
            this(method, path, status, write, namespace, null);
        }

        @Override
        public String toString() {
            List<String> keys = new ArrayList<>();
            if (body != null) {
                body.fieldNames().forEachRemaining(keys::add);
            }
            return "Request[" + method + " " + path + " -> " + status + (write ? ", write" : "")
                    + (namespace == null ? "" : ", namespace=" + namespace)
                    + (body == null ? "" : ", body keys=" + keys) + "]";
        }
    }

    /** Go strconv.ParseBool's true spellings, for ?list= (logical.go). */
    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

    private final DoubleClock clock = new DoubleClock(Instant.now());
    private final io.maasops.security.testing.tls.GoCipherChoice cipherSuites =
            new io.maasops.security.testing.tls.GoCipherChoice();
    private final DoubleState state = new DoubleState(clock);
    private final DoubleRouter router = new DoubleRouter(state);
    private final VaultFaults faults = new VaultFaults(this);
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final DoubleTls tls;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vault-double");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private int port;

    private VaultDouble(boolean https, int port) {
        this.tls = https ? DoubleTls.generate() : null;
        this.port = port;
        startListening();
    }

    /** Plain HTTP. */
    public static VaultDouble start() {
        return new VaultDouble(false, 0);
    }

    /** HTTPS with a freshly generated CA; trust {@link #caPem()}. */
    public static VaultDouble startTls() {
        return new VaultDouble(true, 0);
    }

    /** For the sandbox: a fixed port on 127.0.0.1 (0 = random). */
    public static VaultDouble startOnPort(int port, boolean https) {
        return new VaultDouble(https, port);
    }

    // ------------------------------------------------------------------ connection
    public URI address() {
        return URI.create((tls != null ? "https" : "http") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The TLS cipher suites clients negotiated with this double (a Go server's choice: docs/reference/tls.md §1). */
    public java.util.Set<String> negotiatedCipherSuites() {
        return cipherSuites.negotiated();
    }

    /** The CA certificate (PEM) that signed the server certificate; null for plain HTTP. */
    public String caPem() {
        return tls == null ? null : tls.caPem;
    }

    public String rootToken() {
        return state.root.id;
    }

    public String unsealKey() {
        return state.unsealKey;
    }

    // ------------------------------------------------------------------ seal, clock, faults, log
    public void seal() {
        synchronized (state) {
            state.sealed = true;
        }
    }

    public void unseal() {
        synchronized (state) {
            state.sealed = false;
        }
    }

    public boolean isSealed() {
        synchronized (state) {
            return state.sealed;
        }
    }

    /** The double's clock; every TTL is measured against it. Usable as a java.time.Clock by code under test. */
    public DoubleClock clock() {
        return clock;
    }

    public void advance(Duration d) {
        clock.advance(d);
    }

    public VaultFaults faults() {
        return faults;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Successful logins (any auth method) since start. */
    public int loginCount() {
        synchronized (state) {
            return state.loginCount;
        }
    }

    // ------------------------------------------------------------------ set-up helpers for tests
    /** Enables Kubernetes auth at {@code mount} (if needed) and a role accepting exactly {@code jwt}. */
    public void enableKubernetesAuth(String mount, String role, String jwt, List<String> policies, Duration ttl) {
        synchronized (state) {
            Mount m = state.authMounts.computeIfAbsent(slash(mount), p -> new Mount("kubernetes", null));
            K8sRole r = new K8sRole();
            r.jwt = jwt;
            r.policies = List.copyOf(policies);
            r.ttl = ttl;
            r.serviceAccountName = "maas-security-operator";
            r.serviceAccountNamespace = "maas-system";
            m.k8sRoles.put(role, r);
        }
    }

    /**
     * Enables Kubernetes auth at {@code mount} (if needed) configured as the admin does with
     * {@code vault write auth/<mount>/config kubernetes_host=... kubernetes_ca_cert=... token_reviewer_jwt=...}:
     * each login is checked with a TokenReview at {@code host} ({@code tokenReviewerJwt} empty: with the client's own JWT).
     */
    public void configureKubernetesAuth(String mount, String host, String caPem, String tokenReviewerJwt) {
        synchronized (state) {
            Mount m = state.authMounts.computeIfAbsent(slash(mount), p -> new Mount("kubernetes", null));
            m.k8sConfig = new DoubleState.K8sConfig(host, caPem, tokenReviewerJwt);
        }
    }

    /**
     * {@code vault write auth/<mount>/role/<role> bound_service_account_names=... bound_service_account_namespaces=...
     * audience=... token_policies=... token_ttl=...} ({@code audience} "" = not checked).
     */
    public void kubernetesRole(
            String mount,
            String role,
            List<String> boundNames,
            List<String> boundNamespaces,
            String audience,
            List<String> policies,
            Duration ttl) {
        if (boundNames.isEmpty()) {
            throw new IllegalArgumentException("\"bound_service_account_names\" can not be empty"); // path_role.go
        }
        synchronized (state) {
            Mount m = state.authMounts.computeIfAbsent(slash(mount), p -> new Mount("kubernetes", null));
            K8sRole r = new K8sRole();
            r.boundNames = List.copyOf(boundNames);
            r.boundNamespaces = List.copyOf(boundNamespaces);
            r.audience = audience;
            r.policies = List.copyOf(policies);
            r.ttl = ttl;
            m.k8sRoles.put(role, r);
        }
    }

    /** TokenReviews this Vault sent to the Kubernetes API (from any mount), with the API's HTTP status. */
    public List<Integer> tokenReviews() {
        return router.reviews();
    }

    /** A service token with these policies (plus default) and TTL (zero = the 768h mount default). */
    public String createToken(List<String> policies, Duration ttl) {
        synchronized (state) {
            List<String> ps = new ArrayList<>(policies);
            ps.add("default");
            Token t = state.newToken(
                    new ArrayList<>(DoubleState.sortedLower(ps)),
                    ttl.isZero() ? DoubleState.MOUNT_MAX_TTL : ttl,
                    Duration.ZERO,
                    true,
                    "token",
                    "auth/token/create");
            return t.id;
        }
    }

    /** AppRole user lockout (5 failed logins per role_id → 15 min of 403), on by default like Vault ≥ 1.13. */
    public void userLockout(boolean enabled) {
        synchronized (state) {
            state.lockoutEnabled = enabled;
            state.lockouts.clear();
        }
    }

    /** Revokes every token except the root token (e.g. to simulate a revoked operator token). */
    public void revokeAllTokens() {
        synchronized (state) {
            new ArrayList<>(state.tokens.values())
                    .stream().filter(t -> t != state.root).forEach(state::revoke);
        }
    }

    /**
     * How allowed/denied parameter values are compared: {@link ParameterMatching#WHOLE_VALUE} (OpenBao, Vault ≤ 1.20;
     * the default) or {@link ParameterMatching#PER_ELEMENT} (Vault ≥ 1.21).
     */
    public void parameterMatching(ParameterMatching mode) {
        synchronized (state) {
            state.parameterMatching = mode;
        }
    }

    public void putPolicy(String name, String hcl) {
        synchronized (state) {
            state.putPolicy(name, hcl);
        }
    }

    public void enableKvV2(String mount) {
        synchronized (state) {
            state.mounts.putIfAbsent(slash(mount), new Mount("kv", new HashMap<>(Map.of("version", "2"))));
        }
    }

    public void enableKvV1(String mount) {
        synchronized (state) {
            state.mounts.putIfAbsent(slash(mount), new Mount("kv", null));
        }
    }

    public void enableAppRole(String mount) {
        synchronized (state) {
            state.authMounts.putIfAbsent(slash(mount), new Mount("approle", null));
        }
    }

    // ------------------------------------------------------------------ inspection
    public Set<String> roleNames(String approleMount) {
        synchronized (state) {
            Mount m = state.authMounts.get(slash(approleMount));
            return m == null ? Set.of() : new TreeSet<>(m.roles.keySet());
        }
    }

    public Optional<String> roleId(String approleMount, String role) {
        synchronized (state) {
            Mount m = state.authMounts.get(slash(approleMount));
            Role r = m == null ? null : m.roles.get(role);
            return Optional.ofNullable(r == null ? null : r.roleId);
        }
    }

    /** The role's token TTL in seconds, as {@code GET auth/<mount>/role/<role>} reports {@code token_ttl}. */
    public Optional<Long> roleTokenTtlSeconds(String approleMount, String role) {
        synchronized (state) {
            Mount m = state.authMounts.get(slash(approleMount));
            Role r = m == null ? null : m.roles.get(role);
            return Optional.ofNullable(r == null ? null : r.tokenTtl);
        }
    }

    /** Accessors of the role's live (not expired, not used up) secret-ids. */
    public Set<String> secretIdAccessors(String approleMount, String role) {
        synchronized (state) {
            Mount m = state.authMounts.get(slash(approleMount));
            Role r = m == null ? null : m.roles.get(role);
            if (r == null) {
                return Set.of();
            }
            Instant now = clock.instant();
            Set<String> out = new TreeSet<>();
            r.secretIds.values().forEach(e -> {
                if (e.expiration == null || now.isBefore(e.expiration)) {
                    out.add(e.accessor);
                }
            });
            return out;
        }
    }

    public Optional<String> policy(String name) {
        synchronized (state) {
            return Optional.ofNullable(state.policies.get(name));
        }
    }

    /** The current live version's data of a kv-v2 key, empty when missing, deleted or destroyed. */
    public Optional<Map<String, Object>> kvData(String mount, String path) {
        synchronized (state) {
            Mount m = state.mounts.get(slash(mount));
            DoubleState.KvEntry e = m == null ? null : m.kv.get(path);
            DoubleState.KvVersion v = e == null ? null : e.versions.get(e.currentVersion);
            if (v == null || v.destroyed || v.deletion != null) {
                return Optional.empty();
            }
            return Optional.of(new LinkedHashMap<>(v.data));
        }
    }

    /** Every token (login, wrapping, root) and secret-id this Vault has issued: values that must never leak. */
    public List<String> everIssuedSecrets() {
        synchronized (state) {
            List<String> out = new ArrayList<>(state.everIssued);
            out.add(rootToken());
            out.add(unsealKey());
            return out;
        }
    }

    /** Every kv-v2 key (full path below the mount) starting with {@code prefix}. */
    public Set<String> kvKeys(String mount, String prefix) {
        synchronized (state) {
            Mount m = state.mounts.get(slash(mount));
            Set<String> out = new TreeSet<>();
            if (m != null) {
                m.kv.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(out::add);
            }
            return out;
        }
    }

    /** Secrets engines: "secret/" → "kv-v2", "kv-v1" or the engine type. */
    public Map<String, String> mounts() {
        synchronized (state) {
            Map<String, String> out = new TreeMap<>();
            state.mounts.forEach((p, m) -> out.put(p, m.isKvV2() ? "kv-v2" : m.isKvV1() ? "kv-v1" : m.type));
            return out;
        }
    }

    /** Auth methods: "approle/" → "approle", "token/" → "token", ... */
    public Map<String, String> authMethods() {
        synchronized (state) {
            Map<String, String> out = new TreeMap<>();
            state.authMounts.forEach((p, m) -> out.put(p, m.type));
            return out;
        }
    }

    /** Live (unexpired) tokens, wrapping tokens included. */
    public int liveTokenCount() {
        synchronized (state) {
            Instant now = clock.instant();
            return (int) state.tokens.values().stream()
                    .filter(t -> t.expire == null || now.isBefore(t.expire))
                    .count();
        }
    }

    private static String slash(String p) {
        return p.endsWith("/") ? p : p + "/";
    }

    // ------------------------------------------------------------------ HTTP plumbing
    synchronized void startListening() {
        if (server != null) {
            return;
        }
        try {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls != null) {
                HttpsServer s = HttpsServer.create(addr, 50);
                s.setHttpsConfigurator(io.maasops.security.testing.tls.GoCipherChoice.configurator(tls.serverContext));
                server = s;
            } else {
                server = HttpServer.create(addr, 50);
            }
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
            port = server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    synchronized void stopListening() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stopListening();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        cipherSuites.record(ex);
        try (ex) {
            if (faults.takeReset()) {
                // logged with status 0; closing without a status line drops the connection
                requests.add(new Request(
                        ex.getRequestMethod().toUpperCase(),
                        ex.getRequestURI().getPath(),
                        0,
                        Set.of("POST", "PUT", "DELETE", "PATCH")
                                .contains(ex.getRequestMethod().toUpperCase()),
                        ex.getRequestHeaders().getFirst("X-Vault-Namespace")));
                return;
            }
            Duration latency = faults.latency();
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String method = ex.getRequestMethod().toUpperCase();
            String path = ex.getRequestURI().getPath();
            Map<String, List<String>> query =
                    RequestData.query(ex.getRequestURI().getRawQuery());
            boolean list = method.equals("LIST")
                    || (method.equals("GET")
                            && query.containsKey("list")
                            && GO_TRUE.contains(query.get("list").get(0)));
            String namespace = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
            Reply reply;
            if (!path.startsWith("/v1/")) {
                reply = Reply.notFoundEmpty();
            } else if (faults.shouldFail(path)) {
                reply = Reply.multiError(500, "internal error");
            } else {
                reply = dispatch(ex, method, path, query, list, raw);
            }
            String wrapToken = reply.status() == 200 && reply.body() != null
                    ? reply.body().path("wrap_info").path("token").asText("")
                    : "";
            if (!wrapToken.isEmpty() && faults.takeIntercept()) {
                synchronized (state) { // someone else unwraps it first: single use, so it is gone
                    DoubleState.Token w = state.validToken(wrapToken);
                    if (w != null) {
                        faults.recordIntercepted(w.accessor);
                        state.revoke(w);
                    }
                }
            }
            requests.add(new Request(
                    list ? "LIST" : method,
                    path,
                    reply.status(),
                    Set.of("POST", "PUT", "DELETE", "PATCH").contains(method),
                    namespace,
                    loggedBody(raw)));
            VaultFaults.Hold hold = faults.takeHold(list ? "LIST" : method, path);
            if (hold != null) {
                hold.block(); // outside any lock: the double keeps answering everyone else
            }
            write(ex, method, reply);
        }
    }

    private Reply dispatch(
            HttpExchange ex, String method, String path, Map<String, List<String>> query, boolean list, byte[] raw) {
        String operation = list
                ? "list"
                : switch (method) {
                    case "GET", "HEAD" -> "read";
                    case "POST", "PUT" -> "update";
                    case "DELETE" -> "delete";
                    case "PATCH" -> "patch";
                    default -> "unknown";
                };
        if (operation.equals("unknown")) {
            return Reply.error(405);
        }
        ObjectNode body;
        Map<String, Object> data;
        boolean write = method.equals("POST") || method.equals("PUT");
        if (write && RequestData.isForm(raw, ex.getRequestHeaders().getFirst("Content-Type"))) {
            try {
                Map<String, String> form = RequestData.form(new String(raw, StandardCharsets.UTF_8));
                body = RequestData.formBody(form);
                data = new LinkedHashMap<>(form);
            } catch (IllegalArgumentException e) {
                return Reply.error(400, "error parsing form data");
            }
        } else {
            try {
                String text = new String(raw, StandardCharsets.UTF_8);
                JsonNode n = text.isBlank() ? Reply.JSON.createObjectNode() : Reply.JSON.readTree(text);
                if (!n.isObject()) {
                    return Reply.error(400, "failed to parse JSON input: request body must be a JSON object");
                }
                body = (ObjectNode) n;
            } catch (IOException e) {
                return Reply.error(400, "failed to parse JSON input: " + e.getMessage());
            }
            if (write || method.equals("PATCH")) {
                data = RequestData.fromJson(body); // query strings on POST/PUT never reach req.Data
            } else {
                Map<String, List<String>> q = new LinkedHashMap<>(query);
                if (list && method.equals("GET")) {
                    q.remove("list");
                }
                data = RequestData.fromQuery(q);
            }
        }
        String rel = path.substring(4);
        if (list && !rel.endsWith("/")) {
            rel = rel + "/";
        }
        String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if ((token == null || token.isEmpty()) && auth != null && auth.startsWith("Bearer ")) {
            token = auth.substring(7).trim();
        }
        Map<String, String> first = new HashMap<>();
        query.forEach((k, v) -> first.put(k, v.get(0)));
        Call c = new Call(
                method,
                operation,
                rel,
                first,
                body,
                data,
                token,
                ex.getRemoteAddress().getAddress().getHostAddress(),
                ex.getRequestHeaders().getFirst("X-Vault-Wrap-TTL"),
                ex.getRequestHeaders().getFirst("X-Vault-Namespace"));
        synchronized (state) {
            try {
                return router.handle(c);
            } catch (RuntimeException e) {
                return Reply.multiError(500, "double internal error: " + e);
            }
        }
    }

    private static void write(HttpExchange ex, String method, Reply reply) throws IOException {
        if (reply.body() == null || method.equals("HEAD")) {
            if (reply.body() != null) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
            }
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = Reply.JSON.writeValueAsBytes(reply.body());
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static JsonNode loggedBody(byte[] raw) {
        try {
            return raw.length == 0 ? null : Reply.JSON.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    /** For tests that need a raw view of stored JSON. */
    static Map<String, Object> toMap(JsonNode n) {
        return Reply.JSON.convertValue(n, new TypeReference<Map<String, Object>>() {});
    }
}
