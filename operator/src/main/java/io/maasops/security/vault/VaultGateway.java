package io.maasops.security.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.github.jopenlibs.vault.response.SealResponse;
import io.github.jopenlibs.vault.response.VaultResponse;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultAuthenticator.KubernetesAuth;
import io.maasops.security.vault.VaultAuthenticator.TokenAuth;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The operator's only door to Vault: typed operations with classified errors (vault-api.md).
 *
 * <p>Built on vault-java-driver 6.2.0 with these choices (vault-api.md §10–§11):
 * <ul>
 * <li>every driver instance uses KV engine version 1, so control-plane and KV v2 paths are sent exactly as
 *     written here ({@code secret/data/...}, {@code auth/approle/...}) — the driver's default v2 prefixing
 *     would rewrite {@code auth/approle/role/x} into {@code auth/data/approle/role/x};</li>
 * <li>request bodies are built with Jackson and handed to the driver as {@code JsonValue}s, so lists stay JSON
 *     arrays (the driver would {@code toString()} a {@code List});</li>
 * <li>4xx answers from {@code logical()} do not throw: every status is checked here;</li>
 * <li>the driver's retries stay off (0): a retried AppRole login can trip Vault's lockout, and reconcile
 *     backoff is the retry policy;</li>
 * <li>the wrap TTL is the third argument of {@code logical().write}; {@code wrapped_accessor} is read from the
 *     raw body because the driver does not parse it.</li>
 * </ul>
 * No call needed raw java.net.http: the driver's {@code logical()} reaches every path when configured as above.
 *
 * <p>The operator logs in once and reuses the token until shortly before it expires (Kubernetes auth: log in
 * again; token from a Secret: renew-self when renewable). Thread-safe.
 */
public final class VaultGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refresh a token this long before it expires at most (a third of its TTL for short tokens). */
    static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(30);

    private final VaultConnectionSettings settings;
    private final VaultAuthenticator authenticator;
    private final VaultRequestListener listener;
    private final Clock clock;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private final HttpClient http;
    private final Vault anonymous;
    private CachedToken current; // guarded by this

    private record CachedToken(Secret token, Instant refreshAt, boolean renewable, Vault client) {
    }

    @FunctionalInterface
    private interface DriverCall<T> {
        T run() throws io.github.jopenlibs.vault.VaultException;
    }

    public VaultGateway(VaultConnectionSettings settings, VaultAuthenticator authenticator) {
        this(settings, authenticator, VaultRequestListener.NONE, Clock.systemUTC());
    }

    public VaultGateway(VaultConnectionSettings settings, VaultAuthenticator authenticator,
                        VaultRequestListener listener, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.listener = listener == null ? VaultRequestListener.NONE : listener;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.http = httpClient(settings);
        this.anonymous = driver(null);
    }

    private VaultGateway(VaultGateway parent, Secret token) {
        this.settings = parent.settings;
        this.authenticator = new TokenAuth(token);
        this.listener = parent.listener;
        this.clock = parent.clock;
        this.http = parent.http;
        this.anonymous = parent.anonymous;
    }

    /** A gateway with the same connection that acts as {@code token} (e.g. a MAAS AppRole token for a pre-flight). */
    public VaultGateway forToken(Secret token) {
        return new VaultGateway(this, Objects.requireNonNull(token, "token"));
    }

    /** Operator logins (Kubernetes logins, or adoptions of a Secret token) since construction. */
    public long loginCount() {
        return logins.get();
    }

    /** Successful renew-self calls of the operator's own token. */
    public long renewalCount() {
        return renewals.get();
    }

    // =========================================================== health (unauthenticated)

    /** GET sys/health. A sealed Vault is a normal answer here ({@code sealed=true}), not an exception. */
    public HealthStatus health() {
        return run("health", List.of(), () -> {
            HealthResponse r = anonymous.debug().health();
            JsonNode b = parse(r.getRestResponse().getBody());
            return new HealthStatus(b.path("initialized").asBoolean(), b.path("sealed").asBoolean(),
                    b.path("version").asText(""), b.path("standby").asBoolean(), b.path("cluster_name").asText(""),
                    r.getRestResponse().getStatus());
        });
    }

    /** GET sys/seal-status (always 200, sealed or not). */
    public SealStatus sealStatus() {
        return run("seal_status", List.of(), () -> {
            SealResponse r = anonymous.seal().sealStatus();
            check("seal_status", r, List.of());
            JsonNode b = parse(r.getRestResponse().getBody());
            return new SealStatus(b.path("initialized").asBoolean(), b.path("sealed").asBoolean(), b.path("t").asInt(),
                    b.path("n").asInt(), b.path("progress").asInt(), b.path("version").asText(""), b.path("type").asText(""));
        });
    }

    // =========================================================== mounts

    /** Enables AppRole at {@code mount} unless present. Another method type at that path is INVALID_REQUEST. */
    public EnsureResult ensureAppRoleAuth(String mount) {
        String m = path(mount);
        String op = "ensure_approle_auth";
        return run(op, List.of(), () -> {
            Vault v = authed();
            LogicalResponse list = v.logical().read("sys/auth");
            check(op, list, List.of());
            JsonNode existing = parse(list).path("data").get(m + "/");
            if (existing != null) {
                String type = existing.path("type").asText();
                if (type.equals("approle")) {
                    return EnsureResult.ALREADY_PRESENT;
                }
                throw error(op, VaultErrorKind.INVALID_REQUEST, 0,
                        "auth path " + m + "/ is already used by a \"" + type + "\" auth method, not approle");
            }
            LogicalResponse r = v.logical().write("sys/auth/" + m, body(obj().put("type", "approle")));
            if (isAlreadyInUse(r)) {
                return EnsureResult.ALREADY_PRESENT; // enabled concurrently; vault-api.md §3 (400, not 409)
            }
            check(op, r, List.of());
            return EnsureResult.CREATED;
        });
    }

    /** Mounts kv-v2 at {@code mount} unless present. A kv-v1 (or other) mount there is INVALID_REQUEST. */
    public EnsureResult ensureKvV2Mount(String mount) {
        String m = path(mount);
        String op = "ensure_kv2_mount";
        return run(op, List.of(), () -> {
            Vault v = authed();
            LogicalResponse list = v.logical().read("sys/mounts");
            check(op, list, List.of());
            JsonNode existing = parse(list).path("data").get(m + "/");
            if (existing != null) {
                return existingKv(op, m, existing);
            }
            ObjectNode req = obj().put("type", "kv");
            req.putObject("options").put("version", "2");
            LogicalResponse r = v.logical().write("sys/mounts/" + m, body(req));
            if (isAlreadyInUse(r)) {
                LogicalResponse again = v.logical().read("sys/mounts");
                check(op, again, List.of());
                JsonNode now = parse(again).path("data").get(m + "/");
                if (now != null) {
                    return existingKv(op, m, now);
                }
            }
            check(op, r, List.of());
            return EnsureResult.CREATED;
        });
    }

    private EnsureResult existingKv(String op, String m, JsonNode mountJson) {
        String type = mountJson.path("type").asText();
        String version = mountJson.path("options").path("version").asText("1");
        if (type.equals("kv") && version.equals("2")) {
            return EnsureResult.ALREADY_PRESENT;
        }
        if (type.equals("kv")) {
            throw error(op, VaultErrorKind.INVALID_REQUEST, 0, "secrets mount " + m + "/ is kv version 1; MAAS needs kv "
                    + "version 2 (upgrade it with 'vault kv enable-versioning " + m + "/' or choose another mount)");
        }
        throw error(op, VaultErrorKind.INVALID_REQUEST, 0, "secrets mount " + m + "/ is a \"" + type + "\" engine, not kv version 2");
    }

    // =========================================================== ACL policies

    public void writePolicy(String name, String hcl) {
        String op = "write_policy";
        run(op, List.of(), () -> check(op, authed().logical().write("sys/policies/acl/" + name(name),
                body(obj().put("policy", hcl))), List.of()));
    }

    public Optional<String> readPolicy(String name) {
        String op = "read_policy";
        return run(op, List.of(), () -> readData(op, "sys/policies/acl/" + name(name), List.of())
                .map(d -> d.path("policy").asText()));
    }

    /** Deleting a missing policy succeeds (Vault answers 204). */
    public void deletePolicy(String name) {
        String op = "delete_policy";
        run(op, List.of(), () -> authed().logical().delete("sys/policies/acl/" + name(name)));
    }

    // =========================================================== AppRole roles

    /** Creates or updates a role (POST auth/{mount}/role/{role}); fields not in the spec keep Vault's value. */
    public void writeRole(String mount, String role, AppRoleSpec spec) {
        String op = "write_role";
        ObjectNode b = obj();
        b.set("token_policies", JSON.valueToTree(spec.policies()));
        b.put("token_ttl", spec.tokenTtl().getSeconds());
        b.put("token_max_ttl", spec.tokenMaxTtl().getSeconds());
        b.put("secret_id_ttl", spec.secretIdTtl().getSeconds());
        b.put("secret_id_num_uses", spec.secretIdNumUses());
        b.set("token_bound_cidrs", JSON.valueToTree(spec.tokenBoundCidrs()));
        b.set("secret_id_bound_cidrs", JSON.valueToTree(spec.secretIdBoundCidrs()));
        run(op, List.of(), () -> check(op, authed().logical().write(rolePath(mount, role), body(b)), List.of()));
    }

    public Optional<AppRoleSpec> readRole(String mount, String role) {
        String op = "read_role";
        return run(op, List.of(), () -> readData(op, rolePath(mount, role), List.of()).map(d -> new AppRoleSpec(
                strings(d.path("token_policies")), Duration.ofSeconds(d.path("token_ttl").asLong()),
                Duration.ofSeconds(d.path("token_max_ttl").asLong()), Duration.ofSeconds(d.path("secret_id_ttl").asLong()),
                d.path("secret_id_num_uses").asInt(), strings(d.path("token_bound_cidrs")),
                strings(d.path("secret_id_bound_cidrs")))));
    }

    /** Also deletes the role's secret-ids (Vault does). Deleting a missing role succeeds. */
    public void deleteRole(String mount, String role) {
        String op = "delete_role";
        run(op, List.of(), () -> authed().logical().delete(rolePath(mount, role)));
    }

    public List<String> listRoles(String mount) {
        String op = "list_roles";
        return run(op, List.of(), () -> listKeys(op, "auth/" + path(mount) + "/role"));
    }

    public Optional<String> readRoleId(String mount, String role) {
        String op = "read_role_id";
        return run(op, List.of(), () -> readData(op, rolePath(mount, role) + "/role-id", List.of())
                .map(d -> d.path("role_id").asText()));
    }

    // =========================================================== secret-ids and wrapping

    /** POST .../secret-id with X-Vault-Wrap-TTL; the secret-id itself never leaves Vault unwrapped. */
    public WrappedSecretId createWrappedSecretId(String mount, String role, Duration wrapTtl) {
        String op = "create_wrapped_secret_id";
        long ttl = wrapTtl.getSeconds();
        if (ttl <= 0 || ttl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("wrap TTL must be a positive number of seconds");
        }
        return run(op, List.of(), () -> {
            LogicalResponse r = authed().logical().write(rolePath(mount, role) + "/secret-id", new HashMap<>(), (int) ttl);
            check(op, r, List.of());
            JsonNode info = parse(r).path("wrap_info");
            if (!info.isObject() || info.path("token").asText().isEmpty()) {
                // never echo the body: an unwrapped answer would contain the secret-id
                throw error(op, VaultErrorKind.SERVER_ERROR, r.getRestResponse().getStatus(),
                        "Vault did not wrap the secret-id response");
            }
            return new WrappedSecretId(Secret.of(info.path("token").asText()), info.path("accessor").asText(),
                    Duration.ofSeconds(info.path("ttl").asLong()), info.path("creation_path").asText(),
                    info.path("wrapped_accessor").asText());
        });
    }

    /**
     * POST .../secret-id without wrapping, limited to {@code ttl} and {@code numUses} logins: for the operator's own
     * short-lived use (a policy pre-flight), never handed to a region. The answer holds the secret-id itself, so
     * it is never echoed into an error.
     */
    public IssuedSecretId createSecretId(String mount, String role, Duration ttl, int numUses) {
        String op = "create_secret_id";
        if (ttl.getSeconds() <= 0 || numUses <= 0) {
            throw new IllegalArgumentException("a short-lived secret-id needs a positive TTL and number of uses");
        }
        ObjectNode b = obj();
        b.put("ttl", ttl.getSeconds());
        b.put("num_uses", numUses);
        return run(op, List.of(), () -> {
            LogicalResponse r = authed().logical().write(rolePath(mount, role) + "/secret-id", body(b));
            check(op, r, List.of());
            JsonNode d = parse(r).path("data");
            if (!d.path("secret_id").isTextual() || d.path("secret_id_accessor").asText().isEmpty()) {
                throw error(op, VaultErrorKind.SERVER_ERROR, r.getRestResponse().getStatus(),
                        "Vault returned no secret-id");
            }
            return new IssuedSecretId(Secret.of(d.path("secret_id").asText()), d.path("secret_id_accessor").asText());
        });
    }

    /** sys/wrapping/lookup; empty when the token is used, expired or unknown. Does not consume the token. */
    public Optional<WrappingTokenInfo> lookupWrappingToken(Secret wrappingToken) {
        String op = "lookup_wrapping_token";
        List<Secret> secrets = List.of(wrappingToken);
        try {
            return run(op, secrets, () -> {
                LogicalResponse r = anonymous.auth().lookupWrap(wrappingToken.reveal(), true);
                JsonNode d = parse(r).path("data");
                return Optional.of(new WrappingTokenInfo(d.path("creation_path").asText(),
                        OffsetDateTime.parse(d.path("creation_time").asText()).toInstant(),
                        Duration.ofSeconds(d.path("creation_ttl").asLong())));
            });
        } catch (VaultException e) {
            if (e.kind() == VaultErrorKind.INVALID_REQUEST && e.mentions("wrapping token is not valid")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Destroys one secret-id by accessor; false when Vault does not know it (500 "failed to find accessor entry"). */
    public boolean destroySecretIdByAccessor(String mount, String role, String accessor) {
        String op = "destroy_secret_id";
        try {
            return run(op, List.of(), () -> {
                LogicalResponse r = authed().logical().write(rolePath(mount, role) + "/secret-id-accessor/destroy",
                        body(obj().put("secret_id_accessor", accessor)));
                check(op, r, List.of());
                return true;
            });
        } catch (VaultException e) {
            if (e.mentions("failed to find accessor entry")) {
                return false; // vault-api.md §6.3: a bare error, so 500
            }
            throw e;
        }
    }

    /** Whether the accessor names a live secret-id of the role. */
    public boolean secretIdAccessorExists(String mount, String role, String accessor) {
        String op = "lookup_secret_id_accessor";
        return run(op, List.of(), () -> {
            LogicalResponse r = authed().logical().write(rolePath(mount, role) + "/secret-id-accessor/lookup",
                    body(obj().put("secret_id_accessor", accessor)));
            if (r.getRestResponse().getStatus() == 404) {
                return false; // 404 with an envelope body (§6.3)
            }
            check(op, r, List.of());
            return true;
        });
    }

    /** The role's secret-id accessors (LIST keys are accessors, never secret-ids). */
    public List<String> listSecretIdAccessors(String mount, String role) {
        String op = "list_secret_id_accessors";
        return run(op, List.of(), () -> listKeys(op, rolePath(mount, role) + "/secret-id"));
    }

    // =========================================================== logins and tokens

    /** POST auth/{mount}/login as an AppRole (e.g. to test a policy the way MAAS will use it). */
    public VaultLogin appRoleLogin(String mount, String roleId, Secret secretId) {
        String op = "approle_login";
        return run(op, List.of(secretId), () -> toLogin(anonymous.auth().loginByAppRole(path(mount), roleId, secretId.reveal())));
    }

    /** auth/token/lookup-self for the gateway's own token. */
    public TokenInfo lookupSelf() {
        String op = "token_lookup_self";
        return run(op, List.of(), () -> {
            LookupResponse r = authed().auth().lookupSelf();
            check(op, r, List.of());
            return new TokenInfo(r.getAccessor(), r.getPolicies(), Duration.ofSeconds(r.getTTL()), r.isRenewable(),
                    r.getDisplayName(), r.getPath());
        });
    }

    /** auth/token/renew-self for the gateway's own token; zero increment = the token's own TTL. */
    public VaultLogin renewSelf(Duration increment) {
        String op = "token_renew_self";
        return run(op, List.of(), () -> {
            Vault v = authed();
            AuthResponse r = increment.isZero() ? v.auth().renewSelf() : v.auth().renewSelf(increment.getSeconds());
            return toLogin(r);
        });
    }

    // =========================================================== KV v2

    public Optional<KvSecret> kvRead(String mount, String path) {
        String op = "kv_read";
        return run(op, List.of(), () -> readData(op, path(mount) + "/data/" + path(path), List.of()).map(d -> new KvSecret(
                JSON.convertValue(d.path("data"), new TypeReference<LinkedHashMap<String, Object>>() { }),
                d.path("metadata").path("version").asInt())));
    }

    /** Writes a new version; {@code cas} null = no check-and-set, 0 = only if absent. Returns the new version. */
    public int kvWrite(String mount, String path, Map<String, ?> data, Integer cas) {
        String op = "kv_write";
        ObjectNode b = obj();
        b.set("data", JSON.valueToTree(data));
        if (cas != null) {
            b.putObject("options").put("cas", cas);
        }
        return run(op, List.of(), () -> {
            LogicalResponse r = authed().logical().write(path(mount) + "/data/" + path(path), body(b));
            check(op, r, List.of());
            return parse(r).path("data").path("version").asInt();
        });
    }

    public int kvWrite(String mount, String path, Map<String, ?> data) {
        return kvWrite(mount, path, data, null);
    }

    /** LIST {mount}/metadata/{prefix}/; folders end in '/'; empty when nothing is there. */
    public List<String> kvList(String mount, String prefix) {
        String op = "kv_list";
        String p = prefix == null || prefix.isEmpty() ? "" : "/" + path(prefix);
        return run(op, List.of(), () -> listKeys(op, path(mount) + "/metadata" + p));
    }

    /** DELETE {mount}/metadata/{path}: every version and the metadata, permanently. */
    public void kvDelete(String mount, String path) {
        String op = "kv_delete";
        run(op, List.of(), () -> authed().logical().delete(path(mount) + "/metadata/" + path(path)));
    }

    // =========================================================== token lifecycle

    /** The driver bound to a valid operator token, logging in or renewing first when needed. */
    private synchronized Vault authed() throws io.github.jopenlibs.vault.VaultException {
        Instant now = clock.instant();
        if (current != null && (current.refreshAt() == null || now.isBefore(current.refreshAt()))) {
            return current.client();
        }
        if (authenticator instanceof KubernetesAuth k) {
            current = kubernetesLogin(k);
        } else if (authenticator instanceof TokenAuth t) {
            current = current == null ? adopt(t.token()) : renew(current);
        }
        return current.client();
    }

    private CachedToken kubernetesLogin(KubernetesAuth k) throws io.github.jopenlibs.vault.VaultException {
        String jwt = k.serviceAccountJwt().get();
        AuthResponse r;
        try {
            r = anonymous.auth().loginByKubernetes(k.role(), jwt, "auth/" + k.mountPath());
        } catch (io.github.jopenlibs.vault.VaultException e) {
            notifyLogin("kubernetes", classify("kubernetes_login", e, List.of(Secret.of(jwt))).kind().name());
            throw e;
        }
        logins.incrementAndGet();
        notifyLogin("kubernetes", "success");
        Secret token = Secret.of(r.getAuthClientToken());
        return new CachedToken(token, refreshAt(r.getAuthLeaseDuration()), r.isAuthRenewable(), driver(token));
    }

    private CachedToken adopt(Secret token) throws io.github.jopenlibs.vault.VaultException {
        Vault client = driver(token);
        LookupResponse r = client.auth().lookupSelf();
        logins.incrementAndGet();
        notifyLogin("token", "success");
        return new CachedToken(token, refreshAt(r.getTTL()), r.isRenewable(), client);
    }

    private CachedToken renew(CachedToken c) throws io.github.jopenlibs.vault.VaultException {
        if (!c.renewable()) {
            return new CachedToken(c.token(), null, false, c.client()); // nothing to do; Vault will say when it expires
        }
        AuthResponse r = c.client().auth().renewSelf();
        renewals.incrementAndGet();
        notifyLogin("token_renew", "success");
        return new CachedToken(c.token(), refreshAt(r.getAuthLeaseDuration()), r.isAuthRenewable(), c.client());
    }

    private Instant refreshAt(long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return null; // root-like token: never expires
        }
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        Duration margin = ttl.dividedBy(3).compareTo(MAX_REFRESH_MARGIN) < 0 ? ttl.dividedBy(3) : MAX_REFRESH_MARGIN;
        return clock.instant().plus(ttl).minus(margin);
    }

    private synchronized void forgetToken() {
        current = null;
    }

    // =========================================================== plumbing

    private <T> T run(String op, List<Secret> secrets, DriverCall<T> call) {
        try {
            return runOnce(op, secrets, call);
        } catch (VaultException e) {
            if (authenticator instanceof KubernetesAuth && isInvalidToken(e)) {
                // Vault rejected the token itself (revoked early), so nothing was executed: log in again once.
                return runOnce(op, secrets, call);
            }
            throw e;
        }
    }

    private static boolean isInvalidToken(VaultException e) {
        return e.kind() == VaultErrorKind.PERMISSION_DENIED && e.mentions("invalid token");
    }

    private <T> T runOnce(String op, List<Secret> secrets, DriverCall<T> call) {
        try {
            T result = call.run();
            notifyRequest(op, "success");
            return result;
        } catch (VaultException e) {
            afterFailure(op, e);
            throw e;
        } catch (io.github.jopenlibs.vault.VaultException e) {
            VaultException classified = classify(op, e, withToken(secrets));
            afterFailure(op, classified);
            throw classified;
        } catch (IllegalArgumentException e) {
            throw e; // a caller bug (unsafe name), not a Vault outcome
        } catch (RuntimeException e) {
            VaultException wrapped = error(op, VaultErrorKind.SERVER_ERROR, 0,
                    "unexpected client failure: " + e.getClass().getSimpleName());
            afterFailure(op, wrapped);
            throw wrapped;
        }
    }

    private void afterFailure(String op, VaultException e) {
        notifyRequest(op, e.kind().name());
        if (isInvalidToken(e)) {
            forgetToken(); // revoked or expired early: log in again next time
        }
    }

    private List<Secret> withToken(List<Secret> secrets) {
        List<Secret> all = new ArrayList<>(secrets);
        synchronized (this) {
            if (current != null) {
                all.add(current.token());
            }
        }
        if (authenticator instanceof TokenAuth t) {
            all.add(t.token());
        }
        return all;
    }

    /** Throws a classified exception for any status ≥ 400 (the driver returns 4xx without throwing). */
    private Void check(String op, VaultResponse r, List<Secret> secrets) {
        int status = r.getRestResponse().getStatus();
        if (status >= 400) {
            throw fromHttp(op, status, r.getRestResponse().getBody(), withToken(secrets), null);
        }
        return null;
    }

    private Optional<JsonNode> readData(String op, String path, List<Secret> secrets) throws io.github.jopenlibs.vault.VaultException {
        LogicalResponse r = authed().logical().read(path);
        if (r.getRestResponse().getStatus() == 404) {
            return Optional.empty(); // {"errors":[]} or a deleted KV version's envelope (§1.2, §8)
        }
        check(op, r, secrets);
        return Optional.of(parse(r).path("data"));
    }

    private List<String> listKeys(String op, String path) throws io.github.jopenlibs.vault.VaultException {
        LogicalResponse r = authed().logical().list(path);
        if (r.getRestResponse().getStatus() == 404) {
            return List.of(); // an empty LIST is 404 {"errors":[]} (§1.2)
        }
        check(op, r, List.of());
        return strings(parse(r).path("data").path("keys"));
    }

    private static boolean isAlreadyInUse(LogicalResponse r) {
        int status = r.getRestResponse().getStatus();
        return status == 400 && errors(r.getRestResponse().getBody()).stream().anyMatch(m -> m.contains("path is already in use"));
    }

    VaultException classify(String op, io.github.jopenlibs.vault.VaultException e, List<Secret> secrets) {
        int status = e.getHttpStatusCode();
        if (status > 0) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            int at = msg.indexOf("Response body: ");
            byte[] body = at < 0 ? new byte[0] : msg.substring(at + "Response body: ".length()).getBytes(StandardCharsets.UTF_8);
            return fromHttp(op, status, body, secrets, null);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                String why = t instanceof SSLException ? "TLS failure" : "connection failure";
                return new VaultException(VaultErrorKind.UNREACHABLE, op, 0,
                        List.of(why + ": " + t.getClass().getSimpleName()
                                + (t.getMessage() == null ? "" : " " + Redaction.scrub(t.getMessage(), secrets))), null);
            }
        }
        return new VaultException(VaultErrorKind.SERVER_ERROR, op, 0,
                List.of(Redaction.scrub(String.valueOf(e.getMessage()), secrets)), null);
    }

    private static VaultException fromHttp(String op, int status, byte[] body, List<Secret> secrets, Throwable cause) {
        List<String> messages = new ArrayList<>();
        for (String m : errors(body)) {
            messages.add(Redaction.scrub(m.replace("\n\t* ", " ").replace("\n", " ").trim(), secrets));
        }
        boolean sealed = messages.stream().anyMatch(m -> m.contains("Vault is sealed"));
        VaultErrorKind kind;
        if (status == 503 && sealed) {
            kind = VaultErrorKind.SEALED;
        } else if (status == 403) {
            kind = VaultErrorKind.PERMISSION_DENIED;
        } else if (status == 404) {
            kind = VaultErrorKind.NOT_FOUND;
        } else if (status >= 400 && status < 500) {
            kind = VaultErrorKind.INVALID_REQUEST;
        } else {
            kind = VaultErrorKind.SERVER_ERROR;
        }
        return new VaultException(kind, op, status, messages, cause);
    }

    /** Vault's "errors" array, or an envelope's data.error (AppRole accessor misses, §6.3). */
    private static List<String> errors(byte[] body) {
        List<String> out = new ArrayList<>();
        JsonNode n = parse(body);
        n.path("errors").forEach(e -> out.add(e.asText()));
        if (out.isEmpty() && n.path("data").path("error").isTextual()) {
            out.add(n.path("data").path("error").asText());
        }
        return out;
    }

    private static VaultException error(String op, VaultErrorKind kind, int status, String message) {
        return new VaultException(kind, op, status, List.of(message), null);
    }

    private VaultLogin toLogin(AuthResponse r) {
        JsonNode auth = parse(r.getRestResponse().getBody()).path("auth");
        Map<String, String> md = new LinkedHashMap<>();
        auth.path("metadata").fields().forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
        return new VaultLogin(Secret.of(r.getAuthClientToken()), r.getTokenAccessor(), r.getAuthPolicies(),
                Duration.ofSeconds(r.getAuthLeaseDuration()), r.isAuthRenewable(), md);
    }

    private Vault driver(Secret token) {
        try {
            SslConfig ssl = new SslConfig().verify(true);
            if (settings.caPem() != null) {
                ssl.pemUTF8(settings.caPem());
            }
            VaultConfig cfg = new VaultConfig()
                    .address(settings.baseAddress())
                    .token(token == null ? "" : token.reveal()) // "" keeps VAULT_TOKEN from the environment out
                    .openTimeout(seconds(settings.connectTimeout()))
                    .readTimeout(seconds(settings.readTimeout()))
                    .engineVersion(1)
                    .httpClient(http)
                    .sslConfig(ssl.build());
            if (settings.namespace() != null) {
                cfg.nameSpace(settings.namespace());
            }
            return Vault.create(cfg.build(), 1).withRetries(0, 0);
        } catch (io.github.jopenlibs.vault.VaultException e) {
            throw error("configure", VaultErrorKind.INVALID_REQUEST, 0,
                    "invalid Vault connection settings: " + e.getMessage());
        }
    }

    /**
     * One JDK HTTP client per gateway, shared by every driver instance: without it the driver builds a new
     * HttpClient (and selector thread) per request. Sys/seal and Mounts in 6.2.0 still build their own, from
     * the SslConfig above, so both carry the same trust.
     */
    private static HttpClient httpClient(VaultConnectionSettings settings) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (settings.caPem() != null) {
            b.sslContext(trusting(settings.caPem()));
        }
        return b.build();
    }

    /** An SSLContext that trusts exactly the given PEM certificate(s); hostnames are still verified. */
    static SSLContext trusting(String pem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in the CA PEM");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid Vault CA PEM: " + e.getMessage(), e);
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    private static JsonNode parse(VaultResponse r) {
        return parse(r.getRestResponse().getBody());
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    /** Hands the driver typed JSON values so nothing goes through toString() (vault-api.md §11.2). */
    private static Map<String, Object> body(ObjectNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), Json.parse(e.getValue().toString())));
        return m;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static String rolePath(String mount, String role) {
        return "auth/" + path(mount) + "/role/" + name(role);
    }

    /** Mount or path as Vault expects it: no leading/trailing slash, no empty segment, nothing that escapes. */
    private static String path(String p) {
        String s = VaultAuthenticator.trimSlashes(Objects.requireNonNull(p, "path"));
        if (s.isEmpty() || s.contains("//") || s.contains("..") || s.contains("?") || s.contains("#")) {
            throw new IllegalArgumentException("invalid Vault path: \"" + p + "\"");
        }
        return s;
    }

    private static String name(String n) {
        if (n == null || !n.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid Vault object name: \"" + n + "\"");
        }
        return n;
    }

    private void notifyRequest(String op, String outcome) {
        try {
            listener.onRequest(op, outcome);
        } catch (RuntimeException ignored) {
            // metrics must never break a Vault call
        }
    }

    private void notifyLogin(String method, String outcome) {
        try {
            listener.onLogin(method, outcome);
        } catch (RuntimeException ignored) {
            // metrics must never break a Vault call
        }
    }
}
