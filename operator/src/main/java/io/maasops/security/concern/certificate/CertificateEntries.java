package io.maasops.security.concern.certificate;

import io.maasops.security.api.v1alpha1.CertificateState;
import io.maasops.security.api.v1alpha1.CertificateStatus;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.tls.CertificateEvaluator;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.ExpiryState;
import io.maasops.security.tls.ObservedCertificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pure: the certificate concern's status entries, condition and schedule. */
final class CertificateEntries {

    private CertificateEntries() {}

    /**
     * How long until the next scheduled check, or empty when one is due now. Never more than the
     * interval (a clock set back must not postpone the check indefinitely).
     */
    static Optional<Duration> timeLeft(Instant checkedAt, Duration interval, Instant now) {
        if (checkedAt == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, checkedAt.plus(interval));
        if (left.isZero() || left.isNegative()) {
            return Optional.empty();
        }
        return Optional.of(left.compareTo(interval) > 0 ? interval : left);
    }

    static Duration interval(TlsSpec tls) {
        return tls.getCheckInterval() == null
                ? CertificateEvaluator.DEFAULT_CHECK_INTERVAL
                : io.maasops.security.util.Durations.parse(tls.getCheckInterval());
    }

    static ConditionValue condition(List<CertificateSources.Source> failures, Map<String, Evaluation> evaluations) {
        if (!failures.isEmpty()) {
            List<String> parts = new ArrayList<>();
            failures.forEach(f -> parts.add(f.failureMessage()));
            evaluations.forEach((kind, e) -> parts.add(kind + ": " + e.message()));
            return ConditionValue.isFalse(
                    CertificateConcern.CONDITION, failures.get(0).failureReason(), String.join("; ", parts));
        }
        Evaluation worst = Evaluation.worst(evaluations.values());
        return switch (worst.state()) {
            case VALID ->
                ConditionValue.isTrue(CertificateConcern.CONDITION, CertificateConcern.REASON_VALID, worst.message());
            case EXPIRING ->
                ConditionValue.isFalse(
                        CertificateConcern.CONDITION, CertificateConcern.REASON_EXPIRING, worst.message());
            case EXPIRED ->
                ConditionValue.isFalse(
                        CertificateConcern.CONDITION, CertificateConcern.REASON_EXPIRED, worst.message());
        };
    }

    static CertificateStatus entry(CertificateSources.Source source, Evaluation e, Instant now) {
        ObservedCertificate o = source.observed();
        CertificateStatus c = new CertificateStatus();
        c.setSource(source.kind());
        c.setSubject(o.subject());
        c.setNotAfter(format(o.notAfter()));
        c.setDaysRemaining(e.daysRemaining());
        c.setState(toApi(e.state()));
        c.setTrusted(o.trusted());
        c.setLastChecked(format(now));
        c.setMessage(Boolean.FALSE.equals(o.trusted()) ? "not trusted: " + o.trustError() : null);
        return c;
    }

    /** The most urgent entry that has a state (ties: fewer days left); null when none has been read yet. */
    static CertificateStatus worstEntry(List<CertificateStatus> entries) {
        CertificateStatus worst = null;
        for (CertificateStatus c : entries) {
            if (c.getState() == null) {
                continue;
            }
            if (worst == null
                    || c.getState().compareTo(worst.getState()) > 0
                    || (c.getState() == worst.getState() && c.getDaysRemaining() < worst.getDaysRemaining())) {
                worst = c;
            }
        }
        return worst == null ? null : copy(worst);
    }

    static CertificateStatus copy(CertificateStatus c) {
        CertificateStatus out = new CertificateStatus();
        out.setSource(c.getSource());
        out.setSubject(c.getSubject());
        out.setNotAfter(c.getNotAfter());
        out.setDaysRemaining(c.getDaysRemaining());
        out.setState(c.getState());
        out.setTrusted(c.getTrusted());
        out.setLastChecked(c.getLastChecked());
        out.setMessage(c.getMessage());
        return out;
    }

    static CertificateState toApi(ExpiryState s) {
        return switch (s) {
            case VALID -> CertificateState.Valid;
            case EXPIRING -> CertificateState.Expiring;
            case EXPIRED -> CertificateState.Expired;
        };
    }

    static ExpiryState toExpiry(CertificateState s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case Valid -> ExpiryState.VALID;
            case Expiring -> ExpiryState.EXPIRING;
            case Expired -> ExpiryState.EXPIRED;
        };
    }

    static String format(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
