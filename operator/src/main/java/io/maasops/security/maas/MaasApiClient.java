package io.maasops.security.maas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.tls.ClientCipherSuites;
import io.maasops.security.tls.TrustAnchors;
import io.maasops.security.util.BoundedHttp;
import io.maasops.security.util.CallOutcome;
import io.maasops.security.util.CallTiming;
import io.maasops.security.util.RemoteText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * The MAAS REST API 2.0 (docs/reference/maas-internals.md §5, §6.2), the one class that knows its paths and wire
 * format. Requests are signed with OAuth 1.0 PLAINTEXT; bodies are form-encoded as MAAS's piston
 * handlers expect; booleans are sent as lowercase {@code true}/{@code false} (MAAS's
 * {@code dismissable} only accepts the literal {@code "true"}). TLS is verified (JDK trust store, or
 * only the given CA).
 */
public final class MaasApiClient implements io.maasops.security.port.MaasApi {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Whole request (connect, headers, body): MAAS answers these small calls in well under a second. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The largest answers are lists of users, notifications or groups: a few KiB each, far below this. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** MAAS's login view, {@code <base>/accounts/login/}, relative to the API root {@code <base>/api/2.0/}. */
    private static final String LOGIN_VIEW = "../../accounts/login/";

    private final URI api;
    private final MaasApiKey key;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    private final OAuthPlaintextSigner signer;
    private final CallTiming timing;

    private MaasApiClient(Builder b) throws CertificateReadException {
        this.timing = b.timing;
        this.api = apiRoot(b.baseUrl);
        this.key = Objects.requireNonNull(b.key, "key");
        this.requestTimeout = b.requestTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.signer = b.signer;
        HttpClient.Builder hb = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslParameters(ClientCipherSuites.parameters());
        if (b.caPem != null) {
            hb.sslContext(sslContextTrusting(b.caPem));
        }
        this.http = hb.build();
    }

    /** {@code baseUrl} is what users type into a browser minus the UI part, e.g. {@code https://maas.example:5443/MAAS}. */
    public static Builder builder(URI baseUrl, MaasApiKey key) {
        return new Builder(baseUrl, key);
    }

    /** The API root, {@code <base>/api/2.0/}. */
    public URI apiRoot() {
        return api;
    }

    // ---- version, users -------------------------------------------------------------------------

    /**
     * {@code GET version/}: MAAS answers {@code {"capabilities": [...], "version": str(get_maas_version()),
     * "subversion": ""}} (maasserver/api/version.py, 3.3 … 3.8), the short version most controllers run, e.g.
     * {@code 3.5.4} or {@code 3.8.0~beta6}; {@code "None"} while no controller has reported one.
     */
    @Override
    public MaasVersion version() throws MaasApiException {
        return read(send("GET", "version/", Map.of(), null), MaasVersion.class, "GET version/");
    }

    /**
     * The external authentication URL MAAS's login view reports ({@code GET <base>/accounts/login/}, anonymous,
     * maasserver/views/account.py: {@code external_auth_url}), or empty when MAAS authenticates locally. MAAS fills it
     * from its {@code external-auth} secret (maasservicelayer/services/external_auth.py get_external_auth): with
     * Canonical RBAC configured it is the RBAC URL plus {@code /auth}; with Candid alone, the Candid URL. No API
     * call shows the RBAC URL itself ({@code rbac_url} is not a config item: get_config answers 400).
     */
    @Override
    public Optional<String> externalAuthUrl() throws MaasApiException {
        // anonymous: no Authorization header outside the API
        Answer r = send("GET", LOGIN_VIEW, Map.of(), null, false);
        try {
            JsonNode url = JSON.readTree(r.body()).path("external_auth_url");
            return url.isTextual() && !url.asText().isEmpty() ? Optional.of(url.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw invalid("GET accounts/login/", r.statusCode(), e);
        }
    }

    public List<MaasUser> listUsers() throws MaasApiException {
        return read(send("GET", "users/", Map.of(), null), new TypeReference<>() {}, "GET users/");
    }

    /** The user the API key belongs to; a cheap credentials check. */
    @Override
    public MaasUser whoami() throws MaasApiException {
        return read(send("GET", "users/", Map.of("op", "whoami"), null), MaasUser.class, "GET users/?op=whoami");
    }

    // ---- notifications --------------------------------------------------------------------------

    /** Notifications relevant to the caller that the caller has not dismissed. */
    public List<MaasNotification> listNotifications() throws MaasApiException {
        return read(send("GET", "notifications/", Map.of(), null), new TypeReference<>() {}, "GET notifications/");
    }

    public MaasNotification getNotification(int id) throws MaasApiException {
        String p = "notifications/" + id + "/";
        return read(send("GET", p, Map.of(), null), MaasNotification.class, "GET " + p);
    }

    public MaasNotification createNotification(NotificationRequest req) throws MaasApiException {
        return read(
                send("POST", "notifications/", Map.of(), notificationForm(req)),
                MaasNotification.class,
                "POST notifications/");
    }

    /** Updates in place: the row (and so every user's dismissal of it) is kept. */
    public MaasNotification updateNotification(int id, NotificationRequest req) throws MaasApiException {
        String p = "notifications/" + id + "/";
        return read(send("PUT", p, Map.of(), notificationForm(req)), MaasNotification.class, "PUT " + p);
    }

    public void deleteNotification(int id) throws MaasApiException {
        send("DELETE", "notifications/" + id + "/", Map.of(), null);
    }

    /** Dismisses for the caller only (MAAS keeps one dismissal per user). */
    public void dismissNotification(int id) throws MaasApiException {
        send("POST", "notifications/" + id + "/", Map.of("op", "dismiss"), Map.of());
    }

    static Map<String, String> notificationForm(NotificationRequest r) {
        Map<String, String> f = new LinkedHashMap<>();
        putIfSet(f, "message", r.message());
        if (r.context() != null) {
            try {
                f.put("context", JSON.writeValueAsString(r.context()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("context is not serialisable as JSON", e);
            }
        }
        putIfSet(f, "category", r.category());
        putIfSet(f, "ident", r.ident());
        putIfSet(f, "user", r.user());
        putBool(f, "users", r.users());
        putBool(f, "admins", r.admins());
        putBool(f, "dismissable", r.dismissable());
        return f;
    }

    // ---- controllers -----------------------------------------------------------------------------

    public List<MaasController> listRackControllers() throws MaasApiException {
        return read(send("GET", "rackcontrollers/", Map.of(), null), new TypeReference<>() {}, "GET rackcontrollers/");
    }

    // ---- resource pools (note the singular resourcepool/{id}/ path) ------------------------------

    public List<ResourcePool> listResourcePools() throws MaasApiException {
        return read(send("GET", "resourcepools/", Map.of(), null), new TypeReference<>() {}, "GET resourcepools/");
    }

    /** By id or by name (MAAS accepts both in the same path). */
    public Optional<ResourcePool> findResourcePool(String idOrName) throws MaasApiException {
        String p = "resourcepool/" + pathSegment(idOrName) + "/";
        try {
            return Optional.of(read(send("GET", p, Map.of(), null), ResourcePool.class, "GET " + p));
        } catch (MaasApiException e) {
            if (e.kind() == MaasApiException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public ResourcePool createResourcePool(String name, String description) throws MaasApiException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        putIfSet(f, "description", description);
        return read(send("POST", "resourcepools/", Map.of(), f), ResourcePool.class, "POST resourcepools/");
    }

    public void deleteResourcePool(int id) throws MaasApiException {
        send("DELETE", "resourcepool/" + id + "/", Map.of(), null);
    }

    // ---- user groups and entitlements (MAAS 3.8) -------------------------------------------------

    /** False when this MAAS has no {@code /groups/} API (before 3.8). */
    public boolean supportsGroups() throws MaasApiException {
        try {
            listGroups();
            return true;
        } catch (MaasApiException e) {
            if (e.kind() == MaasApiException.Kind.GROUPS_API_UNSUPPORTED) {
                return false;
            }
            throw e;
        }
    }

    public List<UserGroup> listGroups() throws MaasApiException {
        return read(groups("GET", "groups/", Map.of(), null), new TypeReference<>() {}, "GET groups/");
    }

    public UserGroup getGroup(int id) throws MaasApiException {
        String p = "groups/" + id + "/";
        return read(groups("GET", p, Map.of(), null), UserGroup.class, "GET " + p);
    }

    public UserGroup createGroup(String name, String description) throws MaasApiException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        putIfSet(f, "description", description);
        return read(groups("POST", "groups/", Map.of(), f), UserGroup.class, "POST groups/");
    }

    /** Null arguments are left unchanged. */
    public UserGroup updateGroup(int id, String name, String description) throws MaasApiException {
        Map<String, String> f = new LinkedHashMap<>();
        putIfSet(f, "name", name);
        putIfSet(f, "description", description);
        String p = "groups/" + id + "/";
        return read(groups("PUT", p, Map.of(), f), UserGroup.class, "PUT " + p);
    }

    public void deleteGroup(int id) throws MaasApiException {
        groups("DELETE", "groups/" + id + "/", Map.of(), null);
    }

    public List<GroupMember> listGroupMembers(int groupId) throws MaasApiException {
        String p = "groups/" + groupId + "/";
        return read(
                groups("GET", p, Map.of("op", "list_members"), null),
                new TypeReference<>() {},
                "GET " + p + "?op=list_members");
    }

    /** 409 ({@link MaasApiException.Kind#CONFLICT}) when already a member. */
    public void addGroupMember(int groupId, String username) throws MaasApiException {
        groups("POST", "groups/" + groupId + "/", Map.of("op", "add_member"), Map.of("username", username));
    }

    public void removeGroupMember(int groupId, String username) throws MaasApiException {
        groups("POST", "groups/" + groupId + "/", Map.of("op", "remove_member"), Map.of("username", username));
    }

    public List<Entitlement> listEntitlements(int groupId) throws MaasApiException {
        String p = "groups/" + groupId + "/";
        return read(
                groups("GET", p, Map.of("op", "list_entitlements"), null),
                new TypeReference<>() {},
                "GET " + p + "?op=list_entitlements");
    }

    public void addEntitlement(int groupId, Entitlement e) throws MaasApiException {
        groups("POST", "groups/" + groupId + "/", Map.of("op", "add_entitlement"), entitlementForm(e));
    }

    public void removeEntitlement(int groupId, Entitlement e) throws MaasApiException {
        groups("POST", "groups/" + groupId + "/", Map.of("op", "remove_entitlement"), entitlementForm(e));
    }

    private static Map<String, String> entitlementForm(Entitlement e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("resource_type", e.resourceType());
        f.put("resource_id", Long.toString(e.resourceId()));
        f.put("entitlement", e.entitlement());
        return f;
    }

    /** A 404 from a MAAS without the groups API is "unsupported", not "group not found". */
    private Answer groups(String method, String path, Map<String, String> query, Map<String, String> form)
            throws MaasApiException {
        try {
            return send(method, path, query, form);
        } catch (MaasApiException e) {
            if (e.status() == 404 && (path.equals("groups/") || !isMaasNotFound(e.maasMessage()))) {
                throw new MaasApiException(
                        MaasApiException.Kind.GROUPS_API_UNSUPPORTED,
                        404,
                        "MAAS has no user groups API (needs MAAS 3.8 or later): " + e.getMessage(),
                        e.maasMessage(),
                        e);
            }
            throw e;
        }
    }

    /**
     * MAAS's groups handler names the missing object (usergroups.py: "UserGroup with id N not found.",
     * "User 'x' not found.", "ResourcePool with id N not found."); any other 404 body (an unknown
     * endpoint, Django's "Not Found" page) means the endpoint itself is missing.
     */
    private static boolean isMaasNotFound(String body) {
        return body != null
                && (body.startsWith("UserGroup with id ")
                        || body.startsWith("User '")
                        || body.startsWith("ResourcePool with id "))
                && body.endsWith("not found.");
    }

    // ---- config ---------------------------------------------------------------------------------

    /** {@code GET /maas/?op=get_config&name=...}: the JSON value (string, number, bool or null). */
    @Override
    public JsonNode getConfig(String name) throws MaasApiException {
        Answer r = send("GET", "maas/", ordered("op", "get_config", "name", name), null);
        try {
            return JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw invalid("GET maas/?op=get_config", r.statusCode(), e);
        }
    }

    public void setConfig(String name, String value) throws MaasApiException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("value", value);
        send("POST", "maas/", Map.of("op", "set_config"), f);
    }

    // ---- transport ------------------------------------------------------------------------------

    /** A successful answer: status and body (UTF-8). */
    private record Answer(int statusCode, String body) {}

    private Answer send(String method, String path, Map<String, String> query, Map<String, String> form)
            throws MaasApiException {
        return send(method, path, query, form, true);
    }

    private Answer send(String method, String path, Map<String, String> query, Map<String, String> form, boolean sign)
            throws MaasApiException {
        String what = method + " " + path + (query.containsKey("op") ? "?op=" + query.get("op") : "");
        URI uri = api.resolve(path + (query.isEmpty() ? "" : "?" + formEncode(query)));
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
        if (sign) {
            rb.header("Authorization", signer.authorizationHeader(key));
        }
        if (form != null) {
            rb.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(formEncode(form)));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        String operation = operationName(method, path, query);
        long start = System.nanoTime();
        try {
            response = BoundedHttp.send(http, rb.build(), requestTimeout, maxResponseBytes);
        } catch (InterruptedIOException e) {
            timing.recordSafely(operation, CallOutcome.ofFailure(e), start);
            Thread.currentThread().interrupt();
            throw new MaasApiException(
                    MaasApiException.Kind.UNREACHABLE, 0, "MAAS API " + what + ": interrupted", null, e);
        } catch (BoundedHttp.TooLarge e) {
            timing.recordSafely(operation, CallOutcome.ofFailure(e), start);
            throw new MaasApiException(
                    MaasApiException.Kind.INVALID_RESPONSE, 0, "MAAS API " + what + ": " + e.getMessage(), null, e);
        } catch (IOException e) {
            timing.recordSafely(operation, CallOutcome.ofFailure(e), start);
            throw transportFailure(what, e);
        }
        timing.recordSafely(operation, CallOutcome.ofStatus(response.statusCode()), start);
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status >= 200 && status < 300) {
            return new Answer(status, text);
        }
        // The URL is chosen by a namespace author: what any server answers reaches a status only as a short excerpt.
        String body = RemoteText.excerpt(text);
        throw new MaasApiException(
                MaasApiException.kindForStatus(status),
                status,
                "MAAS API " + what + " failed with HTTP " + status + (body.isEmpty() ? "" : ": " + body),
                body,
                null);
    }

    /**
     * The metric label of one request: method, the collection (an id or name in the path becomes
     * {id}) and MAAS's op, e.g. {@code POST groups/{id}/?op=add_member}. A bounded set: nothing from a spec.
     */
    static String operationName(String method, String path, Map<String, String> query) {
        if (path.startsWith("../")) {
            return method + " " + path.replace("../", "");
        }
        int slash = path.indexOf('/');
        String collection = slash < 0 ? path : path.substring(0, slash + 1);
        boolean item = slash >= 0 && slash < path.length() - 1;
        String op = query.get("op");
        return method + " " + collection + (item ? "{id}/" : "") + (op == null ? "" : "?op=" + op);
    }

    private MaasApiException transportFailure(String what, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new MaasApiException(
                        MaasApiException.Kind.TLS,
                        0,
                        "MAAS API " + what + ": TLS failure: " + RemoteText.excerpt(t.getMessage()),
                        null,
                        e);
            }
        }
        // the JDK quotes what the server sent in some messages (e.g. an invalid status line)
        String reason = e instanceof HttpConnectTimeoutException
                ? "connect timed out"
                : e instanceof BoundedHttp.DeadlineExceeded
                        ? "request timed out (" + e.getMessage() + ")"
                        : e instanceof HttpTimeoutException
                                ? "request timed out"
                                : e instanceof ConnectException
                                        ? "connection refused"
                                        : RemoteText.excerpt(e.getMessage());
        return new MaasApiException(
                MaasApiException.Kind.UNREACHABLE,
                0,
                "MAAS API " + what + " at " + api.getHost() + ": " + reason,
                null,
                e);
    }

    private static <T> T read(Answer r, Class<T> type, String what) throws MaasApiException {
        try {
            return JSON.readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw invalid(what, r.statusCode(), e);
        }
    }

    private static <T> T read(Answer r, TypeReference<T> type, String what) throws MaasApiException {
        try {
            return JSON.readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw invalid(what, r.statusCode(), e);
        }
    }

    private static MaasApiException invalid(String what, int status, JsonProcessingException e) {
        return new MaasApiException(
                MaasApiException.Kind.INVALID_RESPONSE,
                status,
                "MAAS API " + what + " returned an unreadable body: " + RemoteText.excerpt(e.getOriginalMessage()),
                null,
                e);
    }

    static String formEncode(Map<String, String> fields) {
        StringJoiner j = new StringJoiner("&");
        fields.forEach((k, v) -> j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    private static String pathSegment(String s) {
        if (s.isEmpty() || s.contains("/") || s.equals(".") || s.equals("..")) {
            throw new IllegalArgumentException("not a valid resource pool id or name");
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void putIfSet(Map<String, String> f, String k, String v) {
        if (v != null) {
            f.put(k, v);
        }
    }

    private static void putBool(Map<String, String> f, String k, Boolean v) {
        if (v != null) {
            f.put(k, v ? "true" : "false");
        }
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static URI apiRoot(URI base) {
        Objects.requireNonNull(base, "baseUrl");
        String s = base.toString();
        if (!s.startsWith("https://") && !s.startsWith("http://")) {
            throw new IllegalArgumentException("MAAS URL must be http(s)://host[:port]/MAAS, got " + s);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s + "/api/2.0/");
    }

    private static SSLContext sslContextTrusting(byte[] caPem) throws CertificateReadException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TrustAnchors.fromPem(caPem)}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise TLS", e);
        }
    }

    /** Options; TLS verification cannot be turned off, only pointed at a CA. */
    public static final class Builder {
        private final URI baseUrl;
        private final MaasApiKey key;
        private byte[] caPem;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private OAuthPlaintextSigner signer = new OAuthPlaintextSigner();
        private CallTiming timing = CallTiming.NONE;

        private Builder(URI baseUrl, MaasApiKey key) {
            this.baseUrl = baseUrl;
            this.key = key;
        }

        /** Trust only these CA certificates (PEM) instead of the JDK trust store. */
        public Builder caPem(byte[] caPem) {
            this.caPem = caPem == null ? null : caPem.clone();
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** The whole-request deadline: connect, response headers and body. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** The largest answer accepted; a longer one is refused (INVALID_RESPONSE) without being read. */
        public Builder maxResponseBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public Builder signer(OAuthPlaintextSigner signer) {
            this.signer = Objects.requireNonNull(signer);
            return this;
        }

        /** Told the duration and outcome of every request (metrics). */
        public Builder timing(CallTiming timing) {
            this.timing = Objects.requireNonNull(timing);
            return this;
        }

        /** Fails only when the CA PEM cannot be read. */
        public MaasApiClient build() throws CertificateReadException {
            return new MaasApiClient(this);
        }
    }
}
