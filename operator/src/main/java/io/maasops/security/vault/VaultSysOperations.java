package io.maasops.security.vault;

import static io.maasops.security.vault.VaultReplies.error;
import static io.maasops.security.vault.VaultReplies.fromHttp;
import static io.maasops.security.vault.VaultReplies.isAlreadyInUse;
import static io.maasops.security.vault.VaultReplies.label;
import static io.maasops.security.vault.VaultReplies.name;
import static io.maasops.security.vault.VaultReplies.obj;
import static io.maasops.security.vault.VaultReplies.parse;
import static io.maasops.security.vault.VaultReplies.path;
import static io.maasops.security.vault.VaultReplies.strings;
import static io.maasops.security.vault.VaultReplies.toLogin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.port.VaultSys;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultTransport.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Vault's system side (docs/reference/vault-api.md §2–§5, §7, §9): health and seal status, auth methods and
 * mounts, ACL policies, the session's own token, and wrapping-token lookups.
 */
public final class VaultSysOperations implements VaultSys {
    /** sys/health answers its JSON with these codes (active, standby, DR/perf standby, sealed, uninitialised, §2.1). */
    private static final Set<Integer> HEALTH_STATUSES = Set.of(200, 429, 472, 473, 500, 501, 503);

    private final VaultSession session;
    private final VaultTransport vault;

    VaultSysOperations(VaultSession session) {
        this.session = session;
        this.vault = session.transport();
    }

    // =========================================================== health (unauthenticated)

    /** GET sys/health. A sealed Vault is a normal answer here ({@code sealed=true}), not an exception. */
    @Override
    public HealthStatus health() {
        return session.run("health", List.of(), () -> {
            Response r = vault.get("health", "sys/health", null);
            if (!HEALTH_STATUSES.contains(r.status())) {
                throw fromHttp("health", r.status(), r.body(), session.withToken(List.of()), null);
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
        return session.run("seal_status", List.of(), () -> {
            Response r = vault.get("seal_status", "sys/seal-status", null);
            session.check("seal_status", r, List.of());
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
    @Override
    public EnsureResult ensureAppRoleAuth(String mount) {
        String m = path(mount);
        String op = "ensure_approle_auth";
        return session.run(op, List.of(), () -> {
            Secret t = session.authed(op);
            Response list = vault.get(op, "sys/auth", t);
            session.check(op, list, List.of());
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
            session.check(op, r, List.of());
            return EnsureResult.CREATED;
        });
    }

    /** Mounts kv-v2 at {@code mount} unless present. A kv-v1 (or other) mount there is INVALID_REQUEST. */
    @Override
    public EnsureResult ensureKvV2Mount(String mount) {
        String m = path(mount);
        String op = "ensure_kv2_mount";
        return session.run(op, List.of(), () -> {
            Secret t = session.authed(op);
            Response list = vault.get(op, "sys/mounts", t);
            session.check(op, list, List.of());
            JsonNode existing = parse(list).path("data").get(m + "/");
            if (existing != null) {
                return existingKv(op, m, existing);
            }
            ObjectNode req = obj().put("type", "kv");
            req.putObject("options").put("version", "2");
            Response r = vault.post(op, "sys/mounts/" + m, t, req);
            if (isAlreadyInUse(r)) {
                Response again = vault.get(op, "sys/mounts", t);
                session.check(op, again, List.of());
                JsonNode now = parse(again).path("data").get(m + "/");
                if (now != null) {
                    return existingKv(op, m, now);
                }
            }
            session.check(op, r, List.of());
            return EnsureResult.CREATED;
        });
    }

    private static EnsureResult existingKv(String op, String m, JsonNode mountJson) {
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
        session.run(
                op,
                List.of(),
                () -> session.check(
                        op,
                        vault.post(op, "sys/policies/acl/" + name(name), session.authed(op), obj().put("policy", hcl)),
                        List.of()));
    }

    @Override
    public Optional<String> readPolicy(String name) {
        String op = "read_policy";
        return session.run(
                op,
                List.of(),
                () -> session.readData(op, "sys/policies/acl/" + name(name), List.of())
                        .map(d -> d.path("policy").asText()));
    }

    /** Deleting a missing policy succeeds (Vault answers 204). */
    public void deletePolicy(String name) {
        String op = "delete_policy";
        session.run(
                op,
                List.of(),
                () -> session.check(
                        op, vault.delete(op, "sys/policies/acl/" + name(name), session.authed(op)), List.of()));
    }

    // =========================================================== the session's own token

    /** auth/token/lookup-self for the session's own token. */
    @Override
    public TokenInfo lookupSelf() {
        String op = "token_lookup_self";
        return session.run(op, List.of(), () -> {
            Response r = vault.get(op, "auth/token/lookup-self", session.authed(op));
            session.check(op, r, List.of());
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

    /** auth/token/renew-self for the session's own token; zero increment = the token's own TTL. */
    public VaultLogin renewSelf(Duration increment) {
        String op = "token_renew_self";
        return session.run(op, List.of(), () -> {
            Response r = vault.post(
                    op,
                    "auth/token/renew-self",
                    session.authed(op),
                    increment.isZero() ? null : obj().put("increment", increment.getSeconds()));
            session.check(op, r, List.of());
            return toLogin(op, r);
        });
    }

    // =========================================================== response wrapping

    /** sys/wrapping/lookup; empty when the token is used, expired or unknown. Does not consume the token. */
    public Optional<WrappingTokenInfo> lookupWrappingToken(Secret wrappingToken) {
        String op = "lookup_wrapping_token";
        List<Secret> secrets = List.of(wrappingToken);
        try {
            return session.run(op, secrets, () -> {
                // the token in the body, not as X-Vault-Token: lookup is unauthenticated and must not consume it (§7)
                Response r = vault.post(op, "sys/wrapping/lookup", null, obj().put("token", wrappingToken.reveal()));
                session.check(op, r, secrets);
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
}
