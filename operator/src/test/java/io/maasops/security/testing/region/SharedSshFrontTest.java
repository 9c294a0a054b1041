package io.maasops.security.testing.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.regionhost.CommandResult;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.SshCommandRunner;
import io.maasops.security.regionhost.SshConnectionPool;
import io.maasops.security.regionhost.SshCredentials;
import io.maasops.security.regionhost.SshTarget;
import io.maasops.security.util.Secret;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The benchmark's shared SSH server: one port and host key, the login name picks the region host. */
class SharedSshFrontTest {

    static final Duration T = Duration.ofSeconds(10);

    final KeyPair clientKey = KeyMaterial.generateEd25519();
    final SharedSshFront front = new SharedSshFront();
    final SimulatedMaasDeployment deployment = new SimulatedMaasDeployment();
    final SshConnectionPool pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofSeconds(30));

    @AfterEach
    void close() {
        pool.close();
        deployment.close();
        front.close();
    }

    SshCommandRunner runner(RegionHostDouble h) {
        return new SshCommandRunner(
                pool,
                new SshTarget(h.host(), h.port(), h.sshUser(), true),
                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), h.knownHostsLine() + "\n"));
    }

    @Test
    void eachLoginReachesItsOwnHostBehindOnePortAndHostKey() {
        RegionHostDouble a = deployment.addRegionHost("region-a", MaasPackaging.DEB, clientKey.getPublic(), front);
        RegionHostDouble b = deployment.addRegionHost("region-b", MaasPackaging.SNAP, clientKey.getPublic(), front);
        assertThat(a.port()).isEqualTo(b.port()).isEqualTo(front.port());
        assertThat(a.knownHostsLine()).isEqualTo(b.knownHostsLine());
        assertThat(a.sshUser()).isEqualTo("region-a");

        CommandResult sa = runner(a).run(List.of("stat", "-c", "%a %U %G", "--", MaasPackaging.DEB.regiondConf()), T);
        CommandResult sb = runner(b).run(List.of("stat", "-c", "%a %U %G", "--", MaasPackaging.SNAP.regiondConf()), T);

        assertThat(sa.stdout()).isEqualTo("640 maas maas\n");
        assertThat(sb.stdout()).isEqualTo("644 root root\n");
        assertThat(a.commandLog()).hasSize(1).allMatch(l -> l.contains(MaasPackaging.DEB.regiondConf()));
        assertThat(b.commandLog()).hasSize(1).allMatch(l -> l.contains(MaasPackaging.SNAP.regiondConf()));
    }

    @Test
    void aStoppedHostRefusesNewLoginsAndAnUnknownKeyIsRefused() {
        RegionHostDouble a = deployment.addRegionHost("region-a", MaasPackaging.DEB, clientKey.getPublic(), front);
        a.stop();
        assertThat(a.isUp()).isFalse();
        assertThatThrownBy(() -> runner(a).run(List.of("printf", "x"), T)).isInstanceOf(RegionAccessException.class);

        RegionHostDouble b = deployment.addRegionHost(
                "region-b", MaasPackaging.DEB, KeyMaterial.generateEd25519().getPublic(), front);
        assertThatThrownBy(() -> runner(b).run(List.of("printf", "x"), T)).isInstanceOf(RegionAccessException.class);
        assertThatThrownBy(b::rotateHostKey).isInstanceOf(UnsupportedOperationException.class);
    }
}
