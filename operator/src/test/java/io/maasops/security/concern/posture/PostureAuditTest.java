package io.maasops.security.concern.posture;

import static io.maasops.security.concern.posture.PostureTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.AppRoleAudit;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.PostureResult;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Checks 2 and 3 from what the last audit of each region's AppRole found (status.appRole.audit). */
class PostureAuditTest {

    static Consumer<PostureTest.Fixture> audit(int region, Consumer<AppRoleAudit> change) {
        return f -> {
            MaasRegion r = f.regions.get(region);
            AppRoleAudit a = new AppRoleAudit();
            a.setCheckedAt("2026-12-04T09:55:00Z");
            a.setSecretIdLive(true);
            a.setForeignSecretIds(0);
            a.setRegiondConfRole(AppRoleAudit.OWN);
            change.accept(a);
            r.getStatus().getAppRole().setAudit(a);
        };
    }

    @Test
    void aCleanAuditPassesBothChecks() {
        var recorded = check(PostureCheck.SECRET_IDS_RECORDED, audit(0, a -> {}));
        assertThat(recorded.getResult()).isEqualTo(PostureResult.Pass);
        assertThat(check(PostureCheck.REGIONS_CONFIGURED, audit(0, a -> {})).getResult())
                .isEqualTo(PostureResult.Pass);
    }

    @Test
    void aForeignSecretIdFailsSecretIdsRecordedWithTheRegionAndTheCount() {
        var c = check(PostureCheck.SECRET_IDS_RECORDED, audit(1, a -> a.setForeignSecretIds(2)));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("SecretIdsNotRecorded");
        assertThat(c.getMessage())
                .isEqualTo("ns/r2: 2 secret-id(s) on role maas-ns-r2 the operator did not issue (made by hand with"
                        + " the role, or left over: destroy them in Vault) (Vault listed at 2026-12-04T09:55:00Z)");
        assertThat(check(PostureCheck.REGIONS_CONFIGURED, audit(1, a -> a.setForeignSecretIds(2)))
                        .getResult())
                .isEqualTo(PostureResult.Pass);
    }

    @Test
    void theRecordedSecretIdGoneFromVaultFailsSecretIdsRecorded() {
        var c = check(PostureCheck.SECRET_IDS_RECORDED, audit(0, a -> a.setSecretIdLive(false)));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getMessage())
                .startsWith("ns/r1: the recorded secret-id is no longer in Vault")
                .contains("security.maasops.io/rotate-secret-id")
                .doesNotContain("acc-r1");
    }

    @Test
    void aRegiondConfNamingAnotherRegionsRoleFailsRegionsConfiguredNamingBoth() {
        var c = check(PostureCheck.REGIONS_CONFIGURED, audit(0, a -> {
            a.setRegiondConfRole(AppRoleAudit.OTHER_REGION);
            a.setRegiondConfRoleOwner("ns/r2");
        }));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("SharedAppRole");
        assertThat(c.getMessage())
                .startsWith("regiond.conf of ns/r1 names the AppRole of ns/r2: give each region controller a role"
                        + " of its own")
                .contains("rotate-secret-id");
        assertThat(check(PostureCheck.SECRET_IDS_RECORDED, audit(0, a -> {
                            a.setRegiondConfRole(AppRoleAudit.OTHER_REGION);
                            a.setRegiondConfRoleOwner("ns/r2");
                        }))
                        .getResult())
                .isEqualTo(PostureResult.Pass);
    }

    @Test
    void anOwnerInAnotherNamespaceIsNotNamed() {
        var c = check(PostureCheck.REGIONS_CONFIGURED, audit(0, a -> a.setRegiondConfRole(AppRoleAudit.OTHER_REGION)));
        assertThat(c.getReason()).isEqualTo("SharedAppRole");
        assertThat(c.getMessage())
                .startsWith("regiond.conf of ns/r1 names the AppRole of a MaasRegion in another" + " namespace");
    }

    @Test
    void aRoleNoRegionRecordsOrNoneFailsRegionsConfiguredAsNotOwn() {
        var unknown =
                check(PostureCheck.REGIONS_CONFIGURED, audit(1, a -> a.setRegiondConfRole(AppRoleAudit.UNKNOWN_ROLE)));
        assertThat(unknown.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(unknown.getReason()).isEqualTo("NotOwnAppRole");
        assertThat(unknown.getMessage())
                .startsWith("regiond.conf of ns/r2 names an AppRole that is no MaasRegion's of this deployment");
        var none = check(
                PostureCheck.REGIONS_CONFIGURED, audit(1, a -> a.setRegiondConfRole(AppRoleAudit.NOT_CONFIGURED)));
        assertThat(none.getReason()).isEqualTo("NotOwnAppRole");
        assertThat(none.getMessage()).startsWith("regiond.conf of ns/r2 names no AppRole");
    }

    @Test
    void regiondConfNotReadKeepsTheCheckToWhatIsRecorded() {
        var c = check(PostureCheck.REGIONS_CONFIGURED, audit(0, a -> a.setRegiondConfRole(null)));
        assertThat(c.getResult()).isEqualTo(PostureResult.Pass);
    }
}
