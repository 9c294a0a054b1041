package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.maasops.security.regionhost.RegionAccessException.Kind;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.util.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod exec against the API double running the region host double as a pod ({@link KubeApiDouble#addPod}: the exec
 * WebSocket, v4 channel protocol, status frame then close, as the real API server answers).
 */
class PodExecCommandRunnerTest {
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;
    private KubeApiDouble api;

    @BeforeEach
    void setUp() {
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("maas-region-0", MaasPackaging.SNAP, null);
        api = KubeApiDouble.start();
        api.client()
                .namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName("maas")
                        .endMetadata()
                        .build())
                .create();
        api.addPod("maas", "maas-region-0", "regiond", host::runInContainer);
    }

    @AfterEach
    void tearDown() {
        api.close();
        deployment.close();
    }

    private PodExecCommandRunner runner() {
        return new PodExecCommandRunner(api.client(), "maas", "maas-region-0", "regiond");
    }

    private static String commandParameters(List<String> argv) {
        return argv.stream()
                .map(a -> "command="
                        + URLEncoder.encode(a, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    @Test
    void runsTheArgumentVectorAndReturnsOutputAndExitCode() {
        PodExecCommandRunner runner = runner();
        VaultStatus status = new MaasCli(runner, MaasPackaging.SNAP).vaultStatus();

        assertThat(status.enabled()).isFalse();
        assertThat(status.unconfiguredRegions()).contains("maas-region-0");
        assertThat(runner.describe()).isEqualTo("pod maas/maas-region-0/regiond");
        assertThat(host.execRequests()).containsExactly("maas config-vault status");
    }

    @Test
    void hostileValuesAreSentAsSeparateCommandParametersAndExitCodesSurvive() {
        List<String> hostile = List.of("it's; $(id)", "a\nb", "`id`", "*", "");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(hostile);

        CommandResult r = runner().run(argv, Duration.ofSeconds(10));

        assertThat(r.exitCode()).isZero();
        assertThat(Arrays.asList(r.stdout().split("\0", -1)).subList(0, hostile.size()))
                .containsExactlyElementsOf(hostile);
        // exactly one "command" parameter per argument: no shell string was built
        assertThat(api.execUrls()).singleElement().asString().contains(commandParameters(argv) + "&");

        CommandResult missing = runner().run(List.of("getent", "passwd", "nosuchuser"), Duration.ofSeconds(10));
        assertThat(missing.exitCode()).isEqualTo(2);
        CommandResult denied = runner().run(List.of("chmod", "0640", "--", "/nonexistent"), Duration.ofSeconds(10));
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.stderr()).isEqualTo("chmod: cannot access '/nonexistent': No such file or directory\n");
    }

    /** The config-file fix sends a 3 KiB script as an argument: kube-apiserver takes request lines up to 1 MiB. */
    @Test
    void aLongArgumentVectorIsRunAsIs() {
        String script = "x".repeat(8000) + " it's";
        CommandResult r = runner().run(List.of("printf", "%s\\0", script), Duration.ofSeconds(10));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(script + "\0");
        assertThat(api.execUrls())
                .singleElement()
                .asString()
                .contains(URLEncoder.encode(script, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Test
    void inputGoesOverTheStdinChannelNotTheUrl() {
        String secret = "hvs.INPUT-NOT-IN-URL";
        CommandResult r = runner().run(
                        List.of("sh", "-c", "IFS= read -r t && exec printf %s \"$t\"", "sh"),
                        Secret.of(secret + "\n"),
                        Duration.ofSeconds(10));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(secret);
        assertThat(api.execUrls())
                .singleElement()
                .asString()
                .contains("stdin=true")
                .doesNotContain(secret)
                .doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    @Test
    void aCommandThatNeverEndsTimesOut() {
        host.hang("maas");
        assertThatThrownBy(() -> runner().run(List.of("maas", "config-vault", "migrate"), Duration.ofMillis(800)))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("'maas' did not finish within PT0.8S");
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> host.hangingNow() == 0); // the stream was closed
    }

    @Test
    void missingPodIsUnreachableWithoutArgumentsInTheMessage() {
        assertThatThrownBy(() -> new PodExecCommandRunner(api.client(), "maas", "gone", "regiond")
                        .run(
                                List.of(
                                        "maas",
                                        "config-vault",
                                        "configure",
                                        "http://v",
                                        "r",
                                        "hvs.SECRET-WRAP",
                                        "maas"),
                                Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE); // the API server's 404
                    assertThat(e.getMessage()).doesNotContain("hvs.SECRET-WRAP");
                });
    }
}
