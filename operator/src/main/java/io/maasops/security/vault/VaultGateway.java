package io.maasops.security.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.util.BoundedHttp;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultAuthenticator.KubernetesAuth;
import io.maasops.security.vault.VaultAuthenticator.TokenAuth;
import io.maasops.security.vault.VaultTransport.Response;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * The operator's only door to Vault: typed operations with classified errors (docs/reference/vault-api.md).
 *
 * <p>Requests go through {@link VaultTransport} (Vault's wire format, a whole-request deadline and a size cap);
 * every status is judged here. Nothing is retried: a retried AppRole login can trip Vault's lockout, and reconcile
 * backoff is the retry policy. Text from Vault reaches messages only as a short excerpt ({@link RemoteText}),
 * then redacted.
 *
 * <p>The operator logs in once and reuses the token until shortly before it expires (Kubernetes auth: log in
 * again; token from a Secret: renew-self when renewable). Thread-safe.
 */
public final class VaultGateway implements io.maasops.security.port.VaultPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refresh a token this long before it expires at most (a third of its TTL for short tokens). */
    static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(30);

    private final VaultConnectionSettings settings;
    private final VaultAuthenticator authenticator;
    private final VaultRequestListener listener;
    private final Clock clock;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private final VaultTransport vault;
    private CachedToken current; // guarded by this

    private record CachedToken(Secret token, Instant refreshAt, boolean renewable) {}

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    public VaultGateway(VaultConnectionSettings settings, VaultAuthenticator authenticator) {
        this(settings, authenticator, VaultRequestListener.NONE, Clock.systemUTC());
    }

    public VaultGateway(
            VaultConnectionSettings settings,
            VaultAuthenticator authenticator,
            VaultRequestListener listener,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.listener = listener == null ? VaultRequestListener.NONE : listener;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.vault = new VaultTransport(this.settings, this.listener.httpTiming());
    }

    private VaultGateway(VaultGateway parent, Secret token) {
        this.settings = parent.settings;
        this.authenticator = new TokenAuth(token);
        this.listener = parent.listener;
        this.clock = parent.clock;
        this.vault = parent.vault;
    }

    /** A gateway with the same connection that acts as {@code token} (e.g. a MAAS AppRole token for a pre-flight). */
    public VaultGateway forToken(Secret token) {
        return new VaultGateway(this, Objects.requireNonNull(token, "token"));
    }

    @Override
    public io.maasops.security.port.VaultKv asToken(Secret token) {
        return forToken(token);
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
            Response r = vault.get("health", "sys/health", null);
            if (!HEALTH_STATUSES.contains(r.status())) {
                throw fromHttp("health", r.status(), r.body(), withToken(List.of()), null);
            }
            JsonNode b = parse(r.body());
            return new HealthStatus(
                    b.path("initialized").asBoolean(),
                    b.path("sealed").asBoolean(),
                    label(b.path("version").asText("")),
                    b.path("standby").asBoolean(),
                    label(b.path("cluster_name").asText("")),
                    r.status());
        });
    }

    /** GET sys/seal-status (always 200, sealed or not). */
    public SealStatus sealStatus() {
        return run("seal_status", List.of(), () -> {
            Response r = vault.get("seal_status", "sys/seal-status", null);
            check("seal_status", r, List.of());
            JsonNode b = parse(r.body());
            return new SealStatus(
                    b.path("initialized").asBoolean(),
                    b.path("sealed").asBoolean(),
                    b.path("t").asInt(),
                    b.path("n").asInt(),
                    b.path("progress").asInt(),
                    label(b.path("version").asText("")),
                    label(b.path("type").asText("")));
        });
    }

    // =========================================================== mounts

    /** Enables AppRole at {@code mount} unless present. Another method type at that path is INVALID_REQUEST. */
    public EnsureResult ensureAppRoleAuth(String mount) {
        String m = path(mount);
        String op = "ensure_approle_auth";
        return run(op, List.of(), () -> {
            Secret t = authed(op);
            Response list = vault.get(op, "sys/auth", t);
            check(op, list, List.of());
            JsonNode existing = parse(list).path("data").get(m + "/");
            if (existing != null) {
                String type = existing.path("type").asText();
                if (type.equals("approle")) {
                    return EnsureResult.ALREADY_PRESENT;
                }
                throw error(
                        op,
                        VaultErrorKind.INVALID_REQUEST,
                        0,
                        "auth path " + m + "/ is already used by a \"" + label(type) + "\" auth method, not approle");
            }
            Response r = vault.post(op, "sys/auth/" + m, t, obj().put("type", "approle"));
            if (isAlreadyInUse(r)) {
                return EnsureResult
                        .ALREADY_PRESENT; // enabled concurrently; docs/reference/vault-api.md §3 (400, not 409)
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
            Secret t = authed(op);
            Response list = vault.get(op, "sys/mounts", t);
            check(op, list, List.of());
            JsonNode existing = parse(list).path("data").get(m + "/");
            if (existing != null) {
                return existingKv(op, m, existing);
            }
            ObjectNode req = obj().put("type", "kv");
            req.putObject("options").put("version", "2");
            Response r = vault.post(op, "sys/mounts/" + m, t, req);
            if (isAlreadyInUse(r)) {
                Response again = vault.get(op, "sys/mounts", t);
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
            throw error(
                    op,
                    VaultErrorKind.INVALID_REQUEST,
                    0,
                    "secrets mount " + m + "/ is kv version 1; MAAS needs kv "
                            + "version 2 (upgrade it with 'vault kv enable-versioning " + m
                            + "/' or choose another mount)");
        }
        throw error(
                op,
                VaultErrorKind.INVALID_REQUEST,
                0,
                "secrets mount " + m + "/ is a \"" + label(type) + "\" engine, not kv version 2");
    }

    // =========================================================== ACL policies

    public void writePolicy(String name, String hcl) {
        String op = "write_policy";
        run(
                op,
                List.of(),
                () -> check(
                        op,
                        vault.post(op, "sys/policies/acl/" + name(name), authed(op), obj().put("policy", hcl)),
                        List.of()));
    }

    public Optional<String> readPolicy(String name) {
        String op = "read_policy";
        return run(
                op,
                List.of(),
                () -> readData(op, "sys/policies/acl/" + name(name), List.of())
                        .map(d -> d.path("policy").asText()));
    }

    /** Deleting a missing policy succeeds (Vault answers 204). */
    public void deletePolicy(String name) {
        String op = "delete_policy";
        run(op, List.of(), () -> check(op, vault.delete(op, "sys/policies/acl/" + name(name), authed(op)), List.of()));
    }

    // =========================================================== AppRole roles

    /** Creates or updates a role (POST auth/{mount}/role/{role}); fields not in the spec keep Vault's value. */
    public void writeRole(String mount, String role, AppRoleSpec spec) {
        String op = "write_role";
        ObjectNode b = obj();
        // One comma-joined string, never an array: an operator policy that pins token_policies with an exact
        // allowed_parameters value only matches this form on OpenBao and every Vault
        // (docs/reference/vault-acl-parameters.md §6.3).
        b.put("token_policies", joinedPolicies(spec.policies()));
        b.put("token_ttl", spec.tokenTtl().getSeconds());
        b.put("token_max_ttl", spec.tokenMaxTtl().getSeconds());
        b.put("secret_id_ttl", spec.secretIdTtl().getSeconds());
        b.put("secret_id_num_uses", spec.secretIdNumUses());
        b.set("token_bound_cidrs", JSON.valueToTree(spec.tokenBoundCidrs()));
        b.set("secret_id_bound_cidrs", JSON.valueToTree(spec.secretIdBoundCidrs()));
        run(op, List.of(), () -> check(op, vault.post(op, rolePath(mount, role), authed(op), b), List.of()));
    }

    public Optional<AppRoleSpec> readRole(String mount, String role) {
        String op = "read_role";
        return run(
                op,
                List.of(),
                () -> readData(op, rolePath(mount, role), List.of())
                        .map(d -> new AppRoleSpec(
                                strings(d.path("token_policies")),
                                Duration.ofSeconds(d.path("token_ttl").asLong()),
                                Duration.ofSeconds(d.path("token_max_ttl").asLong()),
                                Duration.ofSeconds(d.path("secret_id_ttl").asLong()),
                                d.path("secret_id_num_uses").asInt(),
                                strings(d.path("token_bound_cidrs")),
                                strings(d.path("secret_id_bound_cidrs")))));
    }

    /** Also deletes the role's secret-ids (Vault does). Deleting a missing role succeeds. */
    public void deleteRole(String mount, String role) {
        String op = "delete_role";
        run(op, List.of(), () -> check(op, vault.delete(op, rolePath(mount, role), authed(op)), List.of()));
    }

    public List<String> listRoles(String mount) {
        String op = "list_roles";
        return run(op, List.of(), () -> listKeys(op, "auth/" + path(mount) + "/role"));
    }

    public Optional<String> readRoleId(String mount, String role) {
        String op = "read_role_id";
        return run(
                op,
                List.of(),
                () -> readData(op, rolePath(mount, role) + "/role-id", List.of())
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
            Response r = vault.postWrapped(op, rolePath(mount, role) + "/secret-id", authed(op), obj(), wrapTtl);
            check(op, r, List.of());
            JsonNode info = parse(r).path("wrap_info");
            if (!info.isObject() || info.path("token").asText().isEmpty()) {
                // never echo the body: an unwrapped answer would contain the secret-id
                throw error(op, VaultErrorKind.SERVER_ERROR, r.status(), "Vault did not wrap the secret-id response");
            }
            return new WrappedSecretId(
                    Secret.of(info.path("token").asText()),
                    info.path("accessor").asText(),
                    Duration.ofSeconds(info.path("ttl").asLong()),
                    info.path("creation_path").asText(),
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
            Response r = vault.post(op, rolePath(mount, role) + "/secret-id", authed(op), b);
            check(op, r, List.of());
            JsonNode d = parse(r).path("data");
            if (!d.path("secret_id").isTextual()
                    || d.path("secret_id_accessor").asText().isEmpty()) {
                throw error(op, VaultErrorKind.SERVER_ERROR, r.status(), "Vault returned no secret-id");
            }
            return new IssuedSecretId(
                    Secret.of(d.path("secret_id").asText()),
                    d.path("secret_id_accessor").asText());
        });
    }

    /** sys/wrapping/lookup; empty when the token is used, expired or unknown. Does not consume the token. */
    public Optional<WrappingTokenInfo> lookupWrappingToken(Secret wrappingToken) {
        String op = "lookup_wrapping_token";
        List<Secret> secrets = List.of(wrappingToken);
        try {
            return run(op, secrets, () -> {
                // the token in the body, not as X-Vault-Token: lookup is unauthenticated and must not consume it (§7)
                Response r = vault.post(op, "sys/wrapping/lookup", null, obj().put("token", wrappingToken.reveal()));
                check(op, r, secrets);
                JsonNode d = parse(r).path("data");
                Instant created;
                try {
                    created = OffsetDateTime.parse(d.path("creation_time").asText())
                            .toInstant();
                } catch (DateTimeParseException e) {
                    throw error(
                            op, VaultErrorKind.SERVER_ERROR, r.status(), "Vault answered no readable creation_time");
                }
                return Optional.of(new WrappingTokenInfo(
                        d.path("creation_path").asText(),
                        created,
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
                Response r = vault.post(
                        op,
                        rolePath(mount, role) + "/secret-id-accessor/destroy",
                        authed(op),
                        obj().put("secret_id_accessor", accessor));
                check(op, r, List.of());
                return true;
            });
        } catch (VaultException e) {
            if (e.mentions("failed to find accessor entry")) {
                return false; // docs/reference/vault-api.md §6.3: a bare error, so 500
            }
            throw e;
        }
    }

    /** Whether the accessor names a live secret-id of the role. */
    public boolean secretIdAccessorExists(String mount, String role, String accessor) {
        String op = "lookup_secret_id_accessor";
        return run(op, List.of(), () -> {
            Response r = vault.post(
                    op,
                    rolePath(mount, role) + "/secret-id-accessor/lookup",
                    authed(op),
                    obj().put("secret_id_accessor", accessor));
            if (r.status() == 404) {
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
        return run(op, List.of(secretId), () -> {
            Response r = vault.post(
                    op,
                    "auth/" + path(mount) + "/login",
                    null,
                    obj().put("role_id", roleId).put("secret_id", secretId.reveal()));
            check(op, r, List.of(secretId));
            return toLogin(op, r);
        });
    }

    /** auth/token/lookup-self for the gateway's own token. */
    public TokenInfo lookupSelf() {
        String op = "token_lookup_self";
        return run(op, List.of(), () -> {
            Response r = vault.get(op, "auth/token/lookup-self", authed(op));
            check(op, r, List.of());
            JsonNode d = parse(r).path("data");
            return new TokenInfo(
                    d.path("accessor").asText(),
                    strings(d.path("policies")),
                    Duration.ofSeconds(d.path("ttl").asLong()),
                    d.path("renewable").asBoolean(),
                    d.path("display_name").asText(),
                    d.path("path").asText());
        });
    }

    /** auth/token/renew-self for the gateway's own token; zero increment = the token's own TTL. */
    public VaultLogin renewSelf(Duration increment) {
        String op = "token_renew_self";
        return run(op, List.of(), () -> {
            Response r = vault.post(
                    op,
                    "auth/token/renew-self",
                    authed(op),
                    increment.isZero() ? null : obj().put("increment", increment.getSeconds()));
            check(op, r, List.of());
            return toLogin(op, r);
        });
    }

    // =========================================================== KV v2

    public Optional<KvSecret> kvRead(String mount, String path) {
        String op = "kv_read";
        return run(
                op,
                List.of(),
                () -> readData(op, path(mount) + "/data/" + path(path), List.of())
                        .map(d -> new KvSecret(
                                JSON.convertValue(
                                        d.path("data"), new TypeReference<LinkedHashMap<String, Object>>() {}),
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
            Response r = vault.post(op, path(mount) + "/data/" + path(path), authed(op), b);
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
        run(
                op,
                List.of(),
                () -> check(op, vault.delete(op, path(mount) + "/metadata/" + path(path), authed(op)), List.of()));
    }

    // =========================================================== token lifecycle

    /** A valid operator token, logging in or renewing first when needed; a failure is reported as {@code op}'s. */
    private synchronized Secret authed(String op) throws IOException {
        Instant now = clock.instant();
        if (current != null && (current.refreshAt() == null || now.isBefore(current.refreshAt()))) {
            return current.token();
        }
        if (authenticator instanceof KubernetesAuth k) {
            current = kubernetesLogin(op, k);
        } else if (authenticator instanceof TokenAuth t) {
            current = current == null ? adopt(op, t.token()) : renew(op, current);
        }
        return current.token();
    }

    private CachedToken kubernetesLogin(String op, KubernetesAuth k) throws IOException {
        Secret jwt = Secret.of(k.serviceAccountJwt().get());
        JsonNode auth;
        try {
            Response r = vault.post(
                    "kubernetes_login",
                    "auth/" + k.mountPath() + "/login",
                    null,
                    obj().put("role", k.role()).put("jwt", jwt.reveal()));
            check(op, r, List.of(jwt));
            auth = loginAuth(op, r);
        } catch (VaultException e) {
            notifyLogin("kubernetes", e.kind().name());
            throw e;
        } catch (IOException e) {
            VaultException classified = classify(op, e, withToken(List.of(jwt)));
            notifyLogin("kubernetes", classified.kind().name());
            throw classified;
        }
        logins.incrementAndGet();
        notifyLogin("kubernetes", "success");
        return new CachedToken(
                Secret.of(auth.path("client_token").asText()),
                refreshAt(auth.path("lease_duration").asLong()),
                auth.path("renewable").asBoolean());
    }

    private CachedToken adopt(String op, Secret token) throws IOException {
        Response r = vault.get("token_lookup_self", "auth/token/lookup-self", token);
        check(op, r, List.of(token));
        JsonNode d = parse(r).path("data");
        logins.incrementAndGet();
        notifyLogin("token", "success");
        return new CachedToken(
                token, refreshAt(d.path("ttl").asLong()), d.path("renewable").asBoolean());
    }

    private CachedToken renew(String op, CachedToken c) throws IOException {
        if (!c.renewable()) {
            return new CachedToken(c.token(), null, false); // nothing to do; Vault will say when it expires
        }
        Response r = vault.post("token_renew_self", "auth/token/renew-self", c.token(), null);
        check(op, r, List.of(c.token()));
        JsonNode auth = loginAuth(op, r);
        renewals.incrementAndGet();
        notifyLogin("token_renew", "success");
        return new CachedToken(
                c.token(),
                refreshAt(auth.path("lease_duration").asLong()),
                auth.path("renewable").asBoolean());
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

    /** sys/health answers its JSON with these codes (active, standby, DR/perf standby, sealed, uninitialised, §2.1). */
    private static final Set<Integer> HEALTH_STATUSES = Set.of(200, 429, 472, 473, 500, 501, 503);
    /** Vault's own names and versions are short; a hostile server's are cut to this. */
    private static final int MAX_LABEL = 64;

    private <T> T run(String op, List<Secret> secrets, Call<T> call) {
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

    private <T> T runOnce(String op, List<Secret> secrets, Call<T> call) {
        try {
            T result = call.run();
            notifyRequest(op, "success");
            return result;
        } catch (VaultException e) {
            afterFailure(op, e);
            throw e;
        } catch (IOException e) {
            VaultException classified = classify(op, e, withToken(secrets));
            afterFailure(op, classified);
            throw classified;
        } catch (IllegalArgumentException e) {
            throw e; // a caller bug (unsafe name), not a Vault outcome
        } catch (RuntimeException e) {
            VaultException wrapped = error(
                    op,
                    VaultErrorKind.SERVER_ERROR,
                    0,
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

    /** Throws a classified exception for any answer that is not a success (2xx). */
    private Void check(String op, Response r, List<Secret> secrets) {
        if (r.status() < 200 || r.status() >= 300) {
            throw fromHttp(op, r.status(), r.body(), withToken(secrets), null);
        }
        return null;
    }

    private Optional<JsonNode> readData(String op, String path, List<Secret> secrets) throws IOException {
        Response r = vault.get(op, path, authed(op));
        if (r.status() == 404) {
            return Optional.empty(); // {"errors":[]} or a deleted KV version's envelope (§1.2, §8)
        }
        check(op, r, secrets);
        return Optional.of(parse(r).path("data"));
    }

    private List<String> listKeys(String op, String path) throws IOException {
        Response r = vault.list(op, path, authed(op));
        if (r.status() == 404) {
            return List.of(); // an empty LIST is 404 {"errors":[]} (§1.2)
        }
        check(op, r, List.of());
        return strings(parse(r).path("data").path("keys"));
    }

    private static boolean isAlreadyInUse(Response r) {
        return r.status() == 400 && errors(r.body()).stream().anyMatch(m -> m.contains("path is already in use"));
    }

    /** No usable answer: nothing answered in time, the connection or TLS failed, or the answer was too large. */
    VaultException classify(String op, IOException e, List<Secret> secrets) {
        if (e instanceof BoundedHttp.TooLarge) {
            return new VaultException(VaultErrorKind.SERVER_ERROR, op, 0, List.of(e.getMessage()), null);
        }
        if (e instanceof HttpTimeoutException) {
            return new VaultException(VaultErrorKind.UNREACHABLE, op, 0, List.of("timeout: " + e.getMessage()), null);
        }
        String why = "connection failure";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                why = "TLS failure";
                break;
            }
        }
        // the JDK quotes what the server sent in some messages (e.g. an invalid status line)
        String detail =
                e.getMessage() == null ? "" : " " + Redaction.scrub(RemoteText.excerpt(e.getMessage()), secrets);
        return new VaultException(
                VaultErrorKind.UNREACHABLE,
                op,
                0,
                List.of(why + ": " + e.getClass().getSimpleName() + detail),
                null);
    }

    private static VaultException fromHttp(String op, int status, byte[] body, List<Secret> secrets, Throwable cause) {
        List<String> messages = new ArrayList<>();
        int room = RemoteText.MAX_EXCERPT;
        for (String m : errors(body)) {
            // excerpt before scrubbing: the excerpt keeps a secret whole or drops it, and keeps the redaction marks
            String excerpt = RemoteText.excerpt(m.replace("\n\t* ", " "), room);
            if (excerpt.isEmpty()) {
                continue;
            }
            messages.add(Redaction.scrub(excerpt, secrets));
            room -= excerpt.length() + 2;
            if (room <= 8) {
                break; // all of Vault's text in one message stays within one excerpt
            }
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

    /** The {@code auth} block of a login or renewal; an answer without a client token is no login. */
    private static JsonNode loginAuth(String op, Response r) {
        JsonNode auth = parse(r).path("auth");
        if (!auth.path("client_token").isTextual()
                || auth.path("client_token").asText().isEmpty()) {
            throw error(op, VaultErrorKind.SERVER_ERROR, r.status(), "Vault answered without auth.client_token");
        }
        return auth;
    }

    private static VaultLogin toLogin(String op, Response r) {
        JsonNode auth = loginAuth(op, r);
        Map<String, String> md = new LinkedHashMap<>();
        auth.path("metadata")
                .fields()
                .forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
        return new VaultLogin(
                Secret.of(auth.path("client_token").asText()),
                auth.path("accessor").asText(),
                strings(auth.path("policies")),
                Duration.ofSeconds(auth.path("lease_duration").asLong()),
                auth.path("renewable").asBoolean(),
                md);
    }

    /** A name or version Vault reports, as it may appear in a status: short and printable. */
    private static String label(String text) {
        return RemoteText.excerpt(text, MAX_LABEL);
    }

    private static String joinedPolicies(List<String> policies) {
        for (String p : policies) {
            if (p.contains(",")) {
                throw new IllegalArgumentException(
                        "a policy name cannot contain ',': Vault splits token_policies on it");
            }
        }
        return String.join(",", policies);
    }

    private static JsonNode parse(Response r) {
        return parse(r.body());
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
