package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19's matrix: for every supported MAAS series and each installation it ships as, the operator detects the
 * version, provisions, enforces file permissions, migrates, rotates — and MAAS keeps running: no service in a
 * start-up loop (the region double's regiond rewrites the shared secret with atomic_write at every start, as MAAS
 * does, so an owner MAAS cannot copy stops it), and every Vault consumer logs in with the current secret-id.
 */
class MaasVersionMatrixTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    static Stream<Arguments> releases() {
        return MaasRelease.SUPPORTED.stream()
                .flatMap(r -> Stream.of(MaasPackaging.SNAP, MaasPackaging.DEB)
                        .filter(r::offers)
                        .map(i -> Arguments.of(r, i)));
    }

    @ParameterizedTest(name = "MAAS {0} {1}")
    @MethodSource("releases")
    void provisionsEnforcesMigratesRotatesAndMaasKeepsRunning(MaasRelease release, MaasPackaging installation) {
        testbed = MaasTestbed.start(1, installation, release);
        RegionHostDouble host = testbed.hosts().get(0);
        // drift to enforce: the files readable by everyone
        installation.defaultConfigFiles().forEach(p -> host.fs().chmod(p, 0644));
        testbed.applyAll(k8s(), ns(), "maas");

        await().atMost(Duration.ofSeconds(40)).until(() -> ready(region()));
        MaasRegion region = region();
        assertThat(region.getStatus().getMaas().getVersion()).isEqualTo(release.version());
        assertThat(region.getStatus().getMaas().getSupported()).isTrue();
        installation
                .defaultConfigFiles()
                .forEach(p -> assertThat(host.fileMode(p)).as(p).isEqualTo("0640"));
        assertMaasRuns(host, "after provisioning and the file fix");

        k8s().resources(VaultIntegration.class)
                .withName("maas")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"migration\":{\"approved\":true}}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var vi = k8s().resources(VaultIntegration.class).withName("maas").get();
            return vi.getStatus() != null
                    && vi.getStatus().getMigration() != null
                    && vi.getStatus().getMigration().getPhase() == MigrationPhase.Succeeded;
        });
        assertThat(testbed.maas().vaultEnabled()).isTrue();
        assertMaasRuns(host, "after the migration");

        String before = String.valueOf(host.regiondConf().get("vault_secret_id"));
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(host.hostname())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION
                                + "\":\"matrix\"}}}");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Conditions.find(region().getStatus().getConditions(), "SecretIdRotation")
                        .map(c -> "Rotated".equals(c.getReason()))
                        .orElse(false));
        assertThat(host.regiondConf().get("vault_secret_id")).isNotEqualTo(before);
        assertMaasRuns(host, "after the rotation");

        // and at the next start of every service (a reboot), MAAS still comes up with these files
        host.services().restartAll();
        assertMaasRuns(host, "after a restart of every service");
        await().atMost(Duration.ofSeconds(20)).until(() -> ready(region()));
        // (checked last, so that a wrong owner shows as what it does to MAAS above)
        String owner = installation == MaasPackaging.DEB ? "maas:maas" : "root:maas";
        for (String path : installation.defaultConfigFiles()) {
            assertThat(host.fileOwnerGroup(path)).as(path).isEqualTo(owner);
            assertThat(host.fileMode(path)).as(path).isEqualTo("0640");
        }
    }

    private static void assertMaasRuns(RegionHostDouble host, String when) {
        assertThat(host.services().notRunning())
                .as("services not running " + when + "; journal: "
                        + host.services().journal())
                .isEmpty();
        assertThat(host.services().allRunningWithCurrentSecretId())
                .as("every Vault consumer with regiond.conf's secret-id " + when + ": "
                        + host.services().all())
                .isTrue();
    }

    private MaasRegion region() {
        return k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(testbed.hosts().get(0).hostname())
                .get();
    }

    private static boolean ready(MaasRegion r) {
        return r != null
                && r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY);
    }

    static List<MaasRelease> supported() {
        return MaasRelease.SUPPORTED;
    }
}
