package io.maasops.security.api.v1alpha1;

/** Phases of the secret migration. */
public enum MigrationPhase {
    Pending,
    Blocked,
    Running,
    Succeeded,
    Failed
}
