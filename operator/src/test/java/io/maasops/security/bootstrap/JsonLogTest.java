package io.maasops.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format=json} as the pod runs it (OperatorMain in a JVM of its own, so logback is
 * configured by the flag and nothing else): every line is one JSON object, lines written during a
 * reconcile carry JOSDK's MDC (kind, namespace, name), and no secret is in any of them.
 */
class JsonLogTest {

    static final String NS = "json-logs";

    @TempDir
    Path dir;

    Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void jsonLinesCarryTheReconciledResourceAndNoSecret() throws Exception {
        try (KubeApiDouble api = KubeApiDouble.start();
                MaasTestbed testbed = MaasTestbed.start(1)) {
            KubernetesClient k8s = api.client();
            k8s.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NS)
                            .endMetadata()
                            .build())
                    .create();
            Path log = dir.resolve("operator.log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    OperatorMain.class.getName(),
                    "--log-format=json",
                    "--no-leader-election",
                    "--cluster-resource-namespace=" + KubeApiDouble.RELEASE_NAMESPACE,
                    "--http-port=0",
                    "--watch-namespaces=" + NS));
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment()
                    .put(
                            "KUBECONFIG",
                            api.writeOperatorKubeconfig(dir.resolve("kubeconfig"))
                                    .toString());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("LOG_FORMAT");
            process = pb.start();

            String region = MaasTestbed.hostname(0);
            testbed.applySecrets(k8s, NS);
            k8s.resource(testbed.integration("maas", NS)).create();
            k8s.resources(MaasRegion.class)
                    .inNamespace(NS)
                    .resource(testbed.region(region, "maas"))
                    .create();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(process.isAlive())
                        .as("operator alive; log:%n%s", Files.readString(log))
                        .isTrue();
                assertThat(Files.readString(log)).contains("Provisioned on MaasRegion\\/" + region); // JSON escapes '/'
            });
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                JsonNode node = json.readTree(line);
                assertThat(node.isObject())
                        .as("one JSON object per line: %s", line)
                        .isTrue();
                assertThat(node.path("level").asText()).as(line).isNotEmpty();
                lines.add(node);
            }
            assertThat(lines)
                    .as("a start and a provisioning without warnings")
                    .noneMatch(l -> l.path("level").asText().equals("WARN")
                            || l.path("level").asText().equals("ERROR"));
            JsonNode provisioned = lines.stream()
                    .filter(l -> l.path("formattedMessage").asText().contains("Provisioned on MaasRegion/" + region))
                    .findFirst()
                    .orElseThrow();
            assertThat(provisioned.path("mdc").path("resource.kind").asText()).isEqualTo("MaasRegion");
            assertThat(provisioned.path("mdc").path("resource.namespace").asText())
                    .isEqualTo(NS);
            assertThat(provisioned.path("mdc").path("resource.name").asText()).isEqualTo(region);

            String text = Files.readString(log);
            String secretId =
                    testbed.host(region).regiondConf().get("vault_secret_id").toString();
            assertThat(text).as("the region's secret-id").doesNotContain(secretId);
            assertThat(text).as("the operator's Vault token").doesNotContain(testbed.operatorToken());
            assertThat(text)
                    .as("the MAAS API key")
                    .doesNotContain(testbed.api().apiKey().split(":")[2]);
            assertThat(text)
                    .as("the SSH private key")
                    .doesNotContain(testbed.clientPrivateKey()
                            .lines()
                            .skip(1)
                            .findFirst()
                            .orElseThrow());
        }
    }
}
