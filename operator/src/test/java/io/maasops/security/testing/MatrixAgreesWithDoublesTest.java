package io.maasops.security.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasVersion;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.MaasRelease.Service;
import io.maasops.security.testing.MaasRelease.VaultUse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's table (main scope, {@code maasversion}) and the doubles' {@link MaasRelease} (test scope) are two
 * encodings of the same reading of MAAS's branches, written separately on purpose; here they must agree cell by cell.
 */
class MatrixAgreesWithDoublesTest {
    private static List<MaasRelease> releases() {
        List<MaasRelease> out = new ArrayList<>(MaasRelease.SUPPORTED);
        out.add(MaasRelease.NEWEST_WITH_DEFECT);
        return out;
    }

    @Test
    void everySupportedReleaseAndInstallation() {
        for (MaasRelease r : releases()) {
            MaasVersion v = MaasVersion.of(r.version());
            for (MaasPackaging i : MaasPackaging.values()) {
                MaasBehaviour b = MaasVersions.lookup(v, i).orElseThrow();
                String cell = r + " " + i;
                assertThat(b.series()).as(cell).isEqualTo(r.series());
                assertThat(b.serviceUser()).as(cell).isEqualTo(MaasRelease.serviceUser(i));
                assertThat(b.migrateRestartPolls()).as(cell).isEqualTo(r.migrateRestartPolls());
                assertThat(b.migrateAtomic()).as(cell).isEqualTo(r.migrateSecretsAtomic());
                assertThat(b.keysAfterMigration().contains("global/cluster-certificate"))
                        .as(cell)
                        .isEqualTo(r.clusterCertificates());
                assertThat(b.groupsApi()).as(cell).isEqualTo(r.groupsApi());
                if (r.groupsApi()) {
                    assertThat(b.seededUsersEntitlements()).as(cell).isEqualTo(r.usersSeed());
                }
                List<String> consumers = r.services().stream()
                        .filter(s -> s.vaultUse() != VaultUse.NONE)
                        .map(Service::unit)
                        .toList();
                assertThat(b.vaultConsumers()).as(cell).containsExactlyElementsOf(consumers);
                assertThat(b.defectsOf(v).stream().anyMatch(d -> d.id().equals("openfga-db-credentials")))
                        .as(cell)
                        .isEqualTo(r.atLeast(3, 8) && !r.openfgaReadsVault());
                assertThat(b.file(i.sharedSecret()).orElseThrow().rewrittenByMaas())
                        .as(cell)
                        .isNotNull();
            }
        }
    }

    @Test
    void neitherSupportsMaster() {
        assertThat(MaasVersions.supported(MaasVersion.of(MaasRelease.MASTER.version())))
                .isFalse();
        assertThat(MaasRelease.MASTER.offers(MaasPackaging.DEB)).isFalse();
    }
}
