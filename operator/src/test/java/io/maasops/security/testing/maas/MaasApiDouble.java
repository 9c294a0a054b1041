package io.maasops.security.testing.maas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.maasops.security.testing.maas.MaasDoubleStore.Group;
import io.maasops.security.testing.maas.MaasDoubleStore.Notification;
import io.maasops.security.testing.maas.MaasDoubleStore.Pool;
import io.maasops.security.testing.maas.MaasDoubleStore.User;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A stateful double of the MAAS REST API 2.0 subset the operator uses (docs/reference/maas-internals.md §5, §6.2),
 * on 127.0.0.1 with a random port: OAuth 1.0 PLAINTEXT checks (401 otherwise), notifications with
 * MAAS's quirks (dismissable only for the literal "true", ident at most 40 characters and unique,
 * per-user dismissal hidden from that user's list), version, users, resource pools (singular
 * {@code resourcepool/{id}/} path), 3.8 user groups with members and entitlements (seeded
 * "Administrators" and "Users"), and get/set config. Outside the API: the login view
 * {@code /MAAS/accounts/login/} (anonymous), which reports the external authentication URL (Candid,
 * or Canonical RBAC's {@code <rbac-url>/auth}).
 *
 * <p>Bodies are read as {@code application/x-www-form-urlencoded} (multipart is not implemented).
 * The request log holds method, path, op, user and status: never headers or credentials.
 */
public final class MaasApiDouble implements AutoCloseable {

    public static final String API_PREFIX = "/MAAS/api/2.0/";
    /** maasserver/urls.py {@code accounts/login/} (maasserver/views/account.py login). */
    public static final String LOGIN_VIEW = "/MAAS/accounts/login/";
    /** maasserver/api/version.py API_CAPABILITIES_LIST (the same on 3.3 … 3.8). */
    static final List<String> CAPABILITIES = List.of(
            "networks-management",
            "static-ipaddresses",
            "ipv6-deployment-ubuntu",
            "devices-management",
            "storage-deployment-ubuntu",
            "network-deployment-ubuntu",
            "bridging-interface-ubuntu",
            "bridging-automatic-ubuntu",
            "authenticate-api");

    public static final String VERSION = "3.8.0";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID_PATH = Pattern.compile("^(notifications|resourcepool|groups)/([^/]+)/$");

    /** One handled request. Never holds headers, bodies or credentials. */
    public record LoggedRequest(String method, String path, String op, String username, int status) {
        @Override
        public String toString() {
            return method + " " + path + (op == null ? "" : "?op=" + op) + " user=" + username + " -> " + status;
        }
    }

    private final Object lock = new Object();
    private final io.maasops.security.testing.tls.GoCipherChoice cipherSuites =
            new io.maasops.security.testing.tls.GoCipherChoice();
    private final MaasDoubleStore store = new MaasDoubleStore();
    private final List<LoggedRequest> log = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String scheme;
    private final User admin;
    private boolean groupsApiEnabled = true;
    private String version = VERSION;
    private io.maasops.security.testing.MaasRelease release = io.maasops.security.testing.MaasRelease.NEWEST;
    /** What the login view reports as external_auth_url (from MAAS's external-auth secret); null: none. */
    private String externalAuthUrl;
    /** A group another admin creates just before the next POST groups/ is handled: {name, description}. */
    private String[] racingGroup;
    /** Controllers MAAS knows, by hostname: their node type (maasserver/enum.py NODE_TYPE). */
    private final Map<String, Integer> controllers = new java.util.TreeMap<>();

    private final List<Fault> faults = new ArrayList<>();
    private static final int MAX_LOG = 10_000;

    /** An injected failure: the next {@code times} requests whose API path starts with {@code pathPrefix}. */
    private static final class Fault {
        final String pathPrefix;
        final int status;
        final String body;
        int remaining;

        Fault(String pathPrefix, int status, String body, int times) {
            this.pathPrefix = pathPrefix;
            this.status = status;
            this.body = body;
            this.remaining = times;
        }
    }

    private MaasApiDouble(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(io.maasops.security.testing.tls.GoCipherChoice.configurator(tls));
            server = https;
            scheme = "https";
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "maas-api-double");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        admin = addUserInternal("admin", true);
        server.start();
    }

    /** Plain HTTP. */
    public static MaasApiDouble start() throws IOException {
        return new MaasApiDouble(null);
    }

    /** HTTPS with the given server context (key + chain). */
    public static MaasApiDouble startHttps(SSLContext serverContext) throws IOException {
        return new MaasApiDouble(serverContext);
    }

    /** The TLS cipher suites clients negotiated with this double (a Go server's choice: docs/reference/tls.md §1). */
    public java.util.Set<String> negotiatedCipherSuites() {
        return cipherSuites.negotiated();
    }

    /** What a user configures as the MAAS URL, e.g. {@code http://127.0.0.1:41234/MAAS}. */
    public URI baseUrl() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/MAAS");
    }

    /** The seeded admin's API key, {@code consumer:token:secret}. */
    public String apiKey() {
        return keyOf(admin);
    }

    public String adminUsername() {
        return admin.username;
    }

    // ---- test helpers ---------------------------------------------------------------------------

    /** Adds a user and returns its API key. Superusers join "Administrators", others "Users". */
    public String addUser(String username, boolean superuser) {
        synchronized (lock) {
            return keyOf(addUserInternal(username, superuser));
        }
    }

    /** As an administrator does in MAAS's UI (or {@code maas $PROFILE user update}): grants or takes admin rights. */
    public MaasApiDouble setSuperuser(String username, boolean superuser) {
        synchronized (lock) {
            store.setSuperuser(store.findUser(username).orElseThrow(), superuser);
        }
        return this;
    }

    public int userId(String username) {
        synchronized (lock) {
            return store.findUser(username).orElseThrow().id;
        }
    }

    public int addPool(String name, String description) {
        synchronized (lock) {
            return store.createPool(name, description).id;
        }
    }

    /**
     * Answers as {@code release} does: its version, the groups API only from 3.8 (404 before), its
     * seeded "Users" entitlements.
     */
    public MaasApiDouble release(io.maasops.security.testing.MaasRelease release) {
        synchronized (lock) {
            this.release = release;
            version = release.version();
            groupsApiEnabled = release.groupsApi();
            store.reseedUsers(release.usersSeed());
        }
        return this;
    }

    /**
     * As {@code sudo maas configauth --rbac-url URL} leaves MAAS: the external-auth secret holds {@code rbac-url};
     * the login view then reports {@code URL/auth} (maasservicelayer/services/external_auth.py), and on 3.8 every
     * permission check asks only {@code is_superuser} (maasserver/api/support.py). {@code null} removes it (as
     * {@code --rbac-url ''}). Refused on a release without Canonical RBAC (master removed it).
     */
    public MaasApiDouble canonicalRbac(String rbacUrl) {
        synchronized (lock) {
            if (rbacUrl != null && !release.canonicalRbac()) {
                throw new IllegalStateException("MAAS " + release + " has no Canonical RBAC");
            }
            externalAuthUrl = rbacUrl == null ? null : stripSlashes(rbacUrl) + "/auth";
            store.canonicalRbac = rbacUrl != null;
        }
        return this;
    }

    /**
     * A controller MAAS knows: {@code nodeType} 2 rack-only, 3 region, 4 region and rack (NODE_TYPE). {@code GET
     * rackcontrollers/} lists types 2 and 4 (RackControllerManager), {@code GET regioncontrollers/} 3 and 4.
     */
    public MaasApiDouble addController(String hostname, int nodeType) {
        synchronized (lock) {
            controllers.put(hostname, nodeType);
        }
        return this;
    }

    /** Candid alone ({@code configauth --candid-agent-file …}): the login view reports the Candid URL; OpenFGA still decides. */
    public MaasApiDouble candid(String candidUrl) {
        synchronized (lock) {
            externalAuthUrl = candidUrl == null ? null : stripSlashes(candidUrl);
            store.canonicalRbac = false;
        }
        return this;
    }

    public MaasApiDouble deleteController(String hostname) {
        synchronized (lock) {
            controllers.remove(hostname);
        }
        return this;
    }

    private static String stripSlashes(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Another administrator creates group {@code name} an instant before the next {@code POST groups/} is handled,
     * i.e. after the caller listed the groups and found no such name (MAAS then answers the caller's create with 500).
     */
    public MaasApiDouble groupCreatedBeforeNextCreate(String name, String description) {
        synchronized (lock) {
            racingGroup = new String[] {name, description};
        }
        return this;
    }

    private List<Map<String, Object>> controllersOfTypes(List<Integer> types) {
        return controllers.entrySet().stream()
                .filter(e -> types.contains(e.getValue()))
                .map(e -> Map.<String, Object>of(
                        "system_id",
                        "c" + Integer.toString(Math.floorMod(e.getKey().hashCode(), 36 * 36 * 36 * 36 * 36), 36),
                        "hostname",
                        e.getKey(),
                        "node_type",
                        e.getValue(),
                        "node_type_name",
                        switch (e.getValue()) {
                            case 2 -> "Rack controller";
                            case 3 -> "Region controller";
                            default -> "Region and rack controller";
                        }))
                .toList();
    }

    /** Simulates MAAS before 3.8: every {@code /groups/} path answers 404. */
    public MaasApiDouble groupsApiEnabled(boolean enabled) {
        synchronized (lock) {
            groupsApiEnabled = enabled;
        }
        return this;
    }

    /**
     * Makes the next {@code times} requests under {@code pathPrefix} (relative to the API root, e.g.
     * {@code "notifications/"}, or {@code ""} for all) answer {@code status} with a text body, after
     * authentication. For testing error handling (e.g. 503 while MAAS restarts).
     */
    public MaasApiDouble injectFailure(String pathPrefix, int status, String body, int times) {
        synchronized (lock) {
            faults.add(new Fault(pathPrefix, status, body, times));
        }
        return this;
    }

    public Optional<Integer> poolId(String name) {
        synchronized (lock) {
            return store.pools.values().stream()
                    .filter(p -> p.name.equals(name))
                    .map(p -> p.id)
                    .findFirst();
        }
    }

    /** A snapshot of a stored notification, including who dismissed it. */
    public record StoredNotification(
            int id,
            String ident,
            boolean admins,
            boolean users,
            String message,
            Map<String, Object> context,
            String category,
            boolean dismissable,
            Set<String> dismissedBy) {}

    /** All notifications, dismissed or not. */
    public List<StoredNotification> notifications() {
        synchronized (lock) {
            List<StoredNotification> out = new ArrayList<>();
            for (Notification n : store.notifications.values()) {
                Set<String> by = new LinkedHashSet<>();
                n.dismissedBy.forEach(id -> by.add(store.users.get(id).username));
                out.add(new StoredNotification(
                        n.id,
                        n.ident,
                        n.admins,
                        n.users,
                        n.message,
                        Map.copyOf(n.context),
                        n.category,
                        n.dismissable,
                        Set.copyOf(by)));
            }
            return out;
        }
    }

    public Optional<StoredNotification> notificationByIdent(String ident) {
        return notifications().stream().filter(n -> ident.equals(n.ident())).findFirst();
    }

    /** Dismisses as the given user, as the UI would. */
    public void dismissAs(String username, int notificationId) {
        synchronized (lock) {
            store.dismiss(
                    store.notification(notificationId), store.findUser(username).orElseThrow());
        }
    }

    public Optional<Integer> groupId(String name) {
        synchronized (lock) {
            return store.groupByName(name).map(g -> g.id);
        }
    }

    /** "type:id:entitlement" strings of a group, for assertions. */
    public Set<String> entitlementsOf(String groupName) {
        synchronized (lock) {
            Set<String> out = new LinkedHashSet<>();
            store.groupByName(groupName)
                    .orElseThrow()
                    .entitlements
                    .forEach(t -> out.add(t.resourceType() + ":" + t.resourceId() + ":" + t.entitlement()));
            return out;
        }
    }

    public Set<String> membersOf(String groupName) {
        synchronized (lock) {
            Set<String> out = new LinkedHashSet<>();
            store.groupByName(groupName).orElseThrow().members.forEach(id -> out.add(store.users.get(id).username));
            return out;
        }
    }

    public Object config(String name) {
        synchronized (lock) {
            return store.config.get(name);
        }
    }

    public List<LoggedRequest> requestLog() {
        synchronized (lock) {
            return List.copyOf(log);
        }
    }

    public String requestLogText() {
        StringBuilder sb = new StringBuilder();
        requestLog().forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private User addUserInternal(String username, boolean superuser) {
        return store.addUser(username, superuser, random(9), random(9), random(16));
    }

    private static String keyOf(User u) {
        return u.consumerKey + ":" + u.tokenKey + ":" + u.tokenSecret;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- HTTP -----------------------------------------------------------------------------------

    private record Reply(int status, String body, String contentType) {
        static Reply json(Object value) {
            try {
                return new Reply(200, JSON.writeValueAsString(value), "application/json");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply ok() {
            return new Reply(200, "OK", "text/plain; charset=utf-8");
        }

        static Reply deleted() {
            return new Reply(204, "", "text/plain; charset=utf-8");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        cipherSuites.record(ex);
        try (ex) {
            String method = ex.getRequestMethod();
            String fullPath = ex.getRequestURI().getRawPath();
            Map<String, String> query = parseForm(ex.getRequestURI().getRawQuery());
            Map<String, String> form;
            try (InputStream in = ex.getRequestBody()) {
                form = parseForm(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String op = query.get("op");
            Reply reply;
            String username = null;
            synchronized (lock) {
                try {
                    if (fullPath.equals(LOGIN_VIEW) && method.equals("GET")) {
                        reply = loginView();
                    } else {
                        if (!fullPath.startsWith(API_PREFIX)) {
                            throw MaasDoubleError.text(404, "Unknown API endpoint: " + fullPath + ".");
                        }
                        String path = fullPath.substring(API_PREFIX.length());
                        Optional<User> caller =
                                authenticate(ex.getRequestHeaders().getFirst("Authorization"));
                        username = caller.map(u -> u.username).orElse(null);
                        if (caller.isEmpty() && !(path.equals("version/") && method.equals("GET"))) {
                            throw MaasDoubleError.text(
                                    401, "Authorization Error: Invalid or missing OAuth credentials.");
                        }
                        Fault fault = faults.stream()
                                .filter(f -> path.startsWith(f.pathPrefix))
                                .findFirst()
                                .orElse(null);
                        if (fault != null) {
                            if (--fault.remaining <= 0) {
                                faults.remove(fault);
                            }
                            throw MaasDoubleError.text(fault.status, fault.body);
                        }
                        reply = route(method, path, op, query, form, caller.orElse(null), fullPath);
                    }
                } catch (MaasDoubleError e) {
                    reply = new Reply(e.status, e.body, e.json ? "application/json" : "text/plain; charset=utf-8");
                }
                if (log.size() >= MAX_LOG) {
                    log.remove(0);
                }
                log.add(new LoggedRequest(method, fullPath, op, username, reply.status()));
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            if (reply.status() == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "OAuth realm=\"OAuth\"");
            }
            if (reply.status() == 204) {
                ex.sendResponseHeaders(204, -1);
            } else {
                ex.sendResponseHeaders(reply.status(), body.length);
                ex.getResponseBody().write(body);
            }
        }
    }

    /**
     * OAuth 1.0 PLAINTEXT: consumer key and token must name a user and the signature must be
     * {@code &token_secret} (empty consumer secret). Quotes optional, values percent-decoded, as
     * MAAS's OAuth header parser does.
     */
    private Optional<User> authenticate(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (!header.startsWith("OAuth ")) {
            throw MaasDoubleError.text(401, "Authorization Error: Invalid or missing OAuth credentials.");
        }
        Map<String, String> p = new LinkedHashMap<>();
        for (String part : header.substring(6).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq).strip();
            String v = part.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            p.put(k, URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        Optional<User> u = "PLAINTEXT".equals(p.get("oauth_signature_method"))
                        && p.containsKey("oauth_consumer_key")
                        && p.containsKey("oauth_token")
                        && p.containsKey("oauth_nonce")
                        && p.containsKey("oauth_timestamp")
                ? store.userByToken(p.get("oauth_consumer_key"), p.get("oauth_token"))
                : Optional.empty();
        if (u.isEmpty() || !("&" + u.get().tokenSecret).equals(p.get("oauth_signature"))) {
            throw MaasDoubleError.text(401, "Authorization Error: Invalid or missing OAuth credentials.");
        }
        return u;
    }

    /**
     * maasserver/views/account.py {@code login} (GET): a Django view, not the API (no OAuth); "authenticated" is
     * about a session cookie, which API clients do not have.
     */
    private Reply loginView() {
        Map<String, Object> login = new LinkedHashMap<>();
        login.put("authenticated", false);
        login.put("external_auth_url", externalAuthUrl);
        // UserProfile.objects.all_users(): MAAS's own users have no profile
        login.put(
                "no_users",
                store.users.values().stream().allMatch(u -> MaasDoubleStore.SYSTEM_USERS.contains(u.username)));
        return new Reply(200, pythonDumps(login), "application/json");
    }

    /**
     * Python's {@code json.dumps} with its default separators ({@code ", "} and {@code ": "}), as MAAS's views and
     * the version handler write: for flat objects of strings, booleans, null and lists of strings.
     */
    static String pythonDumps(Map<String, Object> object) {
        try {
            StringBuilder sb = new StringBuilder("{");
            for (var e : object.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(JSON.writeValueAsString(e.getKey())).append(": ");
                if (e.getValue() instanceof List<?> list) {
                    List<String> items = new ArrayList<>();
                    for (Object o : list) {
                        items.add(JSON.writeValueAsString(o));
                    }
                    sb.append('[').append(String.join(", ", items)).append(']');
                } else {
                    sb.append(JSON.writeValueAsString(e.getValue()));
                }
            }
            return sb.append('}').toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply route(
            String method,
            String path,
            String op,
            Map<String, String> query,
            Map<String, String> form,
            User caller,
            String fullPath) {
        if (path.equals("version/") && method.equals("GET")) {
            // maasserver/api/version.py: json.dumps of these three keys, in this order, charset in the content type
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("capabilities", CAPABILITIES);
            v.put("version", version);
            v.put("subversion", "");
            return new Reply(200, pythonDumps(v), "application/json; charset=utf-8");
        }
        if (path.equals("users/") && method.equals("GET")) {
            return "whoami".equals(op) ? Reply.json(caller.json()) : Reply.json(store.listUsers());
        }
        if (path.equals("notifications/")) {
            switch (method) {
                case "GET":
                    return Reply.json(store.listNotificationsFor(caller));
                case "POST":
                    store.require(caller, "can_edit_notifications");
                    return Reply.json(store.notificationJson(store.createNotification(form, this::parseContext)));
                default:
                    break;
            }
        }
        if (path.equals("rackcontrollers/") && method.equals("GET") && op == null) {
            return Reply.json(controllersOfTypes(List.of(2, 4)));
        }
        if (path.equals("regioncontrollers/") && method.equals("GET") && op == null) {
            return Reply.json(controllersOfTypes(List.of(3, 4)));
        }
        if (path.equals("resourcepools/")) {
            switch (method) {
                case "GET":
                    return Reply.json(
                            store.pools.values().stream().map(Pool::json).toList());
                case "POST":
                    store.require(caller, "can_edit_machines");
                    return Reply.json(store.createPool(form.get("name"), form.get("description"))
                            .json());
                default:
                    break;
            }
        }
        if (path.startsWith("groups/") && !groupsApiEnabled) {
            throw MaasDoubleError.text(404, "Unknown API endpoint: " + fullPath + ".");
        }
        if (path.equals("groups/")) {
            switch (method) {
                case "GET":
                    store.require(caller, "can_view_identities");
                    return Reply.json(
                            store.groups.values().stream().map(Group::json).toList());
                case "POST":
                    store.require(caller, "can_edit_identities");
                    if (racingGroup != null) {
                        store.createGroup(racingGroup[0], racingGroup[1]);
                        racingGroup = null;
                    }
                    return Reply.json(store.createGroup(form.get("name"), form.get("description"))
                            .json());
                default:
                    break;
            }
        }
        if (path.equals("maas/")) {
            if (method.equals("GET") && "get_config".equals(op)) {
                // maasserver/api/maas.py get_config: no admin_method nor check_permission (3.3 … 3.8, master), so any
                // authenticated user reads any setting; set_config needs the permission
                return Reply.json(store.getConfig(query.get("name")));
            }
            if (method.equals("POST") && "set_config".equals(op)) {
                store.require(caller, "can_edit_configurations");
                store.setConfig(form.get("name"), form.get("value"));
                return Reply.ok();
            }
        }
        Matcher m = ID_PATH.matcher(path);
        if (m.matches()) {
            String id = m.group(2);
            switch (m.group(1)) {
                case "notifications":
                    return notificationById(method, op, id, form, caller);
                case "resourcepool":
                    return poolById(method, id, form, caller);
                case "groups":
                    return groupById(method, op, id, form, caller);
                default:
                    break;
            }
        }
        throw MaasDoubleError.text(404, "Unknown API endpoint: " + fullPath + ".");
    }

    private Reply notificationById(String method, String op, String id, Map<String, String> form, User caller) {
        if (!id.chars().allMatch(Character::isDigit)) {
            throw MaasDoubleError.text(404, "No Notification matches the given query.");
        }
        Notification n = store.notification(Integer.parseInt(id));
        switch (method) {
            case "GET":
                if (!store.relevant(n, caller) && !caller.superuser) {
                    throw MaasDoubleError.text(403, "You do not have permission to view this notification.");
                }
                return Reply.json(store.notificationJson(n));
            case "PUT":
                store.require(caller, "can_edit_notifications");
                store.applyNotificationForm(n, form, this::parseContext, false);
                return Reply.json(store.notificationJson(n));
            case "DELETE":
                store.require(caller, "can_edit_notifications");
                store.notifications.remove(n.id);
                return Reply.deleted();
            case "POST":
                if ("dismiss".equals(op)) {
                    store.dismiss(n, caller);
                    return Reply.ok();
                }
                break;
            default:
                break;
        }
        throw MaasDoubleError.text(405, "Method not allowed");
    }

    private Reply poolById(String method, String id, Map<String, String> form, User caller) {
        Pool p = store.pool(URLDecoder.decode(id, StandardCharsets.UTF_8));
        switch (method) {
            case "GET":
                return Reply.json(p.json());
            case "PUT":
                store.require(caller, "can_edit_machines");
                store.updatePool(p, form);
                return Reply.json(p.json());
            case "DELETE":
                store.require(caller, "can_edit_machines");
                if (p.id == 0) {
                    // MAAS refuses to delete the default pool; its exact text is not in the reference.
                    throw MaasDoubleError.text(400, "Cannot delete the default pool.");
                }
                store.pools.remove(p.id);
                return Reply.deleted();
            default:
                throw MaasDoubleError.text(405, "Method not allowed");
        }
    }

    private Reply groupById(String method, String op, String id, Map<String, String> form, User caller) {
        boolean read = method.equals("GET");
        store.require(caller, read ? "can_view_identities" : "can_edit_identities");
        Group g = store.group(id);
        if (read && op == null) {
            return Reply.json(g.json());
        }
        if (read && op.equals("list_members")) {
            return Reply.json(store.members(g));
        }
        if (read && op.equals("list_entitlements")) {
            return Reply.json(store.entitlements(g));
        }
        if (method.equals("PUT") && op == null) {
            if (form.containsKey("name")) {
                store.checkGroupName(form.get("name"), g.id);
                g.name = form.get("name");
            }
            if (form.containsKey("description")) {
                g.description = form.get("description");
            }
            return Reply.json(g.json());
        }
        if (method.equals("DELETE") && op == null) {
            store.groups.remove(g.id);
            return Reply.deleted();
        }
        if (method.equals("POST") && op != null) {
            switch (op) {
                case "add_member":
                    store.addMember(g, form.get("username"));
                    return Reply.ok();
                case "remove_member":
                    store.removeMember(g, form.get("username"));
                    return Reply.deleted();
                case "add_entitlement":
                    store.addEntitlement(g, store.parseEntitlement(form));
                    return Reply.ok();
                case "remove_entitlement":
                    g.entitlements.remove(store.parseEntitlement(form));
                    return Reply.deleted();
                default:
                    break;
            }
        }
        throw MaasDoubleError.text(405, "Method not allowed");
    }

    private Map<String, Object> parseContext(String raw) {
        try {
            Object v = JSON.readValue(raw, Object.class);
            if (v instanceof Map<?, ?>) {
                return JSON.convertValue(v, new TypeReference<LinkedHashMap<String, Object>>() {});
            }
        } catch (JsonProcessingException e) {
            // fall through
        }
        throw MaasDoubleError.field("context", "Enter a valid JSON object.");
    }

    private static Map<String, String> parseForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }
}
