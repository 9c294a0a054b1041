package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.approle.AppRoleConcern;
import io.maasops.security.concern.files.ConfigFilesConcern;
import io.maasops.security.concern.maasinstall.MaasVersionConcern;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, "Versions and installations as data": the operator reads each region's MAAS version from the host's
 * package manager, records it in status.maas, and does nothing to a controller whose MAAS it does not support.
 * Fast tier: in-memory ports.
 */
class MaasVersionFastTest {

    final FakePorts ports = new FakePorts()
            .secret("tenant", "ssh", "id_ed25519", "KEY")
            .secret("tenant", "ssh", "known_hosts", "10.0.0.5 ssh-ed25519 AAAA");
    final MutableClock clock = MutableClock.startingNow();
    final MaasRegionController controller = MaasRegionControllerFastTest.fastController(
            ports, clock, List.of(new MaasVersionConcern(), new AppRoleConcern(), new ConfigFilesConcern()));
    final VaultIntegration vi = MaasRegionControllerFastTest.integration();
    MaasRegion current = MaasRegionControllerFastTest.region(1);

    MaasRegion reconcile() {
        current = MaasRegionControllerFastTest.reconcileOnce(controller, current, vi);
        return current;
    }

    static Condition condition(MaasRegion r, String type) {
        return Conditions.find(r.getStatus().getConditions(), type).orElseThrow();
    }

    @Test
    void aMaasOlderThan33IsNotSupportedAndNothingIsDoneOnTheController() {
        ports.shell("region-a").installedVersion = "3.2.10-12050-g.1f2e3d4c5";
        MaasRegion r = reconcile();

        assertThat(condition(r, "MaasVersionSupported"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "MaasVersionNotSupported");
        assertThat(condition(r, "MaasVersionSupported").getMessage())
                .isEqualTo(
                        "MAAS 3.2.10 (snap) on region-a is not supported: the operator supports MAAS 3.3, 3.4,"
                                + " 3.5, 3.6, 3.7, 3.8 (docs/reference/maas-versions.md); it changes nothing on this controller");
        assertThat(condition(r, "Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "MaasVersionNotSupported");
        assertThat(condition(r, "Stalled").getStatus()).isEqualTo("True");
        assertThat(r.getStatus().getMaas().getVersion()).isEqualTo("3.2.10");
        assertThat(r.getStatus().getMaas().getSupported()).isFalse();
        assertThat(Conditions.find(r.getStatus().getConditions(), "AppRoleProvisioned"))
                .isEmpty();
        assertThat(ports.vault.count("writeRole")).isZero();
        assertThat(ports.shell("region-a").commands).containsExactly("version");
    }

    @Test
    void aMaasNotInstalledAsTheSpecSaysIsAnInstallationMismatch() {
        ports.shell("region-a").installedVersionFailure = new MaasCliException(
                "MAAS is not installed as a snap on ubuntu@10.0.0.5:22 (`snap list maas`, exit 1: error: no"
                        + " matching snaps installed)",
                1);
        MaasRegion r = reconcile();

        assertThat(condition(r, "Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "InstallationMismatch");
        assertThat(condition(r, "MaasVersionSupported").getMessage())
                .startsWith("MAAS is not installed as a snap on ")
                .endsWith("; set spec.installation to how MAAS is installed there");
        assertThat(ports.vault.count("writeRole")).isZero();
        assertThat(ports.shell("region-a").commands).containsExactly("version");
    }

    @Test
    void theVersionIsRecordedReadAgainEveryTenMinutesAndAnUpgradeIsAnEvent() {
        ports.shell("region-a").installedVersion = "3.5.4-16446-g.2a2f95a0f";
        MaasRegion r = reconcile();
        assertThat(condition(r, "MaasVersionSupported"))
                .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                .containsExactly(
                        "True",
                        "Supported",
                        "MAAS 3.5.4 (snap); known MAAS defects of this version: rack-only-blocks-migrate");
        assertThat(r.getStatus().getMaas().getSeries()).isEqualTo("3.5");
        assertThat(ports.events).contains("Normal MaasVersionDetected: MAAS 3.5.4 (snap) on region-a");

        ports.shell("region-a").commands.clear();
        ports.shell("region-a").installedVersion = "3.6.1-17000-g.0000000";
        clock.advance(Duration.ofMinutes(5));
        reconcile();
        assertThat(ports.shell("region-a").commands).doesNotContain("version");

        clock.advance(Duration.ofMinutes(6));
        r = reconcile();
        assertThat(ports.shell("region-a").commands).contains("version");
        assertThat(r.getStatus().getMaas().getVersion()).isEqualTo("3.6.1");
        assertThat(ports.events).contains("Normal MaasVersionDetected: MAAS 3.6.1 (snap) on region-a, was 3.5.4");
    }

    @Test
    void aVersionWithAKnownDefectSaysSo() {
        ports.shell("region-a").installedVersion = "3.8.0~beta6-18000-g.0000000";
        MaasRegion r = reconcile();
        assertThat(condition(r, "MaasVersionSupported").getMessage())
                .startsWith("MAAS 3.8.0~beta6 (snap); known MAAS defects of this version: ")
                .contains("openfga-db-credentials");
    }
}
