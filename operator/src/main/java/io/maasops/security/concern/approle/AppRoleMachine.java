package io.maasops.security.concern.approle;

import io.maasops.security.concern.ConcernResult;
import java.time.Duration;
import java.time.Instant;

/**
 * What a region's AppRole concern does once its role is as declared, from the phase and the facts
 * the status holds. Pure: no I/O, table-tested ({@code AppRoleMachineTest}).
 */
final class AppRoleMachine {

    private AppRoleMachine() {}

    enum Kind {
        /** Issue a secret-id, configure the region, confirm (the region has none yet). */
        CONFIGURE,
        /** Issue a secret-id, configure, restart, confirm, destroy the old one (the region keeps working credentials meanwhile). */
        ROTATE,
        /** A rotation failed: wait before issuing yet another secret-id. */
        WAIT,
        /** Nothing to do until {@link Next#after}. */
        KEEP
    }

    /** @param after when to look again (null: no particular time) */
    record Next(Kind kind, String why, Duration after) {}

    /** The facts of a configured region that decide whether it rotates now. */
    record Facts(boolean roleIdChanged, String rotationDue, Instant retryAt, Duration periodic) {}

    static Next next(AppRolePhase phase, Facts f, Instant now) {
        if (!phase.configured()) {
            return new Next(Kind.CONFIGURE, "first configuration", null);
        }
        String why = f.roleIdChanged()
                ? "its role-id changed"
                : phase == AppRolePhase.ROTATING ? "an issued secret-id was never confirmed" : f.rotationDue();
        if (why == null) {
            return new Next(Kind.KEEP, null, f.periodic());
        }
        if (f.retryAt() != null && now.isBefore(f.retryAt())) {
            return new Next(Kind.WAIT, why, ConcernResult.sooner(f.periodic(), Duration.between(now, f.retryAt())));
        }
        return new Next(Kind.ROTATE, why, null);
    }
}
