package io.maasops.security.concern.posture;

import static io.maasops.security.concern.posture.PostureTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks 5 and 7's MAAS part, from status.postureMaas (what MaasPosture read through spec.posture.maasApi). */
class MaasPostureChecksTest {

    @Test
    void anAdministratorNobodyDeclaredFailsAccessByNameAndPassesOnceDeclared() {
        var c = check(
                PostureCheck.ACCESS,
                f -> f.vi.getStatus()
                        .getPostureMaas()
                        .setAdministrators(List.of("admin", "eve", "maasops", "mallory")));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("UndeclaredAdministrators");
        assertThat(c.getMessage())
                .contains("MAAS administrators no Administrator RoleBinding declares: eve, mallory")
                .doesNotContain("admin,")
                .doesNotContain("maasops"); // the operator's own user (whoami) is the cluster admin's key
        var fixed = check(PostureCheck.ACCESS, f -> {
            f.vi.getStatus().getPostureMaas().setAdministrators(List.of("admin", "eve", "maasops", "mallory"));
            f.bindings.get(0).getSpec().getSubjects().add(subject("eve"));
            f.bindings.get(0).getSpec().getSubjects().add(subject("mallory"));
        });
        assertThat(fixed.getResult()).isEqualTo(PostureResult.Pass);
        assertThat(fixed.getMessage())
                .contains("every MAAS administrator is declared", "maasops is the operator's own MAAS user");
    }

    @Test
    void aBindingTheTenancyRefusesDeclaresNobody() {
        // a namespace author naming eve in an Administrator binding the cluster admin did not allow cannot hide eve
        var c = check(PostureCheck.ACCESS, f -> {
            f.vi.getStatus().getPostureMaas().setAdministrators(List.of("admin", "eve", "maasops"));
            f.bindings.get(0).getSpec().getSubjects().add(subject("eve"));
            f.vi.getSpec().getTenancy().setAllowAdministratorBindings(false);
        });
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getMessage()).contains("declares: admin, eve");
    }

    @Test
    void aBindingNotSyncedStillNamesTheUndeclaredAdministrators() {
        var c = check(PostureCheck.ACCESS, f -> {
            f.vi.getStatus().getPostureMaas().setAdministrators(List.of("admin", "eve"));
            f.bindings.add(PostureTest.binding("operators", false));
        });
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("NotSynced");
        assertThat(c.getMessage()).contains("ns/operators", "declares: eve");
    }

    @Test
    void withoutTheDeploymentsMaasApiAccessAndCertificateFailAsNotMeasured() {
        for (PostureCheck which : List.of(PostureCheck.ACCESS, PostureCheck.CERTIFICATE)) {
            PostureCheckStatus c = check(which, f -> {
                f.vi.getSpec().setPosture(null);
                f.vi.getStatus().setPostureMaas(null);
            });
            assertThat(c.getResult()).as(which.value()).isEqualTo(PostureResult.Fail);
            assertThat(c.getReason()).as(which.value()).isEqualTo("MaasApiNotConfigured");
            assertThat(c.getMessage()).as(which.value()).contains("spec.posture.maasApi is not set");
        }
    }

    @Test
    void aMaasThatCouldNotBeAskedFailsWithWhy() {
        var c = check(PostureCheck.ACCESS, f -> {
            var m = f.vi.getStatus().getPostureMaas();
            m.setReason("MaasApiUnauthorized");
            m.setMessage("MAAS API GET users/ failed with HTTP 401");
            m.setAdministrators(null);
        });
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("MaasApiUnauthorized");
        assertThat(c.getMessage()).contains("could not be asked", "HTTP 401");
    }

    @Test
    void maasReminderSettingOffFailsCertificateAndOnPasses() {
        var off = check(
                PostureCheck.CERTIFICATE, f -> f.vi.getStatus().getPostureMaas().setCertificateReminders(false));
        assertThat(off.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(off.getReason()).isEqualTo("MaasRemindersOff");
        assertThat(off.getMessage()).contains("tls_cert_expiration_notification_enabled is false", "set-config name=");
        var on = check(PostureCheck.CERTIFICATE, f -> {});
        assertThat(on.getResult()).isEqualTo(PostureResult.Pass);
        assertThat(on.getMessage()).contains("MAAS reminds its administrators 30 days before");
        // both wrong: the certificate's reason first, both told
        var both = check(PostureCheck.CERTIFICATE, f -> {
            f.vi.getStatus().getPostureMaas().setCertificateReminders(false);
            PostureTest.put(f.regionConditions(0), PostureTest.cond("CertificateValid", false, "Expired", "expired"));
        });
        assertThat(both.getReason()).isEqualTo("Expired");
        assertThat(both.getMessage()).contains("expired", "tls_cert_expiration_notification_enabled is false");
    }

    static io.maasops.security.api.v1alpha1.Subject subject(String name) {
        var s = new io.maasops.security.api.v1alpha1.Subject();
        s.setName(name);
        return s;
    }
}
