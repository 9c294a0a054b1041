package io.maasops.security.vault;

import io.maasops.security.port.VaultKv;
import io.maasops.security.port.VaultPort;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's only door to Vault: typed operations with classified errors (docs/reference/vault-api.md), cut
 * along spring-vault's seams: {@link VaultSession} (the token's lifecycle and the running of each operation),
 * {@link VaultTransport} (the wire), {@link VaultReplies} (judging answers), and one operations class per API
 * ({@link VaultSysOperations}, {@link VaultAppRoleOperations}, {@link VaultKvOperations}), each implementing its
 * port. This class is the {@link VaultPort} that wires them to one session.
 *
 * <p>Every status is judged by the operations; nothing is retried (a retried AppRole login can trip Vault's
 * lockout, and reconcile backoff is the retry policy). Text from Vault reaches messages only as a short excerpt
 * ({@link RemoteText}), then redacted. Thread-safe.
 */
public final class VaultGateway implements VaultPort {
    private final VaultSession session;
    private final VaultSysOperations sys;
    private final VaultAppRoleOperations appRoles;
    private final VaultKvOperations kv;

    public VaultGateway(VaultConnectionSettings settings, VaultAuthenticator authenticator) {
        this(settings, authenticator, VaultRequestListener.NONE, Clock.systemUTC());
    }

    public VaultGateway(
            VaultConnectionSettings settings,
            VaultAuthenticator authenticator,
            VaultRequestListener listener,
            Clock clock) {
        this(new VaultSession(settings, authenticator, listener, clock));
    }

    private VaultGateway(VaultSession session) {
        this.session = session;
        this.sys = new VaultSysOperations(session);
        this.appRoles = new VaultAppRoleOperations(session);
        this.kv = new VaultKvOperations(session);
    }

    /** A gateway with the same connection that acts as {@code token} (e.g. a MAAS AppRole token for a pre-flight). */
    public VaultGateway forToken(Secret token) {
        return new VaultGateway(session.forToken(token));
    }

    @Override
    public VaultKv asToken(Secret token) {
        return forToken(token).kv();
    }

    public VaultSysOperations sys() {
        return sys;
    }

    public VaultAppRoleOperations appRoles() {
        return appRoles;
    }

    public VaultKvOperations kv() {
        return kv;
    }

    /** Operator logins (Kubernetes logins, or adoptions of a Secret token) since construction. */
    public long loginCount() {
        return session.loginCount();
    }

    /** Successful renew-self calls of the operator's own token. */
    public long renewalCount() {
        return session.renewalCount();
    }

    // =========================================================== VaultSys

    @Override
    public HealthStatus health() {
        return sys.health();
    }

    public SealStatus sealStatus() {
        return sys.sealStatus();
    }

    @Override
    public EnsureResult ensureAppRoleAuth(String mount) {
        return sys.ensureAppRoleAuth(mount);
    }

    @Override
    public EnsureResult ensureKvV2Mount(String mount) {
        return sys.ensureKvV2Mount(mount);
    }

    public void writePolicy(String name, String hcl) {
        sys.writePolicy(name, hcl);
    }

    @Override
    public Optional<String> readPolicy(String name) {
        return sys.readPolicy(name);
    }

    public void deletePolicy(String name) {
        sys.deletePolicy(name);
    }

    @Override
    public TokenInfo lookupSelf() {
        return sys.lookupSelf();
    }

    public VaultLogin renewSelf(Duration increment) {
        return sys.renewSelf(increment);
    }

    public Optional<WrappingTokenInfo> lookupWrappingToken(Secret wrappingToken) {
        return sys.lookupWrappingToken(wrappingToken);
    }

    // =========================================================== VaultAppRoles

    @Override
    public void writeRole(String mount, String role, AppRoleSpec spec) {
        appRoles.writeRole(mount, role, spec);
    }

    @Override
    public Optional<AppRoleSpec> readRole(String mount, String role) {
        return appRoles.readRole(mount, role);
    }

    @Override
    public void deleteRole(String mount, String role) {
        appRoles.deleteRole(mount, role);
    }

    public List<String> listRoles(String mount) {
        return appRoles.listRoles(mount);
    }

    @Override
    public Optional<String> readRoleId(String mount, String role) {
        return appRoles.readRoleId(mount, role);
    }

    @Override
    public WrappedSecretId createWrappedSecretId(String mount, String role, Duration wrapTtl) {
        return appRoles.createWrappedSecretId(mount, role, wrapTtl);
    }

    @Override
    public IssuedSecretId createSecretId(String mount, String role, Duration ttl, int numUses) {
        return appRoles.createSecretId(mount, role, ttl, numUses);
    }

    @Override
    public boolean destroySecretIdByAccessor(String mount, String role, String accessor) {
        return appRoles.destroySecretIdByAccessor(mount, role, accessor);
    }

    public boolean secretIdAccessorExists(String mount, String role, String accessor) {
        return appRoles.secretIdAccessorExists(mount, role, accessor);
    }

    @Override
    public List<String> listSecretIdAccessors(String mount, String role) {
        return appRoles.listSecretIdAccessors(mount, role);
    }

    @Override
    public VaultLogin appRoleLogin(String mount, String roleId, Secret secretId) {
        return appRoles.appRoleLogin(mount, roleId, secretId);
    }

    // =========================================================== VaultKv

    @Override
    public Optional<KvSecret> kvRead(String mount, String path) {
        return kv.kvRead(mount, path);
    }

    public int kvWrite(String mount, String path, Map<String, ?> data, Integer cas) {
        return kv.kvWrite(mount, path, data, cas);
    }

    @Override
    public int kvWrite(String mount, String path, Map<String, ?> data) {
        return kv.kvWrite(mount, path, data);
    }

    @Override
    public List<String> kvList(String mount, String prefix) {
        return kv.kvList(mount, prefix);
    }

    @Override
    public void kvDelete(String mount, String path) {
        kv.kvDelete(mount, path);
    }
}
