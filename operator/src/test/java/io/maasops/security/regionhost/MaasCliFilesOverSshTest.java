package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
        return new MaasCli(runner(host, sudo), host.installation(), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private SshCommandRunner runner(RegionHostDouble host, boolean sudo) {
        return new SshCommandRunner(
                pool,
                new SshTarget(host.host(), host.port(), "ubuntu", sudo),
                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine()));
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
            List<String> paths = host.installation().defaultConfigFiles();
            List<FixOutcome> done = cli.fixFiles(paths, "root", "maas", "640");
            assertThat(done)
                    .extracting(FixOutcome::kind, FixOutcome::status)
                    .containsExactlyElementsOf(paths.stream()
                            .map(p -> tuple(FixOutcome.Kind.CHANGED, new FileStatus(p, true, "0640", "root", "maas")))
                            .toList());
            for (String path : paths) {
                assertThat(host.fileOwnerGroup(path)).isEqualTo("root:maas");
                assertThat(host.fileMode(path)).isEqualTo("0640");
            }
            assertThat(host.commandLog())
                    .containsExactly(
                            "sudo -n -- python3 -I -S -c <fix script> root maas 0640 " + String.join(" ", paths));
            assertThat(cli.fixFile(paths.get(0), "root", "maas", "0600"))
                    .isEqualTo(new FileStatus(paths.get(0), true, "0600", "root", "maas"));
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
    void restartRunsTheArgvOfTheMaasTableAndNothingElse() {
        cli(snap, true).restartRegion(List.of("snap", "restart", "maas"));
        cli(deb, true).restartRegion(List.of("systemctl", "restart", "maas-apiserver", "maas-regiond"));
        assertThat(snap.restartCount()).isEqualTo(1);
        assertThat(deb.restartCount()).isEqualTo(1);
        assertThat(snap.commandLog()).containsExactly("sudo -n -- snap restart maas");
        assertThat(deb.commandLog()).containsExactly("sudo -n -- systemctl restart maas-apiserver maas-regiond");
        // only restarts of MAAS's services, and only the installation's own command
        assertThatThrownBy(() -> cli(deb, true).restartRegion(List.of("systemctl", "restart", "sshd")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cli(deb, true).restartRegion(List.of("snap", "restart", "maas")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(deb.commandLog()).hasSize(1);
    }

    @Test
    void theInstalledVersionComesFromThePackageManagerOfTheInstallation() {
        assertThat(io.maasops.security.maasversion.MaasVersion.parse(
                        cli(snap, true).installedVersion()))
                .hasValue(io.maasops.security.maasversion.MaasVersion.of(
                        deployment.release().version()));
        assertThat(io.maasops.security.maasversion.MaasVersion.parse(
                        cli(deb, true).installedVersion()))
                .hasValue(io.maasops.security.maasversion.MaasVersion.of(
                        deployment.release().version()));
        // a deb host asked as a snap: the package manager's refusal, named
        assertThatThrownBy(() -> new MaasCli(runner(deb, true), MaasPackaging.SNAP).installedVersion())
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("MAAS is not installed as a snap");
    }

    @Test
    void groupsOfAUserAreItsPrimaryThenSupplementaryGroups() {
        deb.fs().addGroup("maas-secrets", 4242);
        deb.fs().addMember("maas-secrets", "maas");
        assertThat(cli(deb, true).groupsOf("maas")).containsExactly("maas", "maas-secrets");
        assertThat(cli(deb, true).groupsOf("nosuchuser")).isEmpty();
    }

    @Test
    void restartPicksUpRegiondConfLikeRegionStartUp() {
        deb.fs()
                .writeContent(
                        "/etc/maas/regiond.conf", "vault_url: http://v\nvault_approle_id: r\nvault_secret_id: s\n");
        assertThat(deployment.vaultConfigured("region-deb")).isFalse();
        cli(deb, true).restartRegion(List.of("systemctl", "restart", "maas-regiond"));
        assertThat(deployment.vaultConfigured("region-deb")).isTrue();
    }
}
