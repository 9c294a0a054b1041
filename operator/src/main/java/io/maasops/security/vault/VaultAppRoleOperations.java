package io.maasops.security.vault;

import static io.maasops.security.vault.VaultReplies.JSON;
import static io.maasops.security.vault.VaultReplies.error;
import static io.maasops.security.vault.VaultReplies.name;
import static io.maasops.security.vault.VaultReplies.obj;
import static io.maasops.security.vault.VaultReplies.parse;
import static io.maasops.security.vault.VaultReplies.path;
import static io.maasops.security.vault.VaultReplies.strings;
import static io.maasops.security.vault.VaultReplies.toLogin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.port.VaultAppRoles;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultTransport.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The AppRole auth method (docs/reference/vault-api.md §6): roles, role-ids, secret-ids and logins. */
public final class VaultAppRoleOperations implements VaultAppRoles {

    private final VaultSession session;
    private final VaultTransport vault;

    VaultAppRoleOperations(VaultSession session) {
        this.session = session;
        this.vault = session.transport();
    }

    // =========================================================== AppRole roles

    /** Creates or updates a role (POST auth/{mount}/role/{role}); fields not in the spec keep Vault's value. */
    @Override
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
        session.run(
                op,
                List.of(),
                () -> session.check(op, vault.post(op, rolePath(mount, role), session.authed(op), b), List.of()));
    }

    @Override
    public Optional<AppRoleSpec> readRole(String mount, String role) {
        String op = "read_role";
        return session.run(
                op,
                List.of(),
                () -> session.readData(op, rolePath(mount, role), List.of())
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
    @Override
    public void deleteRole(String mount, String role) {
        String op = "delete_role";
        session.run(
                op,
                List.of(),
                () -> session.check(op, vault.delete(op, rolePath(mount, role), session.authed(op)), List.of()));
    }

    public List<String> listRoles(String mount) {
        String op = "list_roles";
        return session.run(op, List.of(), () -> session.listKeys(op, "auth/" + path(mount) + "/role"));
    }

    @Override
    public Optional<String> readRoleId(String mount, String role) {
        String op = "read_role_id";
        return session.run(
                op,
                List.of(),
                () -> session.readData(op, rolePath(mount, role) + "/role-id", List.of())
                        .map(d -> d.path("role_id").asText()));
    }

    // =========================================================== secret-ids

    /** POST .../secret-id with X-Vault-Wrap-TTL; the secret-id itself never leaves Vault unwrapped. */
    @Override
    public WrappedSecretId createWrappedSecretId(String mount, String role, Duration wrapTtl) {
        String op = "create_wrapped_secret_id";
        long ttl = wrapTtl.getSeconds();
        if (ttl <= 0 || ttl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("wrap TTL must be a positive number of seconds");
        }
        return session.run(op, List.of(), () -> {
            Response r =
                    vault.postWrapped(op, rolePath(mount, role) + "/secret-id", session.authed(op), obj(), wrapTtl);
            session.check(op, r, List.of());
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
    @Override
    public IssuedSecretId createSecretId(String mount, String role, Duration ttl, int numUses) {
        String op = "create_secret_id";
        if (ttl.getSeconds() <= 0 || numUses <= 0) {
            throw new IllegalArgumentException("a short-lived secret-id needs a positive TTL and number of uses");
        }
        ObjectNode b = obj();
        b.put("ttl", ttl.getSeconds());
        b.put("num_uses", numUses);
        return session.run(op, List.of(), () -> {
            Response r = vault.post(op, rolePath(mount, role) + "/secret-id", session.authed(op), b);
            session.check(op, r, List.of());
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

    /** Destroys one secret-id by accessor; false when Vault does not know it (500 "failed to find accessor entry"). */
    @Override
    public boolean destroySecretIdByAccessor(String mount, String role, String accessor) {
        String op = "destroy_secret_id";
        try {
            return session.run(op, List.of(), () -> {
                Response r = vault.post(
                        op,
                        rolePath(mount, role) + "/secret-id-accessor/destroy",
                        session.authed(op),
                        obj().put("secret_id_accessor", accessor));
                session.check(op, r, List.of());
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
        return session.run(op, List.of(), () -> {
            Response r = vault.post(
                    op,
                    rolePath(mount, role) + "/secret-id-accessor/lookup",
                    session.authed(op),
                    obj().put("secret_id_accessor", accessor));
            if (r.status() == 404) {
                return false; // 404 with an envelope body (§6.3)
            }
            session.check(op, r, List.of());
            return true;
        });
    }

    /**
     * The role's secret-id accessors (LIST keys are accessors, never secret-ids). A missing role is
     * {@code NOT_FOUND}: Vault answers it with 400 {@code role "x" does not exist} (§6.3), not with 404.
     */
    @Override
    public List<String> listSecretIdAccessors(String mount, String role) {
        String op = "list_secret_id_accessors";
        return session.run(op, List.of(), () -> {
            try {
                return session.listKeys(op, rolePath(mount, role) + "/secret-id");
            } catch (VaultException e) {
                if (e.httpStatus() == 400 && e.mentions("does not exist")) {
                    throw VaultReplies.error(
                            op, VaultErrorKind.NOT_FOUND, 400, e.vaultErrors().get(0));
                }
                throw e;
            }
        });
    }

    // =========================================================== logins

    /** POST auth/{mount}/login as an AppRole (e.g. to test a policy the way MAAS will use it). */
    @Override
    public VaultLogin appRoleLogin(String mount, String roleId, Secret secretId) {
        String op = "approle_login";
        return session.run(op, List.of(secretId), () -> {
            Response r = vault.post(
                    op,
                    "auth/" + path(mount) + "/login",
                    null,
                    obj().put("role_id", roleId).put("secret_id", secretId.reveal()));
            session.check(op, r, List.of(secretId));
            return toLogin(op, r);
        });
    }

    private static String rolePath(String mount, String role) {
        return "auth/" + path(mount) + "/role/" + name(role);
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
}
