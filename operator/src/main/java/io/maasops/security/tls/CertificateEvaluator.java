package io.maasops.security.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;

/**
 * Judges a certificate's expiry the way MAAS's certificate-expiration check does
 * (docs/reference/maas-internals.md §4): days remaining are {@code (notAfter - now).days} in Python, i.e. floored, so
 * under 24 h left counts as 0 days, which is already "expired".
 */
public final class CertificateEvaluator {

    public static final int DEFAULT_REMINDER_DAYS = 30;
    public static final int MIN_REMINDER_DAYS = 1;
    public static final int MAX_REMINDER_DAYS = 90;
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofHours(12);
    public static final String EXPIRED_MESSAGE = "certificate has expired";

    private static final long SECONDS_PER_DAY = 86_400L;

    /** Result of one evaluation. {@code daysRemaining} is negative once past notAfter by a day. */
    public record Evaluation(ExpiryState state, long daysRemaining, Instant notAfter, String message) {

        /** The worst of several evaluations (e.g. Secret and endpoint); ties go to fewer days left. */
        public static Evaluation worst(Collection<Evaluation> evaluations) {
            return evaluations.stream()
                    .filter(Objects::nonNull)
                    .max(Comparator.comparing(Evaluation::state)
                            .thenComparing(Comparator.comparingLong(Evaluation::daysRemaining)
                                    .reversed()))
                    .orElseThrow(() -> new IllegalArgumentException("no evaluation"));
        }
    }

    private CertificateEvaluator() {}

    public static Evaluation evaluate(Instant notAfter, Instant now, int reminderDays) {
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(now, "now");
        validateReminderDays(reminderDays);
        long days = daysRemaining(notAfter, now);
        if (days <= 0) {
            return new Evaluation(ExpiryState.EXPIRED, days, notAfter, EXPIRED_MESSAGE);
        }
        String message = "certificate expires in " + days + (days == 1 ? " day" : " days");
        ExpiryState state = days <= reminderDays ? ExpiryState.EXPIRING : ExpiryState.VALID;
        return new Evaluation(state, days, notAfter, message);
    }

    /** Python's {@code timedelta.days}: floor of the difference in whole days. */
    public static long daysRemaining(Instant notAfter, Instant now) {
        // Duration keeps nanos in [0, 1e9), so getSeconds() is already the floor of the seconds.
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), SECONDS_PER_DAY);
    }

    public static void validateReminderDays(int reminderDays) {
        if (reminderDays < MIN_REMINDER_DAYS || reminderDays > MAX_REMINDER_DAYS) {
            throw new IllegalArgumentException("reminderDays must be between "
                    + MIN_REMINDER_DAYS
                    + " and "
                    + MAX_REMINDER_DAYS
                    + ", got "
                    + reminderDays);
        }
    }
}
