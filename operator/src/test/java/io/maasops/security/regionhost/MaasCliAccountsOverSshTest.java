package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.util.Secret;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users and groups on the controller: getent, and chown's "invalid user/group" classified, over SSH. */
class MaasCliAccountsOverSshTest {
    private final KeyPair clientKey = KeyMaterial.generateEd25519();
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;
    private SshConnectionPool pool;
    private MaasCli cli;

    @BeforeEach
    void setUp() {
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("region-snap", MaasPackaging.SNAP, clientKey.getPublic());
        pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(5));
        cli = new MaasCli(
                new SshCommandRunner(
                        pool,
                        new SshTarget(host.host(), host.port(), "ubuntu", true),
                        new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine())),
                MaasPackaging.SNAP,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        deployment.close();
    }

    @Test
    void getentAnswersWhetherUsersAndGroupsExist() {
        assertThat(cli.userExists("root")).isTrue();
        assertThat(cli.groupExists("maas")).isTrue();
        assertThat(cli.groupExists("nosuchgroup")).isFalse();
        assertThat(cli.userExists("nosuchuser")).isFalse();
        assertThat(host.commandLog()).contains("sudo -n -- getent group nosuchgroup", "sudo -n -- getent passwd root");
    }

    @Test
    void chownWithAnUnknownGroupIsClassifiedAndChangesNothing() {
        String path = MaasPackaging.SNAP.regiondConf();
        assertThatThrownBy(() -> cli.fixFile(path, "root", "nosuchgroup", "0640"))
                .isInstanceOfSatisfying(UnknownAccountException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UnknownAccountException.Kind.GROUP);
                    assertThat(e.name()).isEqualTo("nosuchgroup");
                })
                .hasMessageContaining("group 'nosuchgroup' does not exist on ")
                .hasMessageContaining("chown: invalid group: 'root:nosuchgroup'");
        assertThat(host.fileMode(path)).isEqualTo("0644");
        assertThat(host.fileOwnerGroup(path)).isEqualTo("root:root");
    }

    @Test
    void chownWithAnUnknownUserIsClassified() {
        assertThatThrownBy(() -> cli.fixFile(MaasPackaging.SNAP.rackdConf(), "nosuchuser", "maas", "0640"))
                .isInstanceOfSatisfying(
                        UnknownAccountException.class,
                        e -> assertThat(e.kind()).isEqualTo(UnknownAccountException.Kind.USER))
                .hasMessageContaining("chown: invalid user: 'nosuchuser:maas'");
    }
}
