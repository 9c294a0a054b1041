package io.maasops.security.reconciler.region;

import io.maasops.security.api.v1alpha1.CertificateStatus;
import io.maasops.security.api.v1alpha1.MaasNotificationIds;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.maas.CertificateNotificationIdents;
import io.maasops.security.maas.CertificateReminderNotifier;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.reconciler.ErrorMessages;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.tls.CertificateEvaluator;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.CertificateMetrics;
import io.maasops.security.tls.CertificateProbeException;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.tls.ExpiryState;
import io.maasops.security.tls.CertificateStateChange;
import io.maasops.security.tls.EndpointCertificateProbe;
import io.maasops.security.tls.ObservedCertificate;
import io.maasops.security.tls.SecretCertificateReader;
import io.maasops.security.util.Digests;
import io.maasops.security.util.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 5, certificate reminders: every {@code checkInterval} (and on a spec or Secret change) reads
 * the certificate from the kubernetes.io/tls Secret and/or the live endpoint, judges it as MAAS does
 * ({@link CertificateEvaluator}), records one Event per state change, the metrics, and optionally
 * MAAS notifications ({@link CertificateReminderNotifier}). It never renews a certificate.
 */
public final class CertificatePart implements RegionPart {

  private static final Logger LOG = LoggerFactory.getLogger(CertificatePart.class);

  public static final String CONDITION = "CertificateValid";
  public static final String REASON_VALID = "Valid";
  public static final String REASON_EXPIRING = "Expiring";
  public static final String REASON_EXPIRED = "Expired";
  public static final String REASON_UNREADABLE = "CertificateUnreadable";
  public static final String REASON_UNREACHABLE = "EndpointUnreachable";

  /** How soon to try again when MAAS could not be told (the certificate itself was checked). */
  static final Duration NOTIFY_RETRY = Duration.ofMinutes(1);

  private final EndpointCertificateProbe probe;
  private volatile CertificateMetrics metrics;
  /** The last check per region, by "namespace/name" (see {@link LastCheck}). */
  private final Map<String, LastCheck> lastChecks = new java.util.concurrent.ConcurrentHashMap<>();

  public CertificatePart() {
    this(new EndpointCertificateProbe());
  }

  public CertificatePart(EndpointCertificateProbe probe) {
    this.probe = probe;
  }

  @Override
  public List<String> conditionTypes() {
    return List.of(CONDITION);
  }

  /** With spec.tls, or once more after it was removed, to clear status, metrics and notifications. */
  @Override
  public boolean appliesTo(RegionContext ctx) {
    MaasRegionStatus s = ctx.status();
    return ctx.region().getSpec().getTls() != null
        || s.getCertificateCheckedAt() != null || s.getCertificate() != null || s.getMaasNotificationIds() != null;
  }

  @Override
  public PartResult reconcile(RegionContext ctx) {
    TlsSpec tls = ctx.region().getSpec().getTls();
    if (tls == null) {
      forget(ctx);
      ctx.status().setConditions(Conditions.remove(ctx.status().getConditions(), CONDITION));
      return PartResult.of(List.of(), null);
    }
    Duration interval = interval(tls);
    Instant now = ctx.now();
    MaasRegionStatus status = ctx.status();
    String digest = ctx.secret(RegionContext.TLS_CERTIFICATE).map(s -> Digests.sha256Hex(s.reveal())).orElse(null);
    Optional<ConditionValue> current = Conditions.find(status.getConditions(), CONDITION)
        .map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    boolean specChanged = ctx.specChanged();
    LastCheck last = lastChecks.get(ctx.key());
    if (last != null && last.isNewerThan(ctx)) {
      last.applyTo(status);
      current = Optional.of(last.condition());
      specChanged = !Objects.equals(last.generation(), ctx.region().getMetadata().getGeneration());
    }
    Instant checkedAt = status.getCertificateCheckedAt() == null ? null : Instant.parse(status.getCertificateCheckedAt());
    boolean due = specChanged || current.isEmpty() || !Objects.equals(digest, status.getCertificateSecretSha256());
    Optional<Duration> wait = due ? Optional.empty() : timeLeft(checkedAt, interval, now);
    if (wait.isPresent()) {
      return PartResult.of(current.get(), wait.get());
    }
    PartResult result = check(ctx, tls, interval, now, digest);
    lastChecks.put(ctx.key(), LastCheck.of(ctx, now, result.conditions().get(0)));
    return result;
  }

  /**
   * What the last check wrote into status, kept in memory because the next reconcile may start
   * from a cached resource that does not show that status write yet (an Event must not be repeated
   * because of that). Status stays the record; this only bridges the informer's lag.
   */
  private record LastCheck(String uid, Long generation, Instant checkedAt, ConditionValue condition,
                           CertificateStatus certificate, List<CertificateStatus> certificates, String checkedAtText,
                           String secretSha256, MaasNotificationIds notificationIds) {

    static LastCheck of(RegionContext ctx, Instant now, ConditionValue condition) {
      MaasRegionStatus s = ctx.status();
      return new LastCheck(ctx.region().getMetadata().getUid(), ctx.region().getMetadata().getGeneration(), now, condition,
          s.getCertificate() == null ? null : copy(s.getCertificate()),
          s.getCertificates() == null ? null : s.getCertificates().stream().map(CertificatePart::copy).toList(),
          s.getCertificateCheckedAt(), s.getCertificateSecretSha256(),
          s.getMaasNotificationIds() == null ? null
              : new MaasNotificationIds(s.getMaasNotificationIds().getReminder(), s.getMaasNotificationIds().getExpired()));
    }

    /** Same object, and the status does not record a check at or after this one. */
    boolean isNewerThan(RegionContext ctx) {
      String seen = ctx.status().getCertificateCheckedAt();
      return Objects.equals(uid, ctx.region().getMetadata().getUid())
          && (seen == null || Instant.parse(seen).isBefore(checkedAt.truncatedTo(ChronoUnit.SECONDS)));
    }

    void applyTo(MaasRegionStatus s) {
      s.setCertificate(certificate == null ? null : copy(certificate));
      s.setCertificates(certificates == null ? null : certificates.stream().map(CertificatePart::copy).toList());
      s.setCertificateCheckedAt(checkedAtText);
      s.setCertificateSecretSha256(secretSha256);
      s.setMaasNotificationIds(notificationIds == null ? null
          : new MaasNotificationIds(notificationIds.getReminder(), notificationIds.getExpired()));
    }
  }

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

  private PartResult check(RegionContext ctx, TlsSpec tls, Duration interval, Instant now, String digest) {
    MaasRegionStatus status = ctx.status();
    int reminderDays = tls.getReminderDays() == null ? CertificateEvaluator.DEFAULT_REMINDER_DAYS : tls.getReminderDays();
    Map<String, CertificateStatus> previous = new HashMap<>();
    if (status.getCertificates() != null) {
      status.getCertificates().forEach(c -> previous.put(c.getSource(), c));
    }

    List<Source> sources = new ArrayList<>();
    if (tls.getCertificateSecretRef() != null) {
      sources.add(readSecret(ctx, tls));
    }
    if (tls.getEndpoint() != null && !tls.getEndpoint().isEmpty()) {
      sources.add(probeEndpoint(tls.getEndpoint()));
    } else {
      metrics(ctx).remove(ctx.namespace(), ctx.name(), ObservedCertificate.SOURCE_ENDPOINT);
    }
    if (tls.getCertificateSecretRef() == null) {
      metrics(ctx).remove(ctx.namespace(), ctx.name(), ObservedCertificate.SOURCE_SECRET);
    }

    List<CertificateStatus> entries = new ArrayList<>();
    Map<String, Evaluation> evaluations = new LinkedHashMap<>();
    List<Source> failures = new ArrayList<>();
    for (Source source : sources) {
      CertificateStatus before = previous.get(source.kind());
      if (source.observed() == null) {
        failures.add(source);
        // keep what was last seen (so a blip does not repeat the event); say why it is stale
        CertificateStatus entry = before == null ? new CertificateStatus() : copy(before);
        entry.setSource(source.kind());
        entry.setMessage(source.failureMessage());
        entries.add(entry);
        continue;
      }
      Evaluation e = CertificateEvaluator.evaluate(source.observed().notAfter(), now, reminderDays);
      evaluations.put(source.kind(), e);
      CertificateStateChange.between(before == null ? null : toTls(before.getState()), e, source.label())
          .ifPresent(change -> record(ctx, change));
      metrics(ctx).record(ctx.namespace(), ctx.name(), source.kind(), e);
      entries.add(entry(source, e, now));
    }

    status.setCertificates(entries);
    status.setCertificate(worstEntry(entries));
    status.setCertificateCheckedAt(format(now));
    status.setCertificateSecretSha256(digest);

    Optional<String> notifyProblem = notifyMaas(ctx, tls, evaluations.isEmpty() ? null : Evaluation.worst(evaluations.values()),
        !failures.isEmpty());
    Duration requeue = interval;
    if (notifyProblem.isPresent()) {
      // checked, but MAAS was not told: look again soon (state is unchanged, so no repeated event)
      status.setCertificateCheckedAt(null);
      requeue = NOTIFY_RETRY.compareTo(interval) < 0 ? NOTIFY_RETRY : interval;
    }
    ConditionValue condition = condition(failures, evaluations);
    if (notifyProblem.isPresent()) {
      condition = new ConditionValue(condition.type(), condition.status(), condition.reason(),
          condition.message() + "; MAAS notification not updated: " + notifyProblem.get());
    }
    return PartResult.of(condition, requeue);
  }

  private static ConditionValue condition(List<Source> failures, Map<String, Evaluation> evaluations) {
    if (!failures.isEmpty()) {
      List<String> parts = new ArrayList<>();
      failures.forEach(f -> parts.add(f.failureMessage()));
      evaluations.forEach((kind, e) -> parts.add(kind + ": " + e.message()));
      return ConditionValue.isFalse(CONDITION, failures.get(0).failureReason(), String.join("; ", parts));
    }
    Evaluation worst = Evaluation.worst(evaluations.values());
    return switch (worst.state()) {
      case VALID -> ConditionValue.isTrue(CONDITION, REASON_VALID, worst.message());
      case EXPIRING -> ConditionValue.isFalse(CONDITION, REASON_EXPIRING, worst.message());
      case EXPIRED -> ConditionValue.isFalse(CONDITION, REASON_EXPIRED, worst.message());
    };
  }

  /**
   * Brings MAAS's notifications in line with the worst evaluation; returns why it could not.
   * When a source failed and none was read, MAAS is left as it is (an unreachable endpoint is not
   * a renewal).
   */
  private Optional<String> notifyMaas(RegionContext ctx, TlsSpec tls, Evaluation worst, boolean someFailed) {
    MaasRegionStatus status = ctx.status();
    boolean wanted = Boolean.TRUE.equals(tls.getNotifyMaas());
    if (ctx.region().getSpec().getApi() == null) {
      status.setMaasNotificationIds(null); // nowhere to reach them any more
      return Optional.empty();
    }
    if (wanted && worst == null && someFailed) {
      return Optional.empty();
    }
    if (!wanted && status.getMaasNotificationIds() == null) {
      return Optional.empty();
    }
    return sync(ctx, wanted ? worst : null);
  }

  private Optional<String> sync(RegionContext ctx, Evaluation evaluation) {
    MaasRegionStatus status = ctx.status();
    Optional<String> missingKey = ctx.missingSecret(RegionContext.API_KEY);
    if (missingKey.isPresent()) {
      return missingKey;
    }
    CertificateNotificationIdents idents = CertificateNotificationIdents.forRegion(ctx.key());
    Map<String, Integer> known = new HashMap<>();
    MaasNotificationIds ids = status.getMaasNotificationIds();
    if (ids != null && ids.getReminder() != null) {
      known.put(idents.reminder(), ids.getReminder());
    }
    if (ids != null && ids.getExpired() != null) {
      known.put(idents.expired(), ids.getExpired());
    }
    try {
      MaasApiClient client = ctx.maasApi().orElseThrow();
      var outcome = new CertificateReminderNotifier(client).sync(idents, ctx.region().getSpec().getHostname(), evaluation, known);
      outcome.warnings().forEach(w -> LOG.warn("region {}: {}", ctx.key(), w));
      status.setMaasNotificationIds(outcome.reminderId() == null && outcome.expiredId() == null
          ? null : new MaasNotificationIds(outcome.reminderId(), outcome.expiredId()));
      return Optional.empty();
    } catch (MaasApiException | CertificateReadException | RuntimeException e) {
      LOG.warn("region {}: MAAS notifications not updated: {}", ctx.key(), ErrorMessages.describe(e));
      return Optional.of(ErrorMessages.describe(e));
    }
  }

  /** spec.tls removed: drop status, metrics and the notifications the operator posted. */
  private void forget(RegionContext ctx) {
    MaasRegionStatus status = ctx.status();
    lastChecks.remove(ctx.key());
    metrics(ctx).remove(ctx.namespace(), ctx.name(), null);
    if (status.getMaasNotificationIds() != null && ctx.region().getSpec().getApi() != null) {
      if (sync(ctx, null).isPresent()) {
        return; // try again at the next reconcile; the leftover state keeps this part applying
      }
    }
    status.setMaasNotificationIds(null);
    status.setCertificate(null);
    status.setCertificates(null);
    status.setCertificateCheckedAt(null);
    status.setCertificateSecretSha256(null);
  }

  @Override
  public void cleanup(RegionContext ctx) {
    lastChecks.remove(ctx.key());
    metrics(ctx).remove(ctx.namespace(), ctx.name(), null);
    if (ctx.status().getMaasNotificationIds() != null && ctx.region().getSpec().getApi() != null
        && ctx.refusal().isEmpty() && ctx.secret(RegionContext.API_KEY).isPresent()) {
      // best effort: a region that is gone should not leave reminders behind
      sync(ctx, null);
    }
  }

  private Source readSecret(RegionContext ctx, TlsSpec tls) {
    var ref = tls.getCertificateSecretRef();
    String label = "Secret " + ref.getName();
    Optional<String> missing = ctx.missingSecret(RegionContext.TLS_CERTIFICATE);
    if (missing.isPresent()) {
      String m = missing.get();
      int colon = m.indexOf(": ");
      return Source.failed(ObservedCertificate.SOURCE_SECRET, label, colon > 0 ? m.substring(0, colon) : REASON_UNREADABLE,
          colon > 0 ? m.substring(colon + 2) : m);
    }
    try {
      byte[] pem = ctx.secret(RegionContext.TLS_CERTIFICATE).orElseThrow().reveal().getBytes(StandardCharsets.US_ASCII);
      return Source.read(ObservedCertificate.SOURCE_SECRET, label, SecretCertificateReader.read(pem));
    } catch (CertificateReadException e) {
      return Source.failed(ObservedCertificate.SOURCE_SECRET, label, REASON_UNREADABLE,
          label + " key \"" + (ref.getKey() == null ? "tls.crt" : ref.getKey()) + "\": " + e.getMessage());
    }
  }

  private Source probeEndpoint(String endpoint) {
    String label = "endpoint " + endpoint;
    try {
      return Source.read(ObservedCertificate.SOURCE_ENDPOINT, label, probe.probe(endpoint));
    } catch (CertificateProbeException | IllegalArgumentException e) {
      return Source.failed(ObservedCertificate.SOURCE_ENDPOINT, label, REASON_UNREACHABLE, label + ": " + e.getMessage());
    }
  }

  private static void record(RegionContext ctx, CertificateStateChange change) {
    if ("Warning".equals(change.type())) {
      ctx.events().warning(ctx.region(), change.reason(), change.message());
    } else {
      ctx.events().normal(ctx.region(), change.reason(), change.message());
    }
  }

  private CertificateMetrics metrics(RegionContext ctx) {
    CertificateMetrics m = metrics;
    if (m == null) {
      synchronized (this) {
        if (metrics == null) {
          metrics = new CertificateMetrics(ctx.services().metrics().registry());
        }
        m = metrics;
      }
    }
    return m;
  }

  private static CertificateStatus entry(Source source, Evaluation e, Instant now) {
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
  private static CertificateStatus worstEntry(List<CertificateStatus> entries) {
    CertificateStatus worst = null;
    for (CertificateStatus c : entries) {
      if (c.getState() == null) {
        continue;
      }
      if (worst == null || c.getState().compareTo(worst.getState()) > 0
          || (c.getState() == worst.getState() && c.getDaysRemaining() < worst.getDaysRemaining())) {
        worst = c;
      }
    }
    return worst == null ? null : copy(worst);
  }

  private static CertificateStatus copy(CertificateStatus c) {
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

  static Duration interval(TlsSpec tls) {
    return tls.getCheckInterval() == null ? CertificateEvaluator.DEFAULT_CHECK_INTERVAL : Durations.parse(tls.getCheckInterval());
  }

  static io.maasops.security.api.v1alpha1.CertificateState toApi(ExpiryState s) {
    return switch (s) {
      case VALID -> io.maasops.security.api.v1alpha1.CertificateState.Valid;
      case EXPIRING -> io.maasops.security.api.v1alpha1.CertificateState.Expiring;
      case EXPIRED -> io.maasops.security.api.v1alpha1.CertificateState.Expired;
    };
  }

  static ExpiryState toTls(io.maasops.security.api.v1alpha1.CertificateState s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case Valid -> ExpiryState.VALID;
      case Expiring -> ExpiryState.EXPIRING;
      case Expired -> ExpiryState.EXPIRED;
    };
  }

  private static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** One source's outcome: a certificate, or why there is none. */
  private record Source(String kind, String label, ObservedCertificate observed, String failureReason, String failureMessage) {
    static Source read(String kind, String label, ObservedCertificate observed) {
      return new Source(kind, label, observed, null, null);
    }

    static Source failed(String kind, String label, String reason, String message) {
      return new Source(kind, label, null, reason, message);
    }
  }
}
