package io.maasops.security.maasversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.regionhost.MaasPackaging;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's table of MAAS behaviour, cell by cell against docs/reference/maas-versions.md and MAAS's branches. */
class MaasVersionsTest {
    private static MaasBehaviour of(String version, MaasPackaging i) {
        return MaasVersions.lookup(MaasVersion.of(version), i).orElseThrow();
    }

    @Test
    void versionsAreReadFromSnapDebAndMaasForms() {
        assertThat(MaasVersion.parse("3.5.4-16446-g.2a2f95a0f")).contains(MaasVersion.of("3.5.4"));
        assertThat(MaasVersion.parse("1:3.5.4-0ubuntu1")).contains(MaasVersion.of("3.5.4"));
        assertThat(MaasVersion.of("3.8.0b6")).isEqualTo(MaasVersion.of("3.8.0~beta6"));
        assertThat(MaasVersion.of("3.8.0~beta6"))
                .isLessThan(MaasVersion.of("3.8.0~rc1"))
                .isLessThan(MaasVersion.of("3.8.0"));
        assertThat(MaasVersion.parse("garbage; rm -rf /")).isEmpty();
        assertThat(MaasVersion.parse("99999999999.1.1")).isEmpty();
    }

    @Test
    void onlyThreeThreeToThreeEightAreSupported() {
        assertThat(MaasVersions.supported(MaasVersion.of("3.2.9"))).isFalse();
        assertThat(MaasVersions.supported(MaasVersion.of("4.0.0~alpha1"))).isFalse();
        assertThat(MaasVersions.supportedSeries()).containsExactly("3.3", "3.4", "3.5", "3.6", "3.7", "3.8");
    }

    @Test
    void debRestartsEveryVaultConsumerOfItsSeriesSnapRestartsTheSnap() {
        assertThat(of("3.4.8", MaasPackaging.DEB).restartArgv())
                .containsExactly("systemctl", "restart", "maas-regiond");
        assertThat(of("3.5.9", MaasPackaging.DEB).restartArgv())
                .containsExactly("systemctl", "restart", "maas-apiserver", "maas-temporal-worker", "maas-regiond");
        assertThat(of("3.8.0~beta6", MaasPackaging.DEB).restartArgv())
                .containsExactly(
                        "systemctl",
                        "restart",
                        "maas-openfga",
                        "maas-apiserver",
                        "maas-temporal-worker",
                        "maas-regiond");
        assertThat(of("3.8.0", MaasPackaging.SNAP).restartArgv()).containsExactly("snap", "restart", "maas");
    }

    @Test
    void debFilesMaasRewritesStayWithTheServiceUser() {
        MaasBehaviour deb = of("3.6.5", MaasPackaging.DEB);
        assertThat(deb.serviceUser()).isEqualTo("maas");
        assertThat(deb.file("/var/lib/maas/secret")).hasValueSatisfying(f -> {
            assertThat(f.owner() + ":" + f.group() + " " + f.mode()).isEqualTo("maas:maas 0640");
            assertThat(f.rewrittenByMaas()).contains("every start");
        });
        assertThat(deb.breaksMaas("/var/lib/maas/secret", "root", "maas", List.of("maas")))
                .hasValueSatisfying(r -> assertThat(r).contains("atomic_write").contains("maas:maas"));
        assertThat(deb.breaksMaas("/etc/maas/regiond.conf", "root", "maas", List.of("maas")))
                .isPresent();
        assertThat(deb.breaksMaas("/etc/maas/rackd.conf", "root", "maas", List.of("maas")))
                .isEmpty();
        assertThat(deb.breaksMaas("/var/lib/maas/secret", "maas", "maas", List.of("maas")))
                .isEmpty();
        MaasBehaviour snap = of("3.6.5", MaasPackaging.SNAP);
        assertThat(snap.serviceUser()).isEqualTo("root");
        assertThat(snap.breaksMaas("/var/snap/maas/common/maas/secret", "root", "maas", List.of("root")))
                .isEmpty();
        assertThat(snap.file("/var/snap/maas/common/maas/secret").orElseThrow().owner())
                .isEqualTo("root");
    }

    @Test
    void migrationFactsPerSeries() {
        assertThat(of("3.3.9", MaasPackaging.DEB).keysAfterMigration()).containsExactly("global/rpc-shared");
        assertThat(of("3.5.9", MaasPackaging.DEB).keysAfterMigration())
                .containsExactly("global/rpc-shared", "global/maas-ca-certificate", "global/cluster-certificate");
        assertThat(of("3.4.8", MaasPackaging.SNAP).migrateRestartPolls()).isEqualTo(5);
        assertThat(of("3.5.9", MaasPackaging.SNAP).migrateRestartPolls()).isEqualTo(10);
        assertThat(of("3.6.5", MaasPackaging.SNAP).migrateAtomic()).isTrue();
        assertThat(of("3.7.3", MaasPackaging.SNAP).migrateAtomic()).isFalse();
    }

    @Test
    void groupsApiAndRbacPerSeries() {
        assertThat(of("3.7.3", MaasPackaging.SNAP).groupsApi()).isFalse();
        MaasBehaviour b38 = of("3.8.0~beta6", MaasPackaging.SNAP);
        assertThat(b38.groupsApi()).isTrue();
        assertThat(b38.canonicalRbac()).isEqualTo(MaasBehaviour.RbacSupport.DEPRECATED_OVERRIDES_GROUPS);
        assertThat(b38.seededUsersEntitlements())
                .containsExactly("can_deploy_machines", "can_view_available_machines", "can_view_global_entities");
        assertThat(MaasBehaviour.GROUP_NAME_MAX).isEqualTo(256);
    }

    @Test
    void defectsByVersionRange() {
        MaasBehaviour b38 = of("3.8.0~beta6", MaasPackaging.DEB);
        assertThat(b38.defectsOf(MaasVersion.of("3.8.0~beta6")))
                .extracting(MaasBehaviour.Defect::id)
                .contains("openfga-db-credentials", "migrate-not-atomic", "rack-only-blocks-migrate");
        assertThat(b38.defectsOf(MaasVersion.of("3.8.0")))
                .extracting(MaasBehaviour.Defect::id)
                .doesNotContain("openfga-db-credentials");
        assertThat(of("3.6.5", MaasPackaging.DEB).defectsOf(MaasVersion.of("3.6.5")))
                .extracting(MaasBehaviour.Defect::id)
                .containsExactly("rack-only-blocks-migrate");
    }

    @Test
    void aPrintedVersionIsReadInOnePlace() {
        // unreadable text: neither a version nor a behaviour; an unsupported version: a version, no behaviour
        assertThat(MaasVersions.lookup("None", MaasPackaging.SNAP).version()).isEmpty();
        assertThat(MaasVersions.lookup((String) null, MaasPackaging.SNAP).behaviour())
                .isEmpty();
        var old = MaasVersions.lookup("2.9.2-9164-g.ab1c", MaasPackaging.DEB);
        assertThat(old.version()).map(Object::toString).contains("2.9.2");
        assertThat(old.behaviour()).isEmpty();
        var current = MaasVersions.lookup("1:3.8.0-17543-g.1bd6b0de5-0ubuntu1~24.04.1", MaasPackaging.DEB);
        assertThat(current.version()).map(MaasVersion::series).contains("3.8");
        assertThat(current.behaviour()).map(MaasBehaviour::installation).contains(MaasPackaging.DEB);
        assertThat(current.text()).startsWith("1:3.8.0");
    }
}
