package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleStatus;

/**
 * Where a region's AppRole and secret-id stand, derived in one place from status.appRole (the status
 * is the record: it survives restarts, and nothing else is kept). One handler per phase
 * ({@link AppRoleConcern}).
 */
public enum AppRolePhase {
    /** No role-id recorded: the role is to be written. */
    NO_ROLE,
    /** The role exists; no secret-id was issued for the region yet. */
    ROLE_READY,
    /** A secret-id was issued (its accessor is pending) but the region has not confirmed a configuration yet. */
    ISSUED_UNCONFIRMED,
    /** The region runs with the recorded secret-id. */
    CONFIGURED,
    /** Configured, and a newer secret-id was issued but not confirmed (a rotation or reconfiguration under way, or interrupted). */
    ROTATING;

    public static AppRolePhase of(AppRoleStatus a) {
        if (a == null || a.getRoleId() == null) {
            return a != null && a.getPendingSecretIdAccessor() != null ? ISSUED_UNCONFIRMED : NO_ROLE;
        }
        boolean configured = a.getSecretIdAccessor() != null && a.getConfiguredAt() != null;
        boolean pending = a.getPendingSecretIdAccessor() != null;
        if (configured) {
            return pending ? ROTATING : CONFIGURED;
        }
        return pending ? ISSUED_UNCONFIRMED : ROLE_READY;
    }

    /** Whether a reconcile in this phase may issue a secret-id (so the region must be reachable first). */
    public boolean mayIssue() {
        return this != CONFIGURED;
    }

    public boolean configured() {
        return this == CONFIGURED || this == ROTATING;
    }
}
