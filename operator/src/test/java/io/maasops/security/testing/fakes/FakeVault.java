package io.maasops.security.testing.fakes;

import io.maasops.security.port.VaultKv;
import io.maasops.security.port.VaultPort;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.AppRoleSpec;
import io.maasops.security.vault.EnsureResult;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.IssuedSecretId;
import io.maasops.security.vault.KvSecret;
import io.maasops.security.vault.TokenInfo;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultFailures;
import io.maasops.security.vault.VaultLogin;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An in-memory Vault for the fast tier: AppRoles with their role-ids and secret-id accessors,
 * policies, mounts. It refuses what a sealed or unreachable Vault refuses (every call fails with the
 * gateway's SEALED/UNREACHABLE); the HTTP-level behaviour (ACLs, wrapping, status codes) is the Vault
 * double's, tested by the adapter contract tests.
 */
public final class FakeVault implements VaultPort {

    /** role -> spec, role -> role-id, role -> live accessors */
    public final Map<String, AppRoleSpec> roles = new LinkedHashMap<>();

    public final Map<String, String> roleIds = new LinkedHashMap<>();
    public final Map<String, Set<String>> accessors = new LinkedHashMap<>();
    public final Map<String, String> policies = new LinkedHashMap<>();
    public final Set<String> mounts = new TreeSet<>();
    /** Every operation called, in order ("writeRole maas_ns_a"). */
    public final List<String> calls = new ArrayList<>();

    public List<String> ownPolicies = List.of("maas-security-operator");
    private VaultException failure;

    public FakeVault sealed() {
        failure = VaultFailures.sealed("any");
        return this;
    }

    public FakeVault unreachable() {
        failure = VaultFailures.unreachable("any");
        return this;
    }

    public FakeVault healthy() {
        failure = null;
        return this;
    }

    private void call(String op, String detail) {
        calls.add(op + (detail == null ? "" : " " + detail));
        if (failure != null) {
            throw failure.kind() == io.maasops.security.vault.VaultErrorKind.SEALED
                    ? VaultFailures.sealed(op)
                    : VaultFailures.unreachable(op);
        }
    }

    /** The operations named {@code op} so far. */
    public long count(String op) {
        return calls.stream()
                .filter(c -> c.equals(op) || c.startsWith(op + " "))
                .count();
    }

    @Override
    public HealthStatus health() {
        calls.add("health");
        if (failure != null && failure.kind() == io.maasops.security.vault.VaultErrorKind.SEALED) {
            return new HealthStatus(true, true, "1.15.0", false, "fake", 503); // a sealed Vault answers health
        }
        call("health", null);
        return new HealthStatus(true, false, "1.15.0", false, "fake", 200);
    }

    @Override
    public EnsureResult ensureAppRoleAuth(String mount) {
        call("ensureAppRoleAuth", mount);
        return mounts.add("auth/" + mount) ? EnsureResult.CREATED : EnsureResult.ALREADY_PRESENT;
    }

    @Override
    public EnsureResult ensureKvV2Mount(String mount) {
        call("ensureKvV2Mount", mount);
        return mounts.add(mount) ? EnsureResult.CREATED : EnsureResult.ALREADY_PRESENT;
    }

    @Override
    public Optional<String> readPolicy(String name) {
        call("readPolicy", name);
        return Optional.ofNullable(policies.get(name));
    }

    @Override
    public TokenInfo lookupSelf() {
        call("lookupSelf", null);
        return new TokenInfo("operator-accessor", ownPolicies, Duration.ofHours(1), true, "token", "auth/token/create");
    }

    @Override
    public void writeRole(String mount, String role, AppRoleSpec spec) {
        call("writeRole", role);
        roles.put(role, spec);
        roleIds.computeIfAbsent(role, r -> UUID.randomUUID().toString());
        accessors.computeIfAbsent(role, r -> new TreeSet<>());
    }

    @Override
    public Optional<AppRoleSpec> readRole(String mount, String role) {
        call("readRole", role);
        return Optional.ofNullable(roles.get(role));
    }

    @Override
    public Optional<String> readRoleId(String mount, String role) {
        call("readRoleId", role);
        return Optional.ofNullable(roleIds.get(role));
    }

    @Override
    public void deleteRole(String mount, String role) {
        call("deleteRole", role);
        roles.remove(role);
        roleIds.remove(role);
        accessors.remove(role);
    }

    @Override
    public WrappedSecretId createWrappedSecretId(String mount, String role, Duration wrapTtl) {
        call("createWrappedSecretId", role);
        String accessor = newAccessor(role);
        return new WrappedSecretId(
                Secret.of("hvs.wrap-" + accessor),
                "wrap-" + accessor,
                wrapTtl,
                "auth/" + mount + "/role/" + role + "/secret-id",
                accessor);
    }

    @Override
    public IssuedSecretId createSecretId(String mount, String role, Duration ttl, int numUses) {
        call("createSecretId", role);
        String accessor = newAccessor(role);
        return new IssuedSecretId(Secret.of("sid-" + accessor), accessor);
    }

    private String newAccessor(String role) {
        Set<String> live = accessors.get(role);
        if (live == null) {
            throw new IllegalStateException("role " + role + " does not exist"); // Vault: 400 "invalid role name"
        }
        String accessor = UUID.randomUUID().toString();
        live.add(accessor);
        return accessor;
    }

    @Override
    public boolean destroySecretIdByAccessor(String mount, String role, String accessor) {
        call("destroySecretIdByAccessor", role);
        Set<String> live = accessors.get(role);
        return live != null && live.remove(accessor);
    }

    @Override
    public List<String> listSecretIdAccessors(String mount, String role) {
        call("listSecretIdAccessors", role);
        if (!roles.containsKey(role)) {
            throw VaultFailures.roleMissing("list_secret_id_accessors", role);
        }
        return List.copyOf(accessors.getOrDefault(role, Set.of()));
    }

    @Override
    public VaultLogin appRoleLogin(String mount, String roleId, Secret secretId) {
        call("appRoleLogin", null);
        return new VaultLogin(
                Secret.of("hvs.login"),
                "login-accessor",
                List.of("maas-region"),
                Duration.ofMinutes(5),
                true,
                Map.of());
    }

    @Override
    public VaultKv asToken(Secret token) {
        return this;
    }

    public final Map<String, Map<String, Object>> kv = new LinkedHashMap<>();

    @Override
    public Optional<KvSecret> kvRead(String mount, String path) {
        call("kvRead", path);
        return Optional.ofNullable(kv.get(mount + "/" + path)).map(d -> new KvSecret(d, 1));
    }

    @Override
    public int kvWrite(String mount, String path, Map<String, ?> data) {
        call("kvWrite", path);
        kv.put(mount + "/" + path, new LinkedHashMap<>(data));
        return 1;
    }

    @Override
    public List<String> kvList(String mount, String prefix) {
        call("kvList", prefix);
        return kv.keySet().stream()
                .filter(k -> k.startsWith(mount + "/" + prefix))
                .map(k -> k.substring((mount + "/" + prefix).length()))
                .toList();
    }

    @Override
    public void kvDelete(String mount, String path) {
        call("kvDelete", path);
        kv.remove(mount + "/" + path);
    }
}
