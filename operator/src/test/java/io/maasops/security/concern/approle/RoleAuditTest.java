package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.maasops.security.api.v1alpha1.AppRoleAudit;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.contract.RetryDelays;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit's cadence and its classification of regiond.conf's role (pure parts of {@link RoleAudit}). */
class RoleAuditTest {

    static final Instant CONFIGURED = Instant.parse("2026-12-04T10:00:00Z");
    static final RetryDelays DELAYS = new RetryDelays(
            Duration.ofSeconds(5),
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofMinutes(10));

    static AppRoleStatus configured() {
        AppRoleStatus a = new AppRoleStatus();
        a.setRoleId("id-a");
        a.setSecretIdAccessor("acc-a");
        a.setConfiguredAt(CONFIGURED.toString());
        return a;
    }

    static AppRoleAudit audit(Instant at, boolean problem) {
        AppRoleAudit audit = new AppRoleAudit();
        audit.setCheckedAt(at.toString());
        audit.setSecretIdLive(true);
        audit.setForeignSecretIds(problem ? 1 : 0);
        audit.setRegiondConfRole(AppRoleAudit.OWN);
        return audit;
    }

    static MaasRegion region(String ns, String name, String roleId) {
        MaasRegion r = new MaasRegion();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        MaasRegionStatus s = new MaasRegionStatus();
        AppRoleStatus a = new AppRoleStatus();
        a.setRoleId(roleId);
        s.setAppRole(a);
        r.setStatus(s);
        return r;
    }

    @Test
    void theFirstAuditComesOneIntervalAfterTheRegionWasConfigured() {
        AppRoleStatus a = configured();
        assertThat(RoleAudit.untilDue(a, DELAYS, CONFIGURED.plusSeconds(32))).isEqualTo(Duration.ofSeconds(568));
        assertThat(RoleAudit.untilDue(a, DELAYS, CONFIGURED.plus(Duration.ofMinutes(10))))
                .isZero();
    }

    @Test
    void thenEveryIntervalAndSoonerWhileTheLastOneFoundAProblem() {
        AppRoleStatus a = configured();
        Instant at = CONFIGURED.plus(Duration.ofMinutes(10));
        a.setAudit(audit(at, false));
        assertThat(RoleAudit.untilDue(a, DELAYS, at)).isEqualTo(Duration.ofMinutes(10));
        a.setAudit(audit(at, true));
        assertThat(RoleAudit.untilDue(a, DELAYS, at)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aConfirmedConfigureRecordsWhatItProvesAndKeepsTheForeignCount() {
        AppRoleStatus a = configured();
        AppRoleAudit audit = audit(CONFIGURED, true);
        audit.setSecretIdLive(false);
        audit.setRegiondConfRole(AppRoleAudit.OTHER_REGION);
        audit.setRegiondConfRoleOwner("ns/b");
        a.setAudit(audit);
        RoleAudit.configured(a);
        assertThat(a.getAudit().getSecretIdLive()).isTrue();
        assertThat(a.getAudit().getRegiondConfRole()).isEqualTo(AppRoleAudit.OWN);
        assertThat(a.getAudit().getRegiondConfRoleOwner()).isNull();
        assertThat(a.getAudit().getForeignSecretIds()).isEqualTo(1);
        assertThat(a.getAudit().getCheckedAt()).isEqualTo(CONFIGURED.toString());
    }

    @Test
    void regiondConfsRoleIsClassifiedAgainstThePeers() {
        MaasRegion self = region("ns", "a", "id-a");
        List<MaasRegion> peers = List.of(self, region("ns", "b", "id-b"), region("other", "c", "id-c"));
        assertThat(RoleAudit.classify(Optional.of("id-a"), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.OWN, null));
        assertThat(RoleAudit.classify(Optional.of("id-b"), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.OTHER_REGION, "ns/b"));
        // another namespace's region is not named in this region's status
        assertThat(RoleAudit.classify(Optional.of("id-c"), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.OTHER_REGION, null));
        assertThat(RoleAudit.classify(Optional.of("id-z"), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.UNKNOWN_ROLE, null));
        assertThat(RoleAudit.classify(Optional.empty(), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.NOT_CONFIGURED, null));
    }

    @Test
    void itselfIsNeverTheOtherRegionEvenWithAStaleCopyOfItsStatus() {
        MaasRegion self = region("ns", "a", "id-a");
        // the informer's copy still records an earlier role-id, which regiond.conf still names
        List<MaasRegion> peers = List.of(region("ns", "a", "id-old"));
        assertThat(RoleAudit.classify(Optional.of("id-old"), "id-a", peers, self))
                .isEqualTo(new RoleAudit.Owner(AppRoleAudit.UNKNOWN_ROLE, null));
    }
}
