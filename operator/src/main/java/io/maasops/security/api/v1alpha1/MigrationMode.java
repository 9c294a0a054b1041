package io.maasops.security.api.v1alpha1;

/** When the secret migration may run. */
public enum MigrationMode {
    Manual,
    Automatic
}
