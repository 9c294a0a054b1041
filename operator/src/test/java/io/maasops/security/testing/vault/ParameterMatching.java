package io.maasops.security.testing.vault;

/**
 * How the double compares a request value with the value list of an {@code allowed_parameters} or
 * {@code denied_parameters} entry (docs/reference/vault-acl-parameters.md §6.2). Select with
 * {@link VaultDouble#parameterMatching(ParameterMatching)}.
 */
public enum ParameterMatching {
    /**
     * OpenBao and Vault ≤ 1.20 (the default): the whole request value is compared; a JSON list or a comma string is
     * one value (OpenBao acl.go valueInParameterList).
     */
    WHOLE_VALUE,
    /**
     * Vault ≥ 1.21 without {@code VAULT_LEGACY_EXACT_MATCHING_ON_LIST}: the whole value first, then the elements of a
     * JSON list or the comma-separated pieces of a string; allowed needs every element, denied any (Vault acl.go
     * valueInAllowedParameterList / valueInDeniedParameterList).
     */
    PER_ELEMENT
}
