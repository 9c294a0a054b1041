package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.concern.approle.AppRoleConcern;
import io.maasops.security.concern.maasinstall.MaasVersionConcern;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tier 2 (fast): before a secret-id is issued the region must be reachable. A region that answered its version
 * check in the same reconcile is not asked again (`maas config-vault status` is a MAAS command that lists every
 * unconfigured region); one whose version was read in an earlier reconcile is probed first.
 */
class RegionReachabilityFastTest {

    final FakePorts ports = new FakePorts()
            .secret(MaasRegionControllerFastTest.NS, "ssh", "id_ed25519", "KEY")
            .secret(MaasRegionControllerFastTest.NS, "ssh", "known_hosts", "10.0.0.5 ssh-ed25519 AAAA");
    final MutableClock clock = MutableClock.startingNow();
    final MaasRegionController controller = MaasRegionControllerFastTest.fastController(
            ports, clock, List.of(new MaasVersionConcern(), new AppRoleConcern()));

    MaasRegion reconcile(MaasRegion region, io.maasops.security.api.v1alpha1.VaultIntegration vi) {
        return MaasRegionControllerFastTest.reconcileOnce(controller, region, vi);
    }

    @Test
    void aRegionThatAnsweredItsVersionCheckIsConfiguredWithoutAStatusProbeFirst() {
        reconcile(MaasRegionControllerFastTest.region(1), MaasRegionControllerFastTest.integration());

        List<String> commands = ports.shell("region-a").commands;
        assertThat(commands).startsWith("version");
        assertThat(commands.subList(0, commands.indexOf("config-vault configure")))
                .as("commands before configure")
                .containsExactly("version");
        assertThat(ports.vault.count("createWrappedSecretId")).isEqualTo(1);
    }

    @Test
    void aRegionWhoseVersionWasReadEarlierIsProbedAndGetsNoSecretIdWhileDown() {
        var waiting = MaasRegionControllerFastTest.integration();
        waiting.setStatus(null); // the integration is not set up yet: the version is read, nothing is issued
        MaasRegion first = reconcile(MaasRegionControllerFastTest.region(1), waiting);
        assertThat(first.getStatus().getMaas()).isNotNull();
        ports.shell("region-a").commands.clear();
        ports.shell("region-a").unreachable();
        clock.advance(Duration.ofMinutes(1)); // within MaasVersionConcern.RECHECK: the version is not read again

        MaasRegion second = reconcile(first, MaasRegionControllerFastTest.integration());

        assertThat(ports.shell("region-a").commands).containsExactly("config-vault status");
        assertThat(ports.vault.count("createWrappedSecretId")).isZero();
        assertThat(MaasRegionControllerFastTest.condition(second, "VaultConfigured"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("RegionUnreachable");
    }
}
