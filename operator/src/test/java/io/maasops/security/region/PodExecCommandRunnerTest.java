package io.maasops.security.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.maasops.security.region.RegionAccessException.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod exec against the fabric8 mock API server in expectation mode (the exec websocket, v4 channel protocol). */
@EnableKubernetesMockClient
class PodExecCommandRunnerTest {
    KubernetesMockServer server;
    KubernetesClient client;

    /** fabric8 waits for the pod to be ready before exec; the mock serves a running, ready pod. */
    @BeforeEach
    void podIsReady() {
        var pod = new PodBuilder().withNewMetadata().withName("maas-region-0").withNamespace("maas")
                .withResourceVersion("1").endMetadata()
                .withNewSpec().addNewContainer().withName("regiond").withImage("maas").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        server.expect().get().withPath("/api/v1/namespaces/maas/pods/maas-region-0").andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/maas/pods?fieldSelector=metadata.name%3Dmaas-region-0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
                        .addToItems(pod).build())
                .always();
    }

    /**
     * The fabric8 mock's exec emulation sometimes ends the stream without a status frame (about one
     * run in four here, never against the runner's logic): such an attempt is repeated, at most 3 times.
     */
    private static <T> T withMockRetries(java.util.concurrent.Callable<T> call) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (RegionAccessException e) {
                if (attempt >= 3 || e.kind() != Kind.TRANSPORT_ERROR || !e.getMessage().contains("ended without an exit status")) {
                    throw e;
                }
            }
        }
    }

    private static String execPath(String pod, String container, List<String> argv) {
        String commands = argv.stream().map(a -> "command=" + URLEncoder.encode(a, StandardCharsets.UTF_8)
                .replace("+", "%20")).collect(Collectors.joining("&"));
        return "/api/v1/namespaces/maas/pods/" + pod + "/exec?" + commands + "&container=" + container
                + "&stdout=true&stderr=true";
    }

    @Test
    void runsTheArgumentVectorAndReturnsOutputAndExitCode() throws Exception {
        List<String> argv = List.of("maas", "config-vault", "status");
        server.expect().withPath(execPath("maas-region-0", "regiond", argv))
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("status: disabled\nunconfigured_regions: []\n\n"),
                        new StatusStreamMessage(0))
                // keep the socket open a moment: the mock's close can overtake the status frame
                .waitFor(3_000).andEmit(new OutputStreamMessage(""))
                .done().times(3);

        PodExecCommandRunner runner = new PodExecCommandRunner(client, "maas", "maas-region-0", "regiond");
        VaultStatus status = withMockRetries(() -> new MaasCli(runner, Installation.SNAP).vaultStatus());

        assertThat(status).isEqualTo(new VaultStatus(false, List.of()));
        assertThat(runner.describe()).isEqualTo("pod maas/maas-region-0/regiond");
    }

    @Test
    void hostileValuesAreSentAsSeparateCommandParametersAndExitCodesSurvive() throws Exception {
        List<String> argv = List.of("printf", "%s\\0", "it's; $(id)", "a\nb");
        server.expect().withPath(execPath("maas-region-0", "regiond", argv))
                .andUpgradeToWebSocket()
                .open(new ErrorStreamMessage("printf: boom\n"), new StatusStreamMessage(3))
                .waitFor(3_000).andEmit(new OutputStreamMessage(""))
                .done().times(3);

        CommandResult r = withMockRetries(() -> new PodExecCommandRunner(client, "maas", "maas-region-0", "regiond")
                .run(argv, Duration.ofSeconds(10)));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).isEqualTo("printf: boom\n");
        // the mock matched on exactly one "command" parameter per argument: no shell string was built
        assertThat(server.getLastRequest().getPath()).isEqualTo(execPath("maas-region-0", "regiond", argv));
    }

    @Test
    void aCommandThatNeverEndsTimesOut() {
        List<String> argv = List.of("maas", "config-vault", "migrate");
        server.expect().withPath(execPath("maas-region-0", "regiond", argv))
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("Send restart signal to active regions\n"))
                // no exit status within the runner's timeout: only more output, much later
                .waitFor(30_000).andEmit(new OutputStreamMessage("Migrating secrets\n"))
                .done().times(3);

        assertThatThrownBy(() -> withMockRetries(() -> new PodExecCommandRunner(client, "maas", "maas-region-0", "regiond")
                .run(argv, Duration.ofMillis(800))))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("'maas' did not finish within PT0.8S");
                });
    }

    @Test
    void missingPodIsUnreachableWithoutArgumentsInTheMessage() {
        assertThatThrownBy(() -> new PodExecCommandRunner(client, "maas", "gone", "regiond")
                .run(List.of("maas", "config-vault", "configure", "http://v", "r", "hvs.SECRET-WRAP", "maas"),
                        Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isIn(Kind.UNREACHABLE, Kind.TRANSPORT_ERROR);
                    assertThat(e.getMessage()).doesNotContain("hvs.SECRET-WRAP");
                });
    }
}
