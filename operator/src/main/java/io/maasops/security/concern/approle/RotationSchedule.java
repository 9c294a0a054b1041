package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.util.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * When a configured region gets a new secret-id: every spec.rotation.secretIdRotationPeriod, or when
 * the {@value ApiGroup#ROTATE_SECRET_ID_ANNOTATION} annotation gets a new value. Pure.
 */
final class RotationSchedule {

    private RotationSchedule() {}

    /**
     * Why a configured region should rotate now, or null.
     *
     * @param annotation the current value of the rotate-secret-id annotation (null when absent)
     */
    static String due(AppRoleStatus appRole, Duration period, String annotation, Instant now) {
        if (appRole.getSecretIdAccessor() == null || appRole.getConfiguredAt() == null) {
            return null; // first configuration is not a rotation
        }
        if (annotation != null && !annotation.equals(appRole.getRotationRequest())) {
            return "requested (" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "=" + annotation + ")";
        }
        Instant next = nextDue(appRole, period);
        if (next != null && !now.isBefore(next)) {
            return "rotation period " + Durations.toVaultSeconds(period) + " elapsed";
        }
        return null;
    }

    /** When the period says to rotate next (from the last rotation, else the configuration); null = never. */
    static Instant nextDue(AppRoleStatus appRole, Duration period) {
        if (period == null || period.isZero() || period.isNegative()) {
            return null;
        }
        String since = appRole.getRotatedAt() != null ? appRole.getRotatedAt() : appRole.getConfiguredAt();
        return since == null ? null : Instant.parse(since).plus(period);
    }

    /** How long until the period says to rotate (at least the backoff floor once due); null = never. */
    static Duration untilNext(AppRoleStatus appRole, Duration period, Instant now, RetryDelays retries) {
        Instant next = nextDue(appRole, period);
        if (next == null) {
            return null;
        }
        Duration d = Duration.between(now, next);
        return d.isNegative() || d.isZero() ? retries.floor() : d;
    }

    /**
     * When the next secret-id may be issued after a failed rotation: the last one was issued at
     * {@code issuedAt}, and rotation has been failing since {@code failingSince}; the wait is how long
     * it had been failing when that last attempt was made, so it grows with each failed attempt. It
     * must not depend on the current time: measured up to "now" it grew as fast as time passed, and an
     * attempt stamped a second after the failure was recorded was postponed forever (docs/reliability.md).
     */
    static Instant retryAt(String issuedAt, String failingSince, RetryDelays retries) {
        Instant issued = Instant.parse(issuedAt);
        return issued.plus(retries.since(failingSince, issued));
    }
}
