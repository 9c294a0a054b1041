package io.maasops.security.concern.certificate;

import io.maasops.security.api.v1alpha1.CertificateStatus;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionConcern;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.concern.RegionSecrets;
import io.maasops.security.concern.certificate.CertificateSources.Source;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.tls.CertificateEvaluator;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.CertificateMetrics;
import io.maasops.security.tls.CertificateStateChange;
import io.maasops.security.tls.ObservedCertificate;
import io.maasops.security.util.Digests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificate reminders: every {@code checkInterval} (and on a spec or Secret change) reads the
 * certificate from the kubernetes.io/tls Secret and/or the live endpoint ({@link CertificateSources}),
 * judges it as MAAS does ({@link CertificateEvaluator}), asks for one Event per state change, records
 * the metrics, and optionally MAAS notifications ({@link MaasReminders}). It never renews a certificate.
 */
public final class CertificateConcern implements RegionConcern {

    public static final String CONDITION = ConditionType.CERTIFICATE_VALID.value();
    public static final String REASON_VALID = Reason.VALID.value();
    public static final String REASON_EXPIRING = Reason.EXPIRING.value();
    public static final String REASON_EXPIRED = Reason.EXPIRED.value();
    public static final String REASON_UNREADABLE = Reason.CERTIFICATE_UNREADABLE.value();
    public static final String REASON_UNREACHABLE = Reason.ENDPOINT_UNREACHABLE.value();

    /** How soon to try again when MAAS could not be told (the certificate itself was checked). */
    static final Duration NOTIFY_RETRY = Duration.ofMinutes(1);

    private volatile CertificateMetrics metrics;
    /** The last check per region, by "namespace/name" (see {@link LastCheck}). */
    private final Map<String, LastCheck> lastChecks = new ConcurrentHashMap<>();

    @Override
    public List<String> conditionTypes() {
        return List.of(CONDITION);
    }

    /** With spec.tls, or once more after it was removed, to clear status, metrics and notifications. */
    @Override
    public boolean appliesTo(RegionInputs in) {
        MaasRegionStatus s = in.status();
        return in.region().getSpec().getTls() != null
                || s.getCertificateCheckedAt() != null
                || s.getCertificate() != null
                || s.getMaasNotificationIds() != null;
    }

    @Override
    public ConcernResult reconcile(RegionInputs in) {
        TlsSpec tls = in.region().getSpec().getTls();
        if (tls == null) {
            forget(in);
            in.status().setConditions(Conditions.remove(in.status().getConditions(), CONDITION));
            return ConcernResult.of(List.of(), null);
        }
        Duration interval = CertificateEntries.interval(tls);
        Instant now = in.now();
        MaasRegionStatus status = in.status();
        String digest = in.secret(RegionSecrets.TLS_CERTIFICATE)
                .map(s -> Digests.sha256Hex(s.reveal()))
                .orElse(null);
        Optional<ConditionValue> current = Conditions.find(status.getConditions(), CONDITION)
                .map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
        boolean specChanged = in.specChanged();
        LastCheck last = lastChecks.get(in.key());
        if (last != null && last.isNewerThan(in)) {
            last.applyTo(status);
            current = Optional.of(last.condition());
            specChanged =
                    !Objects.equals(last.generation(), in.region().getMetadata().getGeneration());
        }
        Instant checkedAt =
                status.getCertificateCheckedAt() == null ? null : Instant.parse(status.getCertificateCheckedAt());
        boolean due = specChanged || current.isEmpty() || !Objects.equals(digest, status.getCertificateSecretSha256());
        Optional<Duration> wait = due ? Optional.empty() : CertificateEntries.timeLeft(checkedAt, interval, now);
        if (wait.isPresent()) {
            return ConcernResult.of(current.get(), wait.get());
        }
        ConcernResult result = check(in, tls, interval, now, digest);
        lastChecks.put(in.key(), LastCheck.of(in, now, result.conditions().get(0)));
        return result;
    }

    private ConcernResult check(RegionInputs in, TlsSpec tls, Duration interval, Instant now, String digest) {
        MaasRegionStatus status = in.status();
        int reminderDays =
                tls.getReminderDays() == null ? CertificateEvaluator.DEFAULT_REMINDER_DAYS : tls.getReminderDays();
        Map<String, CertificateStatus> previous = new HashMap<>();
        if (status.getCertificates() != null) {
            status.getCertificates().forEach(c -> previous.put(c.getSource(), c));
        }
        List<Source> sources = sources(in, tls);
        List<CertificateStatus> entries = new ArrayList<>();
        Map<String, Evaluation> evaluations = new LinkedHashMap<>();
        List<Source> failures = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (Source source : sources) {
            CertificateStatus before = previous.get(source.kind());
            if (source.observed() == null) {
                failures.add(source);
                // keep what was last seen (so a blip does not repeat the event); say why it is stale
                CertificateStatus entry = before == null ? new CertificateStatus() : CertificateEntries.copy(before);
                entry.setSource(source.kind());
                entry.setMessage(source.failureMessage());
                entries.add(entry);
                continue;
            }
            Evaluation e = CertificateEvaluator.evaluate(source.observed().notAfter(), now, reminderDays);
            evaluations.put(source.kind(), e);
            CertificateStateChange.between(
                            before == null ? null : CertificateEntries.toExpiry(before.getState()), e, source.label())
                    .ifPresent(change -> notices.add(
                            new Notice("Warning".equals(change.type()), change.reason(), change.message())));
            metrics(in).record(in.namespace(), in.name(), source.kind(), e);
            entries.add(CertificateEntries.entry(source, e, now));
        }
        status.setCertificates(entries);
        status.setCertificate(CertificateEntries.worstEntry(entries));
        status.setCertificateCheckedAt(CertificateEntries.format(now));
        status.setCertificateSecretSha256(digest);
        Optional<String> notifyProblem = MaasReminders.notify(
                in, tls, evaluations.isEmpty() ? null : Evaluation.worst(evaluations.values()), !failures.isEmpty());
        Duration requeue = interval;
        ConditionValue condition = CertificateEntries.condition(failures, evaluations);
        if (notifyProblem.isPresent()) {
            // checked, but MAAS was not told: look again soon (state is unchanged, so no repeated event)
            status.setCertificateCheckedAt(null);
            requeue = NOTIFY_RETRY.compareTo(interval) < 0 ? NOTIFY_RETRY : interval;
            condition = new ConditionValue(
                    condition.type(),
                    condition.status(),
                    condition.reason(),
                    condition.message() + "; MAAS notification not updated: " + notifyProblem.get());
        }
        return new ConcernResult(List.of(condition), requeue, List.copyOf(notices));
    }

    private List<Source> sources(RegionInputs in, TlsSpec tls) {
        List<Source> sources = new ArrayList<>();
        if (tls.getCertificateSecretRef() != null) {
            sources.add(CertificateSources.readSecret(in, tls));
        }
        if (tls.getEndpoint() != null && !tls.getEndpoint().isEmpty()) {
            sources.add(CertificateSources.probeEndpoint(in.ports().certificateProbe(), tls.getEndpoint()));
        } else {
            metrics(in).remove(in.namespace(), in.name(), ObservedCertificate.SOURCE_ENDPOINT);
        }
        if (tls.getCertificateSecretRef() == null) {
            metrics(in).remove(in.namespace(), in.name(), ObservedCertificate.SOURCE_SECRET);
        }
        return sources;
    }

    /** spec.tls removed: drop status, metrics and the notifications the operator posted. */
    private void forget(RegionInputs in) {
        MaasRegionStatus status = in.status();
        lastChecks.remove(in.key());
        metrics(in).remove(in.namespace(), in.name(), null);
        if (status.getMaasNotificationIds() != null && in.region().getSpec().getApi() != null) {
            if (MaasReminders.sync(in, null).isPresent()) {
                return; // try again at the next reconcile; the leftover state keeps this concern applying
            }
        }
        status.setMaasNotificationIds(null);
        status.setCertificate(null);
        status.setCertificates(null);
        status.setCertificateCheckedAt(null);
        status.setCertificateSecretSha256(null);
    }

    @Override
    public List<Notice> cleanup(RegionInputs in) {
        lastChecks.remove(in.key());
        metrics(in).remove(in.namespace(), in.name(), null);
        if (in.status().getMaasNotificationIds() != null
                && in.region().getSpec().getApi() != null
                && in.refusal().isEmpty()
                && in.secret(RegionSecrets.API_KEY).isPresent()) {
            // best effort: a region that is gone should not leave reminders behind
            MaasReminders.sync(in, null);
        }
        return List.of();
    }

    private CertificateMetrics metrics(RegionInputs in) {
        CertificateMetrics m = metrics;
        if (m == null) {
            synchronized (this) {
                if (metrics == null) {
                    metrics = new CertificateMetrics(in.metrics());
                }
                m = metrics;
            }
        }
        return m;
    }
}
