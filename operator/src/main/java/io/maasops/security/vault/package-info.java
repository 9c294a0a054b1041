/**
 * The Vault gateway: every call the operator makes to Vault ({@link io.maasops.security.vault.VaultGateway}: a
 * session with its token's lifecycle, the transport, and one operations class per API: sys, AppRole, KV),
 * typed results, errors classified by {@link io.maasops.security.vault.VaultErrorKind}, and MAAS's minimal policy
 * ({@link io.maasops.security.vault.MaasPolicy}). Wire facts: docs/reference/vault-api.md.
 */
package io.maasops.security.vault;
