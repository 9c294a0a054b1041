package io.maasops.security.concern.certificate;

import io.maasops.security.api.v1alpha1.MaasNotificationIds;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.concern.RegionSecrets;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.maas.CertificateNotificationIdents;
import io.maasops.security.maas.CertificateReminderNotifier;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.port.MaasApi;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.CertificateReadException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MAAS notifications (banner reminders) that mirror a region's certificate state ({@link CertificateReminderNotifier}). */
final class MaasReminders {

    private static final Logger LOG = LoggerFactory.getLogger(MaasReminders.class);

    private MaasReminders() {}

    /**
     * Brings MAAS's notifications in line with the worst evaluation; returns why it could not. When a
     * source failed and none was read, MAAS is left as it is (an unreachable endpoint is not a renewal).
     */
    static Optional<String> notify(RegionInputs in, TlsSpec tls, Evaluation worst, boolean someFailed) {
        MaasRegionStatus status = in.status();
        boolean wanted = Boolean.TRUE.equals(tls.getNotifyMaas());
        if (in.region().getSpec().getApi() == null) {
            status.setMaasNotificationIds(null); // nowhere to reach them any more
            return Optional.empty();
        }
        if (wanted && worst == null && someFailed) {
            return Optional.empty();
        }
        if (!wanted && status.getMaasNotificationIds() == null) {
            return Optional.empty();
        }
        return sync(in, wanted ? worst : null);
    }

    /** Posts, updates or removes the notifications; {@code evaluation} null removes them. Returns why it could not. */
    static Optional<String> sync(RegionInputs in, Evaluation evaluation) {
        MaasRegionStatus status = in.status();
        Optional<String> missingKey = in.missingSecret(RegionSecrets.API_KEY);
        if (missingKey.isPresent()) {
            return missingKey;
        }
        CertificateNotificationIdents idents = CertificateNotificationIdents.forRegion(in.key());
        Map<String, Integer> known = new HashMap<>();
        MaasNotificationIds ids = status.getMaasNotificationIds();
        if (ids != null && ids.getReminder() != null) {
            known.put(idents.reminder(), ids.getReminder());
        }
        if (ids != null && ids.getExpired() != null) {
            known.put(idents.expired(), ids.getExpired());
        }
        try {
            MaasApi client = in.maasApi().orElseThrow();
            var outcome = new CertificateReminderNotifier(client).sync(idents, in.hostname(), evaluation, known);
            outcome.warnings().forEach(w -> LOG.warn("region {}: {}", in.key(), w));
            status.setMaasNotificationIds(
                    outcome.reminderId() == null && outcome.expiredId() == null
                            ? null
                            : new MaasNotificationIds(outcome.reminderId(), outcome.expiredId()));
            return Optional.empty();
        } catch (MaasApiException | CertificateReadException | RuntimeException e) {
            LOG.warn("region {}: MAAS notifications not updated: {}", in.key(), ErrorMessages.describe(e));
            return Optional.of(ErrorMessages.describe(e));
        }
    }
}
