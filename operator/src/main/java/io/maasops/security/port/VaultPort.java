package io.maasops.security.port;

import io.maasops.security.util.Secret;

/** One Vault as an integration's identity sees it; {@link #asToken} acts as another token (a MAAS AppRole login). */
public interface VaultPort extends VaultSys, VaultAppRoles, VaultKv {

    VaultKv asToken(Secret token);
}
