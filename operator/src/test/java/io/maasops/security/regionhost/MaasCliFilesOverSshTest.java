package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.util.Secret;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** File status, file fixing and service restart per installation, over SSH against region host doubles. */
class MaasCliFilesOverSshTest {
    private final KeyPair clientKey = KeyMaterial.generateEd25519();
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble deb;
    private RegionHostDouble snap;
    private SshConnectionPool pool;

    @BeforeEach
    void setUp() {
        deployment = new SimulatedMaasDeployment();
        deb = deployment.addRegionHost("region-deb", MaasPackaging.DEB, clientKey.getPublic());
        snap = deployment.addRegionHost("region-snap", MaasPackaging.SNAP, clientKey.getPublic());
        pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        deployment.close();
    }

    private MaasCli cli(RegionHostDouble host, boolean sudo) {
        return new MaasCli(
                new SshCommandRunner(
                        pool,
                        new SshTarget(host.host(), host.port(), "ubuntu", sudo),
                        new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine())),
                host.installation(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @Test
    void statReportsModeOwnerGroupByNameAndMissingFiles() {
        List<String> paths = new java.util.ArrayList<>(MaasPackaging.DEB.defaultConfigFiles());
        paths.add("/etc/maas/not-there.conf");

        List<FileStatus> st = cli(deb, false).statFiles(paths); // stat needs no sudo

        assertThat(st)
                .containsExactly(
                        new FileStatus("/etc/maas/regiond.conf", true, "0640", "maas", "maas"),
                        new FileStatus("/etc/maas/rackd.conf", true, "0640", "maas", "maas"),
                        new FileStatus("/var/lib/maas/secret", true, "0640", "maas", "maas"),
                        FileStatus.missing("/etc/maas/not-there.conf"));
        assertThat(deb.commandLog())
                .as("one stat for all the files")
                .containsExactly(
                        "stat -c %f %u %g %U %G %n -- /etc/maas/regiond.conf /etc/maas/rackd.conf /var/lib/maas/secret /etc/maas/not-there.conf");
    }

    @Test
    void unresolvableIdsAreReportedNumerically() {
        deb.fs().chown("/etc/maas/rackd.conf", 4242, 4343);
        assertThat(cli(deb, false).statFiles(List.of("/etc/maas/rackd.conf")))
                .containsExactly(new FileStatus("/etc/maas/rackd.conf", true, "0640", "4242", "4343"));
    }

    @Test
    void fixChangesOwnerGroupAndModeInOneCommandWithSudo() {
        for (RegionHostDouble host : List.of(deb, snap)) {
            MaasCli cli = cli(host, true);
            for (String path : host.installation().defaultConfigFiles()) {
                FileStatus after = cli.fixFile(path, "root", "maas", "640");
                assertThat(after).isEqualTo(new FileStatus(path, true, "0640", "root", "maas"));
                assertThat(host.fileOwnerGroup(path)).isEqualTo("root:maas");
                assertThat(host.fileMode(path)).isEqualTo("0640");
            }
            assertThat(host.commandLog())
                    .contains("sudo -n -- python3 -I -S -c <fix script> "
                            + host.installation().regiondConf() + " root maas 0640");
            assertThat(host.commandLog()).noneMatch(l -> l.contains("chown") || l.contains("chmod"));
        }
    }

    @Test
    void fixWithoutSudoFailsWithTheHostsMessage() {
        assertThatThrownBy(() -> cli(deb, false).fixFile("/etc/maas/regiond.conf", "root", "maas", "0640"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("/etc/maas/regiond.conf: Permission denied");
        assertThat(deb.fileOwnerGroup("/etc/maas/regiond.conf")).isEqualTo("maas:maas");
    }

    @Test
    void restartUsesTheInstallationsServiceCommand() {
        cli(snap, true).restartRegion();
        cli(deb, true).restartRegion();
        assertThat(snap.restartCount()).isEqualTo(1);
        assertThat(deb.restartCount()).isEqualTo(1);
        assertThat(snap.commandLog()).containsExactly("sudo -n -- snap restart maas");
        assertThat(deb.commandLog()).containsExactly("sudo -n -- systemctl restart maas-regiond");
    }

    @Test
    void restartPicksUpRegiondConfLikeRegionStartUp() {
        deb.fs()
                .writeContent(
                        "/etc/maas/regiond.conf", "vault_url: http://v\nvault_approle_id: r\nvault_secret_id: s\n");
        assertThat(deployment.vaultConfigured("region-deb")).isFalse();
        cli(deb, true).restartRegion();
        assertThat(deployment.vaultConfigured("region-deb")).isTrue();
    }
}
