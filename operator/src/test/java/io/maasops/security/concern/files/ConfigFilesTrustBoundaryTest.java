package io.maasops.security.concern.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.BadInputCatalogue;
import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.SchemaValidator;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.validation.SafeValues;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "Trust boundary" findings on spec.configFiles, one test per finding. The operator runs chown and chmod
 * as root on the region controller, so a namespace author's MaasRegion must not be able to point them at
 * the host's files or ask for a dangerous mode, and a compromised MAAS service (user {@code maas} owns
 * {@code /etc/maas} and {@code /var/lib/maas} on deb hosts) must not be able to redirect them with a
 * symbolic link. Refused specs are checked twice: by the CRD schema, and by the real operator against the
 * Kubernetes API double (which, like an API server without the current CRD, does not validate).
 */
class ConfigFilesTrustBoundaryTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    private static final String REGION = "region-a";
    private static final String INTEGRATION = "maas";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SHADOW = "/etc/shadow";
    private static final int SHADOW_GID = 42;
    private static final int MAAS_UID = 113;
    private static final int MAAS_GID = 119;
    private static final SchemaValidator SCHEMA = SchemaValidator.forGeneratedCrds();

    private MaasTestbed testbed;

    @AfterEach
    void closeTestbed() {
        if (testbed != null) {
            testbed.close();
        }
    }

    /** Finding: spec.configFiles.paths ran root chown/chmod on any file (/etc/shadow was made 0666). */
    @Test
    void finding6_pathsOutsideMaasDirectoriesAreRefusedBeforeAnyCommand() {
        refusedBySchemaAndOperator(
                c -> c.name().startsWith("config file ") || c.name().equals("33 config files"),
                "spec.configFiles.paths");
    }

    /** Finding: a ~1200-character paths item overflowed the Java regex stack and killed the reconcile thread. */
    @Test
    void finding9_aLongConfigFilesPathDoesNotOverflowTheStackAndIsRefused() {
        refusedBySchemaAndOperator(c -> c.name().equals("config file of 1200 characters"), "(1200 characters)");
        // the Java check is linear and bounded whatever the length (the old regex overflowed at ~1200)
        String huge = "/var/lib/maas/" + "a/".repeat(500_000) + "b";
        assertThat(SafeValues.isConfigFilePath(huge)).isFalse();
        assertThat(SafeValues.isConfigFilePath(huge.substring(0, 255))).isTrue();
        assertThat(SafeValues.isConfigFilePath(huge.substring(0, 257))).isFalse();
    }

    /** Finding: mode accepted world-writable and setuid/setgid/sticky modes. */
    @Test
    void worldWritableAndSpecialModesAreRefused() {
        refusedBySchemaAndOperator(c -> c.name().endsWith("file mode"), "spec.configFiles.mode");
    }

    /**
     * Finding: nothing stopped the operator from following a symbolic link. A compromised MAAS replaces
     * regiond.conf with a link to /etc/shadow after set-up: the next check reports it and leaves both alone.
     */
    @Test
    void finding6_aSymbolicLinkInPlaceOfRegiondConfIsReportedAndNeverFollowed() {
        RegionHostDouble host = start();
        apply();
        awaitCondition("Fixed");
        // after MAAS's own configure (which rewrites regiond.conf by an atomic rename, replacing any link)
        await().atMost(TIMEOUT)
                .until(() -> Conditions.isTrue(
                        region().getStatus().getConditions(),
                        io.maasops.security.status.ConditionType.VAULT_CONFIGURED.value()));
        String regiond = MaasPackaging.DEB.regiondConf();

        // as the maas user can: it owns /etc/maas
        host.fs().delete(regiond);
        host.fs().symlink(regiond, SHADOW, MAAS_UID, MAAS_GID);
        host.fs().chmod("/etc/maas/rackd.conf", 0644); // some ordinary drift next to it
        int commandsBefore = host.commandLog().size();
        // a spec change is checked at once (a clock jump would also rotate the secret-id, and MAAS's rewrite of
        // regiond.conf, an atomic rename, would replace the link before the check)
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .withName(REGION)
                .edit(r -> {
                    r.getSpec().getConfigFiles().setCheckInterval("11m");
                    return r;
                });

        Condition c = awaitCondition(ConfigFilesConcern.TYPE, "NotARegularFile");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage())
                .isEqualTo("left alone on region-a: /etc/maas/regiond.conf is a symbolic link (the operator"
                        + " never follows links). Put the regular file back, or remove the path from spec.configFiles.paths;"
                        + " fixed /etc/maas/rackd.conf");
        assertShadowUntouched(host);
        assertThat(host.fileMode("/etc/maas/rackd.conf")).isEqualTo("0640");
        assertThat(host.commandLog().subList(commandsBefore, host.commandLog().size()))
                .as("regiond.conf is never handed to the fix")
                .noneMatch(l -> l.contains("python3") && l.contains(regiond));
        MaasRegion region = region();
        ConfigFileStatus entry = region.getStatus().getConfigFiles().get(0);
        assertThat(entry.getPath()).isEqualTo(regiond);
        assertThat(entry.getExists()).isTrue();
        assertThat(entry.getFileType()).isEqualTo("symbolic link");
        assertThat(entry.getCompliant()).isFalse();
        assertThat(entry.getMode()).isNull();
        assertThat(entry.getOwner()).isEqualTo("maas");
        await().atMost(TIMEOUT)
                .until(
                        () -> warnings("ConfigFileNotRegular")
                                .contains(
                                        "/etc/maas/regiond.conf is a symbolic link (the operator never follows links), left alone"));
        assertThat(gauge()).isEqualTo(1.0);
    }

    /**
     * The same finding, raced: regiond.conf is swapped for a link between the operator's stat and its fix,
     * and rackd.conf inside the fix, between the script's lstat and its open. Neither link is followed.
     */
    @Test
    void aFileSwappedForASymbolicLinkDuringTheFixIsNotFollowed() {
        RegionHostDouble host = start();
        String regiond = MaasPackaging.DEB.regiondConf();
        String rackd = MaasPackaging.DEB.rackdConf();
        host.beforeCommand("python3", () -> swapForLink(host, regiond));
        host.betweenFixScriptLstatAndOpen(() -> swapForLink(host, rackd));
        apply();

        Condition c = awaitCondition(ConfigFilesConcern.TYPE, "NotARegularFile");
        assertThat(c.getMessage())
                .isEqualTo(
                        "left alone on region-a: /etc/maas/regiond.conf is a symbolic link (the operator"
                                + " never follows links); /etc/maas/rackd.conf is a symbolic link (the operator never follows links). Put the"
                                + " regular file back, or remove the path from spec.configFiles.paths; fixed /var/lib/maas/secret");
        assertShadowUntouched(host);
        assertThat(host.commandLog())
                .as("both were handed to the fix (the stat saw regular files)")
                .anyMatch(l -> l.contains("python3") && l.contains(regiond))
                .anyMatch(l -> l.contains("python3") && l.contains(rackd));
        assertThat(host.fileMode("/var/lib/maas/secret")).isEqualTo("0640");
        assertThat(region().getStatus().getConfigFiles())
                .extracting(ConfigFileStatus::getFileType)
                .containsExactly("symbolic link", "symbolic link", null);
    }

    /** The same finding one level up: a directory link the maas user plants inside /var/lib/maas. */
    @Test
    void aDirectoryLinkPlantedByMaasIsNotFollowed() {
        RegionHostDouble host = start();
        host.fs().symlink("/var/lib/maas/d", "/etc", MAAS_UID, MAAS_GID);
        apply(spec -> spec.setPaths(List.of("/var/lib/maas/d/shadow")));

        Condition c = awaitCondition(ConfigFilesConcern.TYPE, "CommandFailed");
        // the host's own words reach status as an excerpt (its beginning and its end)
        assertThat(c.getMessage())
                .startsWith("could not fix /var/lib/maas/d/shadow (")
                .contains("it goes through 'd', a symbolic link not both owned by root")
                .endsWith("the operator never follows such links)");
        assertShadowUntouched(host);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * Each catalogue case the filter selects: refused by the CRD schema (the validator and the API server, 422),
     * and, stored past it as under an older CRD, refused by the operator with InvalidSpec naming
     * {@code fragment}, while no command reaches the controller.
     */
    private void refusedBySchemaAndOperator(Predicate<BadInputCatalogue.Case> which, String fragment) {
        List<BadInputCatalogue.Case> cases =
                BadInputCatalogue.CONFIG_FILES.stream().filter(which).toList();
        assertThat(cases).isNotEmpty();
        RegionHostDouble host = start();
        var olderCrd = OPERATOR.api().clientForObjectsOfAnOlderCrd();
        OPERATOR.client()
                .resources(VaultIntegration.class)
                .inNamespace(OPERATOR.namespace())
                .resource(testbed.integration(INTEGRATION, OPERATOR.namespace()))
                .create();
        for (int i = 0; i < cases.size(); i++) {
            BadInputCatalogue.Case c = cases.get(i);
            assertThat(SCHEMA.validate(yaml(c.yaml())))
                    .as("the schema refuses " + c.name())
                    .isNotEmpty();
            MaasRegion bad = testbed.region(REGION, INTEGRATION);
            bad.getMetadata().setName("bad-" + i);
            bad.getSpec()
                    .setConfigFiles(Serialization.unmarshal(c.yaml(), MaasRegion.class)
                            .getSpec()
                            .getConfigFiles());
            assertThatThrownBy(() -> OPERATOR.client()
                            .resources(MaasRegion.class)
                            .inNamespace(OPERATOR.namespace())
                            .resource(bad)
                            .create())
                    .as("the API server refuses " + c.name())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(422));
            // stored under an earlier, looser CRD (never re-validated): the operator's own check is the last line
            olderCrd.resources(MaasRegion.class)
                    .inNamespace(OPERATOR.namespace())
                    .resource(bad)
                    .create();
        }
        olderCrd.close();
        for (int i = 0; i < cases.size(); i++) {
            String name = "bad-" + i;
            Condition ready = await().atMost(TIMEOUT)
                    .until(
                            () -> condition(name, Conditions.READY),
                            x -> x != null && "InvalidSpec".equals(x.getReason()));
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getMessage()).as(cases.get(i).name()).contains(fragment);
        }
        assertThat(host.commandLog()).as("commands on the controller").isEmpty();
        assertShadowUntouched(host);
    }

    private static com.fasterxml.jackson.databind.JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deb controller with an /etc/shadow as Ubuntu has it (root:shadow 0640). */
    private RegionHostDouble start() {
        testbed = MaasTestbed.start(1, MaasPackaging.DEB);
        testbed.applySecrets(OPERATOR.client(), OPERATOR.namespace());
        RegionHostDouble host = testbed.host(REGION);
        host.fs().addGroup("shadow", SHADOW_GID);
        host.fs().put(SHADOW, "root:*:19000:0:99999:7:::\n", 0640, 0, SHADOW_GID);
        // drift to fix: the deb files at 0644 (their owner, maas, is what MAAS needs on deb)
        MaasPackaging.DEB.defaultConfigFiles().forEach(p -> host.fs().chmod(p, 0644));
        return host;
    }

    private static void assertShadowUntouched(RegionHostDouble host) {
        assertThat(host.fileMode(SHADOW)).as("/etc/shadow's mode").isEqualTo("0640");
        assertThat(host.fileOwnerGroup(SHADOW)).as("/etc/shadow's owner").isEqualTo("root:shadow");
    }

    /** What the maas user can do in its own directory: replace a file with a link to /etc/shadow (once). */
    private static void swapForLink(RegionHostDouble host, String path) {
        synchronized (host.fs()) {
            if (host.fs()
                    .node(path)
                    .map(n -> n.kind() == io.maasops.security.testing.region.VirtualFileSystem.Kind.REGULAR)
                    .orElse(false)) {
                host.fs().delete(path);
                host.fs().symlink(path, SHADOW, MAAS_UID, MAAS_GID);
            }
        }
    }

    private void apply() {
        apply(spec -> {});
    }

    private void apply(java.util.function.Consumer<ConfigFilesSpec> customise) {
        OPERATOR.client()
                .resources(VaultIntegration.class)
                .inNamespace(OPERATOR.namespace())
                .resource(testbed.integration(INTEGRATION, OPERATOR.namespace()))
                .create();
        MaasRegion region = testbed.region(REGION, INTEGRATION);
        if (region.getSpec().getConfigFiles() == null) {
            region.getSpec().setConfigFiles(new ConfigFilesSpec());
        }
        customise.accept(region.getSpec().getConfigFiles());
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .resource(region)
                .create();
    }

    private MaasRegion region() {
        return OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .withName(REGION)
                .get();
    }

    private Condition condition(String name, String type) {
        MaasRegion r = OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(OPERATOR.namespace())
                .withName(name)
                .get();
        return r == null || r.getStatus() == null
                ? null
                : Conditions.find(r.getStatus().getConditions(), type).orElse(null);
    }

    private Condition awaitCondition(String reason) {
        return awaitCondition(ConfigFilesConcern.TYPE, reason);
    }

    private Condition awaitCondition(String type, String reason) {
        return await().atMost(TIMEOUT)
                .until(() -> condition(REGION, type), c -> c != null && reason.equals(c.getReason()));
    }

    private List<String> warnings(String reason) {
        return OPERATOR.client().v1().events().inNamespace(OPERATOR.namespace()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
                .map(Event::getMessage)
                .flatMap(m -> java.util.Arrays.stream(m.split("; ")))
                .toList();
    }

    private double gauge() {
        var g = OPERATOR.registry()
                .find(io.maasops.security.metrics.OperatorMetrics.CONFIG_FILES_NONCOMPLIANT)
                .tag("namespace", OPERATOR.namespace())
                .tag("name", REGION)
                .gauge();
        return g == null ? Double.NaN : g.value();
    }
}
