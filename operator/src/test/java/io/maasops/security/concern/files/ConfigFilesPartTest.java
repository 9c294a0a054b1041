package io.maasops.security.concern.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flow 4 end to end: the real operator against the Kubernetes API double, reaching simulated region
 * hosts over real SSH. Periodic re-checks are driven by the operator's {@link io.maasops.security.testing.MutableClock}
 * (advanced past checkInterval) plus a touch of the VaultIntegration, which wakes the region's reconcile
 * through its secondary event source (JOSDK's timers run on wall-clock time; the tests do not wait for them).
 */
class ConfigFilesPartTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    private static final String REGION = "region-a";
    private static final String INTEGRATION = "maas";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private MaasTestbed testbed;

    @AfterEach
    void closeTestbed() {
        if (testbed != null) {
            testbed.close();
        }
    }

    /**
     * Issue 19 finding 1: on deb MAAS's services run as user maas and rewrite regiond.conf and the shared secret
     * copying the old owner, so the files stay maas:maas (mode 0640 as the seeds ask), never root.
     */
    @Test
    void debFilesKeepTheOwnerMaasRunsAsAndGet0640() {
        RegionHostDouble host = start(MaasPackaging.DEB);
        apply(r -> {});

        Condition c = awaitCondition("Fixed");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage())
                .isEqualTo("fixed 3 of 3 file(s) to 0640 maas:maas: /etc/maas/regiond.conf, "
                        + "/etc/maas/rackd.conf, /var/lib/maas/secret");
        for (String path : MaasPackaging.DEB.defaultConfigFiles()) {
            assertThat(host.fileOwnerGroup(path)).isEqualTo("maas:maas");
            assertThat(host.fileMode(path)).isEqualTo("0640");
        }
        MaasRegion region = region();
        List<ConfigFileStatus> files = region.getStatus().getConfigFiles();
        assertThat(files)
                .extracting(ConfigFileStatus::getPath)
                .containsExactlyElementsOf(MaasPackaging.DEB.defaultConfigFiles());
        assertThat(files).allSatisfy(f -> {
            assertThat(f.getCompliant()).isTrue();
            assertThat(f.getExists()).isTrue();
            assertThat(f.getMode()).isEqualTo("0640");
            assertThat(f.getOwner()).isEqualTo("maas");
            assertThat(f.getGroup()).isEqualTo("maas");
            assertThat(f.getFixedAt()).isEqualTo(region.getStatus().getConfigFilesCheckedAt());
        });
        assertThat(region.getStatus().getConfigFilesCheckedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        await().atMost(TIMEOUT).until(() -> messages("PermissionsFixed").size() == 3);
        assertThat(events("PermissionsFixed"))
                .as("one event names all three files")
                .hasSize(1);
        assertThat(messages("PermissionsFixed"))
                .containsExactlyInAnyOrder(
                        "/etc/maas/regiond.conf: 0644 maas:maas -> 0640 maas:maas",
                        "/etc/maas/rackd.conf: 0644 maas:maas -> 0640 maas:maas",
                        "/var/lib/maas/secret: 0644 maas:maas -> 0640 maas:maas");
        assertThat(host.services().notRunning()).as("MAAS still starts").isEmpty();
        assertThat(nonCompliantGauge()).isEqualTo(0.0);

        // the operator only stats files: neither the shared secret nor regiond.conf's values reach status or events
        String published = io.fabric8.kubernetes.client.utils.Serialization.asJson(region.getStatus())
                + OPERATOR.client().v1().events().inNamespace(OPERATOR.namespace()).list().getItems().stream()
                        .map(Event::getMessage)
                        .toList();
        assertThat(published).doesNotContain(testbed.maas().rpcSharedSecret()).doesNotContain("SIMULATED-db-password");
        assertThat(host.commandLog()).noneMatch(l -> l.startsWith("cat") || l.contains(" cat "));
        // one stat before, one fix for the three files whose answer proves the change: no stat after it
        assertThat(host.commandLog().stream().filter(l -> l.contains("python3")))
                .singleElement()
                .satisfies(l -> assertThat(l).contains(MaasPackaging.DEB.defaultConfigFiles()));
        assertThat(host.commandLog().stream().filter(l -> l.contains("stat -c")))
                .hasSize(1);
    }

    @Test
    void snapDriftIsFixedAndReintroducedDriftIsFixedAgainAtTheNextCheck() {
        RegionHostDouble host = start(MaasPackaging.SNAP);
        String regiond = MaasPackaging.SNAP.regiondConf();
        apply(r -> {});
        awaitCondition("Fixed");
        assertThat(host.fileMode(regiond)).isEqualTo("0640");
        await().atMost(TIMEOUT)
                .until(() -> messages("PermissionsFixed").contains(regiond + ": 0644 root:root -> 0640 root:maas"));
        String firstCheck = region().getStatus().getConfigFilesCheckedAt();

        // MAAS (or an admin) puts the file back the way the snap shipped it
        host.fs().chmod(regiond, 0644);
        host.fs().chown(regiond, 0, 0);
        OPERATOR.clock().advance(Duration.ofMinutes(11));
        touchIntegration();

        await().atMost(TIMEOUT)
                .until(() -> !firstCheck.equals(region().getStatus().getConfigFilesCheckedAt()));
        assertThat(host.fileMode(regiond)).isEqualTo("0640");
        assertThat(host.fileOwnerGroup(regiond)).isEqualTo("root:maas");
        await().atMost(TIMEOUT)
                .until(() -> messages("PermissionsFixed").stream()
                                .filter(m -> m.startsWith(regiond + ":"))
                                .count()
                        == 2);
        Condition c = condition();
        assertThat(c.getReason()).isEqualTo("Fixed");
        assertThat(c.getMessage()).isEqualTo("fixed 1 of 3 file(s) to 0640 root:maas: " + regiond);
        MaasRegion region = region();
        ConfigFileStatus entry = region.getStatus().getConfigFiles().get(0);
        assertThat(entry.getFixedAt())
                .isEqualTo(region.getStatus().getConfigFilesCheckedAt())
                .isNotEqualTo(firstCheck);
    }

    @Test
    void aReconcileRequestChecksTheFilesAtOnceBeforeTheNextPeriodicCheck() {
        RegionHostDouble host = start(MaasPackaging.SNAP);
        String regiond = MaasPackaging.SNAP.regiondConf();
        apply(r -> {});
        awaitCondition("Fixed");
        String firstCheck = region().getStatus().getConfigFilesCheckedAt();
        host.fs().chmod(regiond, 0644);

        // well within checkInterval: only the request (kubectl annotate ... reconcile-requested-at=...) makes it due
        OPERATOR.clock().advance(Duration.ofMinutes(1));
        OPERATOR.requestCheck(MaasRegion.class, REGION);
        await().atMost(TIMEOUT)
                .until(() -> !firstCheck.equals(region().getStatus().getConfigFilesCheckedAt()));
        assertThat(host.fileMode(regiond)).isEqualTo("0640");
        // the files part may finish before the Vault part (configure, then the integration's `config-vault status`):
        // count commands only once both have settled, or their commands would be taken for a second files check
        awaitVaultPartSettled();
        int commands = host.commandLog().size();

        // the same request value again (another reconcile) does not check again
        touchIntegration();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> host.commandLog().size() == commands);
        assertThat(host.commandLog().stream().filter(l -> l.contains("python3")))
                .hasSize(2);
    }

    @Test
    void auditOnlyLeavesFilesUntouchedAndWarnsOncePerDrift() {
        RegionHostDouble host = start(MaasPackaging.DEB);
        apply(r -> r.getSpec().getConfigFiles().setEnforce(false));

        Condition c = awaitCondition("Drift");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage())
                .startsWith("3 of 3 file(s) not 0640 maas:maas (audit only, nothing changed): "
                        + "/etc/maas/regiond.conf is 0644 maas:maas");
        for (String path : MaasPackaging.DEB.defaultConfigFiles()) {
            assertThat(host.fileOwnerGroup(path)).isEqualTo("maas:maas");
        }
        assertThat(host.commandLog())
                .noneMatch(l -> l.contains("python3") || l.contains("chown") || l.contains("chmod"));
        assertThat(region().getStatus().getConfigFiles()).allSatisfy(f -> {
            assertThat(f.getCompliant()).isFalse();
            assertThat(f.getOwner()).isEqualTo("maas");
            assertThat(f.getFixedAt()).isNull();
        });
        await().atMost(TIMEOUT).until(() -> warnings("PermissionsDrift").size() == 3);
        assertThat(warnings("PermissionsDrift"))
                .contains("/etc/maas/regiond.conf: 0644 maas:maas, want 0640 maas:maas (audit only: not changed)");
        assertThat(nonCompliantGauge()).isEqualTo(3.0);

        // the next check sees the same drift on two files (no new warning) and a new drift on one (one warning)
        String firstCheck = region().getStatus().getConfigFilesCheckedAt();
        host.fs().chmod("/etc/maas/rackd.conf", 0666);
        OPERATOR.clock().advance(Duration.ofMinutes(11));
        touchIntegration();
        await().atMost(TIMEOUT)
                .until(() -> !firstCheck.equals(region().getStatus().getConfigFilesCheckedAt()));
        await().atMost(TIMEOUT).until(() -> warnings("PermissionsDrift").size() == 4);
        assertThat(warnings("PermissionsDrift"))
                .contains("/etc/maas/rackd.conf: 0666 maas:maas, want 0640 maas:maas (audit only: not changed)");
        assertThat(host.fileMode("/etc/maas/rackd.conf")).isEqualTo("0666");
        assertThat(host.commandLog())
                .noneMatch(l -> l.contains("python3") || l.contains("chown") || l.contains("chmod"));

        // a spec change is checked at once (no clock advance): switching to enforce fixes the files
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .withName(REGION)
                .edit(r -> {
                    r.getSpec().getConfigFiles().setEnforce(true);
                    return r;
                });
        awaitCondition("Fixed");
        assertThat(host.fileOwnerGroup("/etc/maas/rackd.conf")).isEqualTo("maas:maas");
        assertThat(host.fileMode("/etc/maas/rackd.conf")).isEqualTo("0640");
    }

    @Test
    void aMissingFileIsItsOwnStateNotAnErrorLoop() {
        RegionHostDouble host = start(MaasPackaging.DEB);
        host.fs().delete("/var/lib/maas/secret");
        apply(r -> {});

        Condition c = awaitCondition("FileMissing");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage())
                .startsWith("missing on region-a: /var/lib/maas/secret (nothing to secure;")
                .endsWith("; fixed /etc/maas/regiond.conf, /etc/maas/rackd.conf");
        ConfigFileStatus secret = region().getStatus().getConfigFiles().get(2);
        assertThat(secret.getPath()).isEqualTo("/var/lib/maas/secret");
        assertThat(secret.getExists()).isFalse();
        assertThat(secret.getCompliant()).isFalse();
        assertThat(secret.getMode()).isNull();
        assertThat(host.fileOwnerGroup("/etc/maas/regiond.conf")).isEqualTo("maas:maas");
        assertThat(nonCompliantGauge()).isEqualTo(1.0);

        // reconciles keep coming (the integration changes) but nothing is due: no commands, no status writes
        // (once the region's other part, its Vault configuration, has settled too)
        // (and the integration has asked MAAS, with `config-vault status`, which regions it knows)
        awaitVaultPartSettled();
        String version = region().getMetadata().getResourceVersion();
        int commands = host.commandLog().size();
        touchIntegration();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> host.commandLog().size() == commands
                        && version.equals(region().getMetadata().getResourceVersion()));
        assertThat(messages("ConfigFileMissing"))
                .containsExactly("/var/lib/maas/secret does not exist on the controller");
    }

    @Test
    void aGroupTheHostDoesNotHaveIsAClearErrorAndNothingIsChanged() {
        // as on a snap-only controller, where nothing creates a "maas" group on the host
        RegionHostDouble host = start(MaasPackaging.SNAP);
        host.fs().removeGroup("maas");
        apply(r -> r.getSpec().getConfigFiles().setGroup("maas"));

        Condition c = awaitCondition("GroupNotFound");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage())
                .startsWith(
                        "group 'maas' does not exist on region-a; create it or change "
                                + "spec.configFiles.group. Nothing was changed; not 0640 root:maas: /var/snap/maas/current/regiond.conf is 0644 root:root");
        assertThat(host.fileMode(MaasPackaging.SNAP.regiondConf())).isEqualTo("0644");
        assertThat(host.commandLog())
                .contains("sudo -n -- getent group maas")
                .noneMatch(l -> l.contains("python3") || l.contains("chown") || l.contains("chmod"));
        assertThat(region().getStatus().getConfigFiles())
                .extracting(ConfigFileStatus::getCompliant)
                .containsOnly(false);
    }

    @Test
    void anUnreachableControllerIsAStateWithBackoffAndRecovers() {
        RegionHostDouble host = start(MaasPackaging.DEB);
        host.stop();
        apply(r -> {});

        Condition c = awaitCondition("RegionUnreachable");
        assertThat(c.getStatus()).isEqualTo("False");
        // the operator's first-retry setting, doubled per failure (the tests' setting is short: a few may have passed)
        var first = OperatorExtension.TEST_RETRIES.configFilesFirst();
        assertThat(c.getMessage())
                .startsWith("cannot check config files: ")
                .containsAnyOf(java.util.stream.IntStream.rangeClosed(1, 4)
                        .mapToObj(n -> "(retrying in "
                                + io.maasops.security.configfiles.CheckSchedule.backoff(first, n)
                                        .toMillis() + "ms)")
                        .toArray(String[]::new));
        assertThat(region().getStatus().getConfigFiles()).isNull();

        host.start();
        OPERATOR.clock().advance(Duration.ofSeconds(11));
        touchIntegration();
        awaitCondition("Fixed");
        assertThat(host.fileOwnerGroup("/etc/maas/regiond.conf")).isEqualTo("maas:maas");
    }

    /**
     * Issue 19 finding 1: the old default, root:maas, on deb. MAAS's regiond (user maas) rewrites the shared secret at
     * every start with atomic_write, which cannot copy a root owner: MAAS would never start again. Refused, and
     * nothing is changed.
     */
    @Test
    void debRootOwnerIsRefusedBecauseMaasCouldNotStartWithIt() {
        RegionHostDouble host = start(MaasPackaging.DEB);
        apply(r -> r.getSpec().getConfigFiles().setOwner("root"));

        Condition c = awaitCondition("PolicyBreaksMaas");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage())
                .contains("is rewritten by maas-regiond")
                .contains("user 'maas'")
                .contains("Nothing was changed");
        for (String path : MaasPackaging.DEB.defaultConfigFiles()) {
            assertThat(host.fileOwnerGroup(path)).isEqualTo("maas:maas");
        }
        assertThat(host.commandLog())
                .contains("sudo -n -- id -nG -- maas")
                .noneMatch(l -> l.contains("python3") || l.contains("chown") || l.contains("chmod"));
        host.services().restartAll();
        assertThat(host.services().notRunning()).isEmpty();
    }

    /** A snap host without a maas group (the usual case: the snap creates none) gets root:root 0640, what MAAS lives with. */
    @Test
    void aSnapHostWithoutAMaasGroupGetsRootRoot() {
        RegionHostDouble host = start(MaasPackaging.SNAP);
        host.fs().removeGroup("maas");
        apply(r -> {});

        Condition c = awaitCondition("Fixed");
        assertThat(c.getMessage())
                .startsWith("fixed 2 of 3 file(s) to 0640 root:root"); // the secret was 0640 root:root already
        assertThat(host.fileOwnerGroup(MaasPackaging.SNAP.regiondConf())).isEqualTo("root:root");
        assertThat(host.fileMode(MaasPackaging.SNAP.regiondConf())).isEqualTo("0640");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A deb host's files as a careless admin left them (0644); a snap host's are 0644 root:root anyway. */
    private RegionHostDouble start(MaasPackaging installation) {
        testbed = MaasTestbed.start(1, installation);
        testbed.applySecrets(OPERATOR.client(), OPERATOR.namespace());
        RegionHostDouble host = testbed.host(REGION);
        if (installation == MaasPackaging.DEB) {
            MaasPackaging.DEB.defaultConfigFiles().forEach(p -> host.fs().chmod(p, 0644));
        }
        return host;
    }

    private void apply(Consumer<MaasRegion> customise) {
        OPERATOR.client()
                .resources(VaultIntegration.class)
                .inNamespace(OPERATOR.namespace())
                .resource(testbed.integration(INTEGRATION, OPERATOR.namespace()))
                .create();
        MaasRegion region = testbed.region(REGION, INTEGRATION);
        customise.accept(region);
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .resource(region)
                .create();
    }

    /** The region's Vault configuration is done and the integration has asked MAAS which regions it knows. */
    private void awaitVaultPartSettled() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> io.maasops.security.status.Conditions.isTrue(
                                region().getStatus().getConditions(),
                                io.maasops.security.status.ConditionType.VAULT_CONFIGURED.value())
                        && integrationAskedMaas());
    }

    private boolean integrationAskedMaas() {
        var vi = OPERATOR.client()
                .resources(VaultIntegration.class)
                .inNamespace(OPERATOR.namespace())
                .withName(INTEGRATION)
                .get();
        return vi.getStatus() != null
                && vi.getStatus().getRegions() != null
                && vi.getStatus().getRegions().getCheckedAt() != null;
    }

    /** Wakes the region's reconcile without a spec change (the integration is its secondary resource). */
    private void touchIntegration() {
        OPERATOR.nudge(VaultIntegration.class, INTEGRATION);
    }

    private MaasRegion region() {
        return OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .withName(REGION)
                .get();
    }

    private Condition condition() {
        MaasRegion r = region();
        return r == null || r.getStatus() == null
                ? null
                : Conditions.find(r.getStatus().getConditions(), ConfigFilesConcern.TYPE)
                        .orElse(null);
    }

    private Condition awaitCondition(String reason) {
        return await().atMost(TIMEOUT).until(this::condition, c -> c != null && reason.equals(c.getReason()));
    }

    private List<Event> events(String reason) {
        return OPERATOR.client().v1().events().inNamespace(OPERATOR.namespace()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())
                        && REGION.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    /** Per file: one event per reason and reconcile names every file, "; "-separated. */
    private List<String> messages(String reason) {
        return events(reason).stream()
                .flatMap(e -> java.util.Arrays.stream(e.getMessage().split("; ")))
                .toList();
    }

    private List<String> warnings(String reason) {
        return events(reason).stream()
                .filter(e -> "Warning".equals(e.getType()))
                .flatMap(e -> java.util.Arrays.stream(e.getMessage().split("; ")))
                .toList();
    }

    private double nonCompliantGauge() {
        var gauge = OPERATOR.registry()
                .find(OperatorMetrics.CONFIG_FILES_NONCOMPLIANT)
                .tag("namespace", OPERATOR.namespace())
                .tag("name", REGION)
                .gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
