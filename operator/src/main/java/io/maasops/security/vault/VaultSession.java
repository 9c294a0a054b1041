package io.maasops.security.vault;

import static io.maasops.security.vault.VaultReplies.classify;
import static io.maasops.security.vault.VaultReplies.error;
import static io.maasops.security.vault.VaultReplies.fromHttp;
import static io.maasops.security.vault.VaultReplies.loginAuth;
import static io.maasops.security.vault.VaultReplies.obj;
import static io.maasops.security.vault.VaultReplies.parse;
import static io.maasops.security.vault.VaultReplies.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultAuthenticator.KubernetesAuth;
import io.maasops.security.vault.VaultAuthenticator.TokenAuth;
import io.maasops.security.vault.VaultTransport.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's session with one Vault (spring-vault's session seam): its token's lifecycle and the running of
 * each operation under it. The operator logs in once and reuses the token until shortly before it expires
 * (Kubernetes auth: log in again; token from a Secret: renew-self when renewable); a token Vault rejects as
 * invalid is forgotten, and with Kubernetes auth the operation is run once more after a fresh login. Nothing else
 * is retried: a retried AppRole login can trip Vault's lockout, and reconcile backoff is the retry policy.
 * Every outcome is reported to the {@link VaultRequestListener}. Thread-safe.
 */
final class VaultSession {
    /** Refresh a token this long before it expires at most (a third of its TTL for short tokens). */
    static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(30);

    private final VaultAuthenticator authenticator;
    private final VaultRequestListener listener;
    private final Clock clock;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private final VaultTransport vault;
    private CachedToken current; // guarded by this

    private record CachedToken(Secret token, Instant refreshAt, boolean renewable) {}

    /** One operation's requests and the judging of their answers. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    VaultSession(
            VaultConnectionSettings settings,
            VaultAuthenticator authenticator,
            VaultRequestListener listener,
            Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.listener = listener == null ? VaultRequestListener.NONE : listener;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.vault = new VaultTransport(settings, this.listener.httpTiming());
    }

    private VaultSession(VaultSession parent, Secret token) {
        this.authenticator = new TokenAuth(token);
        this.listener = parent.listener;
        this.clock = parent.clock;
        this.vault = parent.vault;
    }

    /** A session on the same connection that acts as {@code token}. */
    VaultSession forToken(Secret token) {
        return new VaultSession(this, Objects.requireNonNull(token, "token"));
    }

    VaultTransport transport() {
        return vault;
    }

    long loginCount() {
        return logins.get();
    }

    long renewalCount() {
        return renewals.get();
    }

    // =========================================================== running operations

    /** Runs {@code call} as operation {@code op}; {@code secrets} are scrubbed from any error it raises. */
    <T> T run(String op, List<Secret> secrets, Call<T> call) {
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

    /** {@code secrets} and the session's own tokens: what an error message must never show. */
    List<Secret> withToken(List<Secret> secrets) {
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
    Void check(String op, Response r, List<Secret> secrets) {
        if (r.status() < 200 || r.status() >= 300) {
            throw fromHttp(op, r.status(), r.body(), withToken(secrets), null);
        }
        return null;
    }

    /** GET {@code path}'s {@code data}; empty on 404. */
    Optional<JsonNode> readData(String op, String path, List<Secret> secrets) throws IOException {
        Response r = vault.get(op, path, authed(op));
        if (r.status() == 404) {
            return Optional.empty(); // {"errors":[]} or a deleted KV version's envelope (§1.2, §8)
        }
        check(op, r, secrets);
        return Optional.of(parse(r).path("data"));
    }

    /** LIST {@code path}'s keys; empty on 404. */
    List<String> listKeys(String op, String path) throws IOException {
        Response r = vault.list(op, path, authed(op));
        if (r.status() == 404) {
            return List.of(); // an empty LIST is 404 {"errors":[]} (§1.2)
        }
        check(op, r, List.of());
        return strings(parse(r).path("data").path("keys"));
    }

    // =========================================================== token lifecycle

    /** A valid token, logging in or renewing first when needed; a failure is reported as {@code op}'s. */
    synchronized Secret authed(String op) throws IOException {
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
                    VaultException.KUBERNETES_LOGIN,
                    "auth/" + k.mountPath() + "/login",
                    null,
                    obj().put("role", k.role()).put("jwt", jwt.reveal()));
            // Vault's answer is the login's, not the refused operation's: a 403 here says nothing of the policy
            check(VaultException.KUBERNETES_LOGIN, r, List.of(jwt));
            auth = loginAuth(VaultException.KUBERNETES_LOGIN, r);
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
