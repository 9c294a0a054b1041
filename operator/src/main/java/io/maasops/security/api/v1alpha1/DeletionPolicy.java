package io.maasops.security.api.v1alpha1;

/** What deleting a VaultIntegration does to the Vault policy and roles. */
public enum DeletionPolicy {
    Retain,
    Delete
}
