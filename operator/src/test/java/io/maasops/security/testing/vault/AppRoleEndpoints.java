package io.maasops.security.testing.vault;

import static io.maasops.security.testing.vault.DoubleRouter.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.testing.vault.DoubleState.Mount;
import io.maasops.security.testing.vault.DoubleState.Role;
import io.maasops.security.testing.vault.DoubleState.SecretIdEntry;
import io.maasops.security.testing.vault.DoubleState.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The AppRole auth method (docs/reference/vault-api.md §6). */
final class AppRoleEndpoints {
    private final DoubleState s;

    AppRoleEndpoints(DoubleState s) {
        this.s = s;
    }

    /** @param sub path below the mount, e.g. "role/app/secret-id" */
    Reply handle(Call c, Mount m, String sub) {
        String[] p = sub.isEmpty() ? new String[0] : sub.split("/");
        if (p.length == 1 && p[0].equals("role")) {
            return c.operation().equals("list")
                    ? DoubleRouter.list(m.roles.keySet())
                    : Reply.error(405, "unsupported operation");
        }
        if (p.length == 2 && p[0].equals("tidy") && p[1].equals("secret-id")) {
            m.roles.values().forEach(this::dropExpired);
            return new Reply(
                    202,
                    Envelope.of(
                            null,
                            null,
                            List.of("Tidy operation successfully started. Any information "
                                    + "from the operation will be printed to Vault's server logs.")));
        }
        if (p.length < 2 || !p[0].equals("role")) {
            return Reply.error(404, "unsupported path");
        }
        String name = p[1].toLowerCase();
        Role role = m.roles.get(name);
        String rest = String.join("/", List.of(p).subList(2, p.length));
        if (role != null) {
            dropExpired(role);
        }
        switch (rest) {
            case "":
                return role(c, m, name, role);
            case "role-id":
                if (role == null) {
                    return c.operation().equals("read") ? Reply.notFoundEmpty() : Reply.error(404, "unsupported path");
                }
                if (c.operation().equals("read")) {
                    ObjectNode d = obj();
                    d.put("role_id", role.roleId);
                    return Reply.ok(Envelope.of(d));
                }
                String custom = c.text("role_id");
                if (custom == null || custom.isEmpty()) {
                    return Reply.error(400, "missing role_id");
                }
                if (m.roles.values().stream().anyMatch(r -> r != role && r.roleId.equals(custom))) {
                    return Reply.multiError(500, "role_id already in use");
                }
                role.roleId = custom;
                return Reply.noContent();
            case "secret-id":
                if (c.operation().equals("list")) {
                    if (role == null) {
                        return Reply.error(400, "role \"" + name + "\" does not exist");
                    }
                    return DoubleRouter.list(role.secretIds.keySet());
                }
                return createSecretId(c, name, role, null);
            case "custom-secret-id":
                return createSecretId(c, name, role, c.text("secret_id"));
            case "secret-id/lookup": {
                if (role == null) {
                    return Reply.multiError(500, "role \"" + name + "\" does not exist");
                }
                SecretIdEntry e = bySecretId(role, c.text("secret_id"));
                return e == null ? Reply.noContent() : Reply.ok(Envelope.of(secretIdJson(e)));
            }
            case "secret-id/destroy": {
                if (role == null) {
                    return Reply.multiError(500, "role \"" + name + "\" does not exist");
                }
                SecretIdEntry e = bySecretId(role, c.text("secret_id"));
                if (e != null) {
                    role.secretIds.remove(e.accessor);
                }
                return Reply.noContent();
            }
            case "secret-id-accessor/lookup": {
                if (role == null) {
                    return Reply.multiError(500, "role \"" + name + "\" does not exist");
                }
                String acc = c.text("secret_id_accessor");
                SecretIdEntry e = acc == null ? null : role.secretIds.get(acc);
                if (e == null) {
                    ObjectNode d = obj();
                    d.put("error", "failed to find accessor entry for secret_id_accessor: \"" + acc + "\"");
                    return new Reply(404, Envelope.of(d));
                }
                return Reply.ok(Envelope.of(secretIdJson(e)));
            }
            case "secret-id-accessor/destroy": {
                if (role == null) {
                    return Reply.multiError(500, "role \"" + name + "\" does not exist");
                }
                String acc = c.text("secret_id_accessor");
                if (acc == null || role.secretIds.remove(acc) == null) {
                    return Reply.multiError(
                            500, "failed to find accessor entry for secret_id_accessor: \"" + acc + "\"");
                }
                return Reply.noContent();
            }
            default:
                return Reply.error(404, "unsupported path");
        }
    }

    private Reply role(Call c, Mount m, String name, Role existing) {
        switch (c.operation()) {
            case "read": {
                if (existing == null) {
                    return Reply.notFoundEmpty();
                }
                return Reply.ok(Envelope.of(roleJson(existing)));
            }
            case "delete":
                m.roles.remove(name);
                return Reply.noContent();
            case "update":
                break;
            default:
                return Reply.error(405, "unsupported operation");
        }
        Role r = existing != null ? existing : new Role();
        Role draft = copy(r);
        draft.name = name;
        List<String> warnings = new ArrayList<>();
        JsonNode b = c.body();
        try {
            if (b.has("bind_secret_id")) {
                draft.bindSecretId = b.get("bind_secret_id").asBoolean();
            }
            if (b.has("secret_id_bound_cidrs") || b.has("bound_cidr_list")) {
                draft.secretIdBoundCidrs = Values.list(
                        b.has("secret_id_bound_cidrs") ? b.get("secret_id_bound_cidrs") : b.get("bound_cidr_list"));
                Values.validateCidrs(draft.secretIdBoundCidrs);
            }
            if (b.has("secret_id_num_uses")) {
                draft.secretIdNumUses = b.get("secret_id_num_uses").asInt();
                if (draft.secretIdNumUses < 0) {
                    return Reply.error(400, "secret_id_num_uses cannot be negative");
                }
            }
            if (b.has("secret_id_ttl")) {
                draft.secretIdTtl = Values.seconds(b.get("secret_id_ttl"));
            }
            // token_policies is stored as given (tokenutil.ParseTokenFields); the legacy "policies" goes through
            // policyutil.ParsePolicies (upgradeStringSliceValue). Logins sanitise either.
            if (b.has("token_policies")) {
                draft.tokenPolicies = Values.commaStringSlice(b.get("token_policies"));
            } else if (b.has("policies")) {
                draft.tokenPolicies = DoubleState.sanitizePolicies(Values.commaStringSlice(b.get("policies")), false);
            }
            if (b.has("token_ttl")) {
                draft.tokenTtl = Values.seconds(b.get("token_ttl"));
            }
            if (b.has("token_max_ttl")) {
                draft.tokenMaxTtl = Values.seconds(b.get("token_max_ttl"));
            }
            if (b.has("token_explicit_max_ttl")) {
                draft.tokenExplicitMaxTtl = Values.seconds(b.get("token_explicit_max_ttl"));
            }
            if (b.has("token_period") || b.has("period")) {
                draft.tokenPeriod = Values.seconds(b.has("token_period") ? b.get("token_period") : b.get("period"));
            }
            if (b.has("token_bound_cidrs")) {
                draft.tokenBoundCidrs = Values.list(b.get("token_bound_cidrs"));
                Values.validateCidrs(draft.tokenBoundCidrs);
            }
            if (b.has("token_num_uses")) {
                draft.tokenNumUses = b.get("token_num_uses").asInt();
            }
            if (b.has("token_no_default_policy")) {
                draft.tokenNoDefaultPolicy = b.get("token_no_default_policy").asBoolean();
            }
            if (b.has("token_type")) {
                String t = b.get("token_type").asText();
                switch (t) {
                    case "default", "service", "batch" -> draft.tokenType = t;
                    case "default-service", "default-batch" -> {
                        draft.tokenType = t.substring("default-".length());
                        warnings.add(
                                "token_type '" + t + "' is deprecated, use 'default', 'service' or 'batch' instead");
                    }
                    default -> {
                        return Reply.error(400, "invalid 'token_type' value \"" + t + "\"");
                    }
                }
            }
            if (existing == null && b.has("local_secret_ids")) {
                draft.localSecretIds = b.get("local_secret_ids").asBoolean();
            }
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        if (draft.tokenMaxTtl > 0 && draft.tokenTtl > draft.tokenMaxTtl) {
            return Reply.error(400, "'token_ttl' cannot be greater than 'token_max_ttl'");
        }
        if (draft.tokenType.equals("batch") && (draft.tokenPeriod > 0 || draft.tokenNumUses > 0)) {
            return Reply.error(
                    400, "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens");
        }
        if (draft.tokenPeriod > DoubleState.MOUNT_MAX_TTL.getSeconds()) {
            return Reply.error(
                    400,
                    "period of \"" + draft.tokenPeriod
                            + "s\" is greater than the backend's maximum lease TTL of \"768h0m0s\"");
        }
        if (draft.tokenMaxTtl > DoubleState.MOUNT_MAX_TTL.getSeconds()) {
            warnings.add(
                    "token_max_ttl is greater than the backend mount's maximum TTL value; issued tokens' max TTL value will be truncated");
        }
        if (!draft.bindSecretId && draft.secretIdBoundCidrs.isEmpty() && draft.tokenBoundCidrs.isEmpty()) {
            return Reply.multiError(500, "at least one constraint should be enabled on the role");
        }
        if (existing == null) {
            String custom = c.text("role_id");
            draft.roleId = custom != null && !custom.isEmpty()
                    ? custom
                    : UUID.randomUUID().toString();
        }
        apply(draft, r);
        m.roles.put(name, r);
        return warnings.isEmpty() ? Reply.noContent() : Reply.ok(Envelope.of(null, null, warnings));
    }

    private Reply createSecretId(Call c, String name, Role role, String custom) {
        if (role == null) {
            return Reply.error(404, "role \"" + name + "\" does not exist");
        }
        if (!role.bindSecretId) {
            return Reply.error(400, "bind_secret_id is not set on the role");
        }
        JsonNode b = c.body();
        int numUses = role.secretIdNumUses;
        long ttl = role.secretIdTtl;
        try {
            if (b.has("num_uses")) {
                numUses = b.get("num_uses").asInt();
                if (numUses < 0) {
                    return Reply.error(400, "num_uses cannot be negative");
                }
                if (role.secretIdNumUses > 0 && (numUses == 0 || numUses > role.secretIdNumUses)) {
                    return Reply.error(400, "num_uses cannot be higher than the role's secret_id_num_uses");
                }
            }
            if (b.has("ttl")) {
                ttl = Values.seconds(b.get("ttl"));
                if (role.secretIdTtl > 0 && (ttl == 0 || ttl > role.secretIdTtl)) {
                    return Reply.error(400, "ttl cannot be longer than the role's secret_id_ttl");
                }
            }
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        long max = DoubleState.MOUNT_MAX_TTL.getSeconds();
        if (ttl < 0 || ttl > max) {
            ttl = max;
        }
        SecretIdEntry e = new SecretIdEntry();
        if (custom != null) {
            if (role.secretIds.values().stream().anyMatch(x -> x.secretId.equals(custom))) {
                return Reply.multiError(500, "failed to store secret_id: SecretID is already registered");
            }
        }
        e.secretId = custom != null ? custom : UUID.randomUUID().toString();
        s.everIssued.add(e.secretId);
        e.accessor = UUID.randomUUID().toString();
        e.created = s.clock.instant();
        e.lastUpdated = e.created;
        e.ttl = ttl;
        e.expiration = ttl == 0 ? null : e.created.plusSeconds(ttl);
        e.numUses = numUses;
        e.cidrList = Values.list(b.get("cidr_list"));
        e.tokenBoundCidrs = Values.list(b.get("token_bound_cidrs"));
        if (b.has("metadata")) {
            try {
                JsonNode md = b.get("metadata").isTextual()
                        ? Reply.JSON.readTree(b.get("metadata").asText())
                        : b.get("metadata");
                e.metadata.putAll(DoubleRouter.stringMap(md));
            } catch (Exception ex) {
                return Reply.error(400, "failed to parse metadata: " + ex.getMessage());
            }
        }
        role.secretIds.put(e.accessor, e);
        ObjectNode d = obj();
        d.put("secret_id", e.secretId);
        d.put("secret_id_accessor", e.accessor);
        d.put("secret_id_ttl", e.ttl);
        d.put("secret_id_num_uses", e.numUses);
        return Reply.ok(Envelope.of(d));
    }

    /** §6.4. Strict about expiry (Vault's tidy would remove the entry within a minute). */
    static final int LOCKOUT_THRESHOLD = 5;

    static final Duration LOCKOUT_DURATION = Duration.ofMinutes(15);
    static final Duration LOCKOUT_COUNTER_RESET = Duration.ofMinutes(15);

    Reply login(Call c, Mount m, String mountPath) {
        String roleId = c.text("role_id");
        if (roleId == null || roleId.isEmpty()) {
            return Reply.error(400, "missing role_id");
        }
        String key = mountPath + "|" + roleId;
        Instant now = s.clock.instant();
        DoubleState.Lockout lock = s.lockouts.get(key);
        if (s.lockoutEnabled && lock != null && lock.lockedUntil != null) {
            if (now.isBefore(lock.lockedUntil)) {
                return Reply.error(403, "permission denied"); // exact body UNCONFIRMED (§6.4)
            }
            s.lockouts.remove(key);
        }
        Reply r = loginUnchecked(c, m, mountPath, roleId);
        if (r.status() == 200) {
            s.lockouts.remove(key);
        } else if (r.status() == 400 && r.body().toString().contains("invalid role or secret ID")) {
            DoubleState.Lockout l = s.lockouts.computeIfAbsent(key, k -> new DoubleState.Lockout());
            if (l.firstFailure == null || !now.isBefore(l.firstFailure.plus(LOCKOUT_COUNTER_RESET))) {
                l.failures = 0;
                l.firstFailure = now;
            }
            if (++l.failures >= LOCKOUT_THRESHOLD) {
                l.lockedUntil = now.plus(LOCKOUT_DURATION);
            }
        }
        return r;
    }

    private Reply loginUnchecked(Call c, Mount m, String mountPath, String roleId) {
        Role role = m.roles.values().stream()
                .filter(r -> r.roleId.equals(roleId))
                .findFirst()
                .orElse(null);
        if (role == null) {
            return Reply.error(400, "invalid role or secret ID");
        }
        dropExpired(role);
        SecretIdEntry entry = null;
        if (role.bindSecretId) {
            String secretId = c.text("secret_id");
            if (secretId == null || secretId.isEmpty()) {
                return Reply.error(400, "missing secret_id");
            }
            entry = bySecretId(role, secretId);
            if (entry == null) {
                return Reply.error(400, "invalid role or secret ID");
            }
        }
        if (!Values.addressAllowed(role.secretIdBoundCidrs, c.remoteAddress())
                || (entry != null && !Values.addressAllowed(entry.cidrList, c.remoteAddress()))) {
            return Reply.error(
                    400, "source address \"" + c.remoteAddress() + "\" unauthorized by CIDR restrictions on the role");
        }
        if (entry != null && entry.numUses > 0) {
            if (entry.numUses == 1) {
                role.secretIds.remove(entry.accessor);
            } else {
                entry.numUses--;
                entry.lastUpdated = s.clock.instant();
            }
        }
        long max = DoubleState.MOUNT_MAX_TTL.getSeconds();
        long maxTtl = role.tokenMaxTtl > 0 ? Math.min(role.tokenMaxTtl, max) : max;
        long ttl = Math.min(role.tokenTtl > 0 ? role.tokenTtl : max, maxTtl);
        // core checks the policies after the backend accepted the login: the secret-id use above is spent
        List<String> sanitized = DoubleState.sanitizePolicies(role.tokenPolicies, !role.tokenNoDefaultPolicy);
        Reply refused = DoubleState.refuseLoginPolicies(sanitized);
        if (refused != null) {
            return refused;
        }
        Token t = s.newToken(
                sanitized,
                Duration.ofSeconds(ttl),
                Duration.ofSeconds(maxTtl),
                true,
                "approle",
                "auth/" + mountPath + "login");
        t.meta = new java.util.TreeMap<>(entry == null ? Map.of() : entry.metadata);
        t.meta.put("role_name", role.name);
        t.numUses = role.tokenNumUses;
        List<String> bound = new ArrayList<>(role.tokenBoundCidrs);
        if (entry != null) {
            bound.addAll(entry.tokenBoundCidrs);
        }
        t.boundCidrs = bound;
        t.orphan = true;
        t.entityId = UUID.randomUUID().toString();
        return Reply.ok(Envelope.of(null, TokenEndpoints.authBlock(t, t.meta), null));
    }

    private void dropExpired(Role role) {
        Instant now = s.clock.instant();
        for (Iterator<SecretIdEntry> it = role.secretIds.values().iterator(); it.hasNext(); ) {
            SecretIdEntry e = it.next();
            if (e.expiration != null && !now.isBefore(e.expiration)) {
                it.remove();
            }
        }
    }

    private static SecretIdEntry bySecretId(Role role, String secretId) {
        if (secretId == null) {
            return null;
        }
        return role.secretIds.values().stream()
                .filter(e -> e.secretId.equals(secretId))
                .findFirst()
                .orElse(null);
    }

    private static ObjectNode secretIdJson(SecretIdEntry e) {
        ObjectNode d = obj();
        d.set("cidr_list", DoubleRouter.array(e.cidrList));
        d.put("creation_time", Values.localTime(e.created));
        d.put("expiration_time", e.expiration == null ? "0001-01-01T00:00:00Z" : Values.localTime(e.expiration));
        d.put("last_updated_time", Values.localTime(e.lastUpdated));
        d.set("metadata", Reply.JSON.valueToTree(e.metadata));
        d.put("secret_id_accessor", e.accessor);
        d.put("secret_id_num_uses", e.numUses);
        d.put("secret_id_ttl", e.ttl);
        d.set("token_bound_cidrs", DoubleRouter.array(e.tokenBoundCidrs));
        return d;
    }

    private static ObjectNode roleJson(Role r) {
        ObjectNode d = obj();
        d.put("bind_secret_id", r.bindSecretId);
        d.put("local_secret_ids", r.localSecretIds);
        d.set("secret_id_bound_cidrs", DoubleRouter.array(r.secretIdBoundCidrs));
        d.put("secret_id_num_uses", r.secretIdNumUses);
        d.put("secret_id_ttl", r.secretIdTtl);
        d.set("token_bound_cidrs", DoubleRouter.array(r.tokenBoundCidrs));
        d.put("token_explicit_max_ttl", r.tokenExplicitMaxTtl);
        d.put("token_max_ttl", r.tokenMaxTtl);
        d.put("token_no_default_policy", r.tokenNoDefaultPolicy);
        d.put("token_num_uses", r.tokenNumUses);
        d.put("token_period", r.tokenPeriod);
        d.set("token_policies", DoubleRouter.array(r.tokenPolicies));
        d.put("token_ttl", r.tokenTtl);
        d.put("token_type", r.tokenType);
        if (r.tokenPeriod > 0) {
            d.put("period", r.tokenPeriod);
        }
        return d;
    }

    private static Role copy(Role r) {
        Role c = new Role();
        apply(r, c);
        return c;
    }

    private static void apply(Role from, Role to) {
        to.name = from.name;
        to.roleId = from.roleId;
        to.bindSecretId = from.bindSecretId;
        to.secretIdBoundCidrs = from.secretIdBoundCidrs;
        to.secretIdNumUses = from.secretIdNumUses;
        to.secretIdTtl = from.secretIdTtl;
        to.tokenPolicies = from.tokenPolicies;
        to.tokenTtl = from.tokenTtl;
        to.tokenMaxTtl = from.tokenMaxTtl;
        to.tokenExplicitMaxTtl = from.tokenExplicitMaxTtl;
        to.tokenPeriod = from.tokenPeriod;
        to.tokenBoundCidrs = from.tokenBoundCidrs;
        to.tokenNumUses = from.tokenNumUses;
        to.tokenNoDefaultPolicy = from.tokenNoDefaultPolicy;
        to.tokenType = from.tokenType;
        to.localSecretIds = from.localSecretIds;
    }
}
