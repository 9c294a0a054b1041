package io.maasops.security.concern.certificate;

import io.maasops.security.api.v1alpha1.CertificateStatus;
import io.maasops.security.api.v1alpha1.MaasNotificationIds;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.status.ConditionValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * What the last check wrote into status, kept in memory because the next reconcile may start from a
 * cached resource that does not show that status write yet (an Event must not be repeated because
 * of that). Status stays the record; this only bridges the informer's lag.
 */
record LastCheck(
        String uid,
        Long generation,
        Instant checkedAt,
        ConditionValue condition,
        CertificateStatus certificate,
        List<CertificateStatus> certificates,
        String checkedAtText,
        String secretSha256,
        MaasNotificationIds notificationIds) {

    static LastCheck of(RegionInputs in, Instant now, ConditionValue condition) {
        MaasRegionStatus s = in.status();
        return new LastCheck(
                in.region().getMetadata().getUid(),
                in.region().getMetadata().getGeneration(),
                now,
                condition,
                s.getCertificate() == null ? null : CertificateEntries.copy(s.getCertificate()),
                s.getCertificates() == null
                        ? null
                        : s.getCertificates().stream()
                                .map(CertificateEntries::copy)
                                .toList(),
                s.getCertificateCheckedAt(),
                s.getCertificateSecretSha256(),
                s.getMaasNotificationIds() == null
                        ? null
                        : new MaasNotificationIds(
                                s.getMaasNotificationIds().getReminder(),
                                s.getMaasNotificationIds().getExpired()));
    }

    /** Same object, and the status does not record a check at or after this one. */
    boolean isNewerThan(RegionInputs in) {
        String seen = in.status().getCertificateCheckedAt();
        return Objects.equals(uid, in.region().getMetadata().getUid())
                && (seen == null || Instant.parse(seen).isBefore(checkedAt.truncatedTo(ChronoUnit.SECONDS)));
    }

    void applyTo(MaasRegionStatus s) {
        s.setCertificate(certificate == null ? null : CertificateEntries.copy(certificate));
        s.setCertificates(
                certificates == null
                        ? null
                        : certificates.stream().map(CertificateEntries::copy).toList());
        s.setCertificateCheckedAt(checkedAtText);
        s.setCertificateSecretSha256(secretSha256);
        s.setMaasNotificationIds(
                notificationIds == null
                        ? null
                        : new MaasNotificationIds(notificationIds.getReminder(), notificationIds.getExpired()));
    }
}
