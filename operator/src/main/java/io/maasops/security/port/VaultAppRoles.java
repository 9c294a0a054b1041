package io.maasops.security.port;

import io.maasops.security.util.Secret;
import io.maasops.security.vault.AppRoleSpec;
import io.maasops.security.vault.IssuedSecretId;
import io.maasops.security.vault.VaultErrorKind;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultLogin;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** AppRoles, their role-ids and secret-ids (errors: {@code vault.VaultException}). */
public interface VaultAppRoles {

    void writeRole(String mount, String role, AppRoleSpec spec);

    Optional<AppRoleSpec> readRole(String mount, String role);

    Optional<String> readRoleId(String mount, String role);

    /** Deletes the role with its secret-ids; a missing role is no error. */
    void deleteRole(String mount, String role);

    /** A response-wrapped secret-id: the secret-id itself never leaves Vault unwrapped. */
    WrappedSecretId createWrappedSecretId(String mount, String role, Duration wrapTtl);

    /** An unwrapped, short-lived, few-use secret-id for the operator's own pre-flight. */
    IssuedSecretId createSecretId(String mount, String role, Duration ttl, int numUses);

    /** False when Vault does not know the accessor. */
    boolean destroySecretIdByAccessor(String mount, String role, String accessor);

    /** Throws {@code NOT_FOUND} when the role does not exist (an existing role without secret-ids lists none). */
    List<String> listSecretIdAccessors(String mount, String role);

    /**
     * Destroys the role's secret-ids, then the role. False when there was no role (never created, or removed by
     * an earlier attempt that stopped before its finalizer was removed): a cleanup can run again.
     */
    default boolean removeRoleWithSecretIds(String mount, String role) {
        List<String> accessors;
        try {
            accessors = listSecretIdAccessors(mount, role);
        } catch (VaultException e) {
            if (e.kind() == VaultErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
        for (String accessor : accessors) {
            destroySecretIdByAccessor(mount, role, accessor);
        }
        deleteRole(mount, role);
        return true;
    }

    VaultLogin appRoleLogin(String mount, String roleId, Secret secretId);
}
