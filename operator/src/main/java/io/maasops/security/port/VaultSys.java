package io.maasops.security.port;

import io.maasops.security.vault.EnsureResult;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.TokenInfo;
import java.util.Optional;

/** Vault's system side as the operator uses it: health, mounts, policies, its own token. */
public interface VaultSys {

    /** GET sys/health; a sealed Vault is an answer ({@code sealed=true}), not an exception. */
    HealthStatus health();

    EnsureResult ensureAppRoleAuth(String mount);

    EnsureResult ensureKvV2Mount(String mount);

    Optional<String> readPolicy(String name);

    /** The operator's own token (its policies). */
    TokenInfo lookupSelf();
}
