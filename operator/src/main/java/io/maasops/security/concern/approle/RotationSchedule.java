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
        return due(appRole, period, annotation, now, null);
    }

    /**
     * @param region "namespace/name": the period comes due {@link #offset} early for it (null: no offset); a
     *     request by annotation is never delayed
     */
    static String due(AppRoleStatus appRole, Duration period, String annotation, Instant now, String region) {
        if (appRole.getSecretIdAccessor() == null || appRole.getConfiguredAt() == null) {
            return null; // first configuration is not a rotation
        }
        if (annotation != null && !annotation.equals(appRole.getRotationRequest())) {
            return "requested (" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "=" + annotation + ")";
        }
        Instant next = nextDue(appRole, period, region);
        if (next != null && !now.isBefore(next)) {
            return "rotation period " + Durations.toVaultSeconds(period) + " elapsed";
        }
        return null;
    }

    /** When the period says to rotate next (from the last rotation, else the configuration); null = never. */
    static Instant nextDue(AppRoleStatus appRole, Duration period) {
        return nextDue(appRole, period, null);
    }

    /** {@link #nextDue(AppRoleStatus, Duration)}, {@link #offset} early for {@code region} (null: no offset). */
    static Instant nextDue(AppRoleStatus appRole, Duration period, String region) {
        if (period == null || period.isZero() || period.isNegative()) {
            return null;
        }
        String since = appRole.getRotatedAt() != null ? appRole.getRotatedAt() : appRole.getConfiguredAt();
        return since == null ? null : Instant.parse(since).plus(period).minus(offset(region, period));
    }

    /**
     * How much earlier than the period a region's rotation comes due: a fixed share of up to a quarter of the period,
     * from a hash (SHA-256) of "namespace/name", so that regions configured together do not all come due together,
     * the same share on every operator and after every restart. Early, never late: a secret-id is never older than
     * the period.
     */
    static Duration offset(String region, Duration period) {
        if (region == null || period == null || period.isZero() || period.isNegative()) {
            return Duration.ZERO;
        }
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(region.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
        long share = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
        // share / 2^32 of a quarter period, in milliseconds (a period fits: at most about 292 million years)
        long quarterMillis = period.toMillis() / 4;
        return Duration.ofMillis((long) (quarterMillis * (share / 4294967296.0)));
    }

    /** How long until the period says to rotate (at least the backoff floor once due); null = never. */
    static Duration untilNext(AppRoleStatus appRole, Duration period, Instant now, RetryDelays retries) {
        return untilNext(appRole, period, now, retries, null);
    }

    static Duration untilNext(AppRoleStatus appRole, Duration period, Instant now, RetryDelays retries, String region) {
        Instant next = nextDue(appRole, period, region);
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
