package io.maasops.security.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.testing.kube.Kubectl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's sandbox walk-through with the real kubectl (v1.32, on the PATH; .ci/run installs
 * it): one sandbox, every step against it, as a platform engineer would type them, with
 * validation on (no --validate=false). The sandbox's API server must answer as kube-apiserver
 * does for kubectl to get this far: HTTPS, discovery with short names and categories, OpenAPI v3,
 * Tables with the CRDs' columns, protobuf bodies, streaming watches, server-side validation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlSandboxTest {

    Path state;
    Path home;
    Path kubectl;
    Sandbox.Running sandbox;

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    void startSandbox(@TempDir Path dir) throws Exception {
        state = dir;
        kubectl = Kubectl.required("the kubectl walk-through of the sandbox is NOT tested (.ci/run installs kubectl)");
        home = Files.createDirectories(state.resolve("home"));
        Sandbox s = new Sandbox();
        new CommandLine(s)
                .parseArgs(
                        "--regions",
                        "2",
                        "--timeout",
                        "90s",
                        "--state-dir",
                        state.toString(),
                        "--examples",
                        "../examples/quick-start");
        sandbox = s.launch();
        assertThat(sandbox.notReady()).as("the quick start converged").isEmpty();
    }

    @AfterAll
    void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void getMaasShowsThePrinterColumnsWithReady() throws Exception {
        // the regions are in namespace maas; the (cluster-scoped) VaultIntegration is listed from any
        Result r = kubectl("get", "maas", "-n", "maas");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out())
                .contains("vaultintegration.security.maasops.io/maas", "maasregion.security.maasops.io/region-a")
                .containsPattern("NAME +READY +HOSTNAME +MAAS +INTEGRATION +APPROLE +CERTIFICATE +AGE")
                .containsPattern("region-a +True +region-a +3\\.8\\.0 +maas +maas_maas_region-a +");
        assertThat(kubectl("get", "mr", "region-b", "-n", "maas", "-o", "jsonpath={.spec.hostname}")
                        .out())
                .isEqualTo("region-b");
        Result all = kubectl("get", "maas", "-A"); // as the README says it
        assertThat(all.exit()).as(all.all()).isZero();
        assertThat(all.out())
                .containsPattern("maas +maasregion.security.maasops.io/region-a ")
                .contains("vaultintegration.security.maasops.io/maas");
        assertThat(kubectl("get", "maas").all())
                .as("nothing of ours in namespace default but the cluster-scoped integration")
                .contains("vaultintegration.security.maasops.io/maas")
                .doesNotContain("region-a");
    }

    @Test
    @Order(2)
    void explainPrintsTheCrdDescriptions() throws Exception {
        Result r = kubectl("explain", "maasregion.spec.access.ssh");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out())
                .contains(
                        "KIND:       MaasRegion",
                        "knownHostsSecretRef",
                        "known_hosts holding the controller's host key.",
                        "SSH port.");
        // plain "rolebinding" is RBAC's, as on any cluster: the README names ours by group or short name
        assertThat(kubectl("explain", "rolebinding").out()).contains("GROUP:      rbac.authorization.k8s.io");
        assertThat(kubectl("explain", "rolebindings.security.maasops.io.spec").out())
                .contains("GROUP:      security.maasops.io", "maasRegionRef");
        assertThat(kubectl("explain", "mrb.spec.role").out()).contains("GROUP:      security.maasops.io");
        // the OpenAPI v2 document too (protobuf, as client-go asks for it)
        assertThat(kubectl("explain", "--output=plaintext-openapiv2", "maasregion.spec.access")
                        .out())
                .contains("By pod exec.");
    }

    @Test
    @Order(3)
    void createNamespaceAndApplyTheQuickStartWithServerSideValidation() throws Exception {
        Result ns = kubectl("create", "namespace", "quick-start");
        assertThat(ns.exit()).as(ns.all()).isZero();
        assertThat(ns.out()).contains("namespace/quick-start created");
        assertThat(kubectl("get", "ns", "quick-start").out()).containsPattern("quick-start +Active");
        // the quick start as written (hosts that do not exist here, its own namespaces): validated by
        // the server, stored nowhere; the sandbox runs two regions, so region-c would be new
        Result apply = kubectl("apply", "--dry-run=server", "-f", "../examples/quick-start/");
        assertThat(apply.exit()).as(apply.all()).isZero();
        assertThat(apply.out())
                .contains(
                        "secret/vault-token",
                        "vaultintegration.security.maasops.io/maas",
                        "maasregion.security.maasops.io/region-c created (server dry run)");
        assertThat(kubectl("get", "maasregion", "region-c", "-n", "maas").all()).contains("NotFound");
        // its objects name their namespaces: applying them into another one is refused, as by kube-apiserver
        Result elsewhere = kubectl(
                "apply", "--dry-run=server", "-n", "quick-start", "-f", "../examples/quick-start/40-region-a.yaml");
        assertThat(elsewhere.exit()).as(elsewhere.all()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("does not match the namespace \"quick-start\"");
    }

    @Test
    @Order(4)
    void waitAsTheReadmeSaysIt() throws Exception {
        Result all = kubectl("wait", "--for=condition=Ready", "maas", "-A", "--all", "--timeout=60s");
        assertThat(all.exit()).as(all.all()).isZero();
        assertThat(all.out())
                .contains(
                        "vaultintegration.security.maasops.io/maas condition met",
                        "maasregion.security.maasops.io/region-b condition met");
        Result one =
                kubectl("wait", "--for=condition=Ready", "vaultintegrations.security.maasops.io/maas", "--timeout=60s");
        assertThat(one.exit()).as(one.all()).isZero();
    }

    @Test
    @Order(5)
    void aBadCustomResourceIsRefusedWithTheSchemasMessage() throws Exception {
        Path bad = state.resolve("bad-region.yaml");
        Files.writeString(bad, """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: bad}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: bad
          access:
            ssh:
              host: 127.0.0.1
              port: 70000
              user: ubuntu
              privateKeySecretRef: {name: region-ssh, key: id_ed25519}
              knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
        """);
        Result r = kubectl("apply", "-f", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("The MaasRegion \"bad\" is invalid: spec.access.ssh.port: Invalid value: 70000: "
                        + "spec.access.ssh.port in body should be less than or equal to 65535");
        Files.writeString(
                bad,
                Files.readString(bad)
                        .replace("port: 70000", "port: 22")
                        .replace("    ssh:", "    pod: {name: p}\n    ssh:"));
        Result cel = kubectl("apply", "-f", bad.toString());
        assertThat(cel.exit()).isEqualTo(1);
        assertThat(cel.err())
                .contains(
                        "The MaasRegion \"bad\" is invalid: spec.access: Invalid value: \"object\": exactly one of ssh or pod must be set");
        Files.writeString(
                bad,
                Files.readString(bad)
                        .replace("    pod: {name: p}\n", "")
                        .replace("port: 22", "port: 22\n      colour: blue"));
        Result unknown = kubectl("apply", "-f", bad.toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("strict decoding error: unknown field \"spec.access.ssh.colour\"");
        assertThat(kubectl("get", "maasregion", "bad").all()).contains("NotFound");
    }

    @Test
    @Order(6)
    void theExtraRegionTheSandboxPrintsIsAppliedAndBecomesReady() throws Exception {
        Path extra = sandbox.addSpareRegion();
        Result apply = kubectl("apply", "-f", extra.toString());
        assertThat(apply.exit()).as(apply.all()).isZero();
        assertThat(apply.out()).contains("maasregion.security.maasops.io/region-extra created");
        Result ready =
                kubectl("-n", "maas", "wait", "--for=condition=Ready", "maasregion/region-extra", "--timeout=60s");
        assertThat(ready.exit()).as(ready.all()).isZero();
        Result ssa = kubectl("apply", "--server-side", "-f", extra.toString());
        assertThat(ssa.exit()).as(ssa.all()).isZero();
        assertThat(ssa.out()).contains("maasregion.security.maasops.io/region-extra serverside-applied");
    }

    @Test
    @Order(7)
    void annotateRotatesTheSecretId() throws Exception {
        var client = sandbox.api().client();
        Result r = kubectl(
                "-n",
                "maas",
                "annotate",
                "maasregion",
                "region-a",
                "security.maasops.io/rotate-secret-id=" + System.nanoTime(),
                "--overwrite");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("maasregion.security.maasops.io/region-a annotated");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(client.resources(MaasRegion.class)
                                .inNamespace(Sandbox.NAMESPACE)
                                .withName("region-a")
                                .get()
                                .getStatus()
                                .getAppRole()
                                .getRotatedAt())
                        .isNotNull());
    }

    @Test
    @Order(8)
    void secretsFromKubectlAreStoredAsData() throws Exception {
        Result created =
                kubectl("create", "secret", "generic", "from-literal", "--from-literal=a=b"); // a protobuf body
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(kubectl("get", "secret", "from-literal", "-o", "jsonpath={.data.a}")
                        .out())
                .isEqualTo("Yg==");
        Path secret = state.resolve("secret.yaml");
        Files.writeString(secret, """
        apiVersion: v1
        kind: Secret
        metadata: {name: string-data}
        type: Opaque
        stringData: {token: s3cr3t}
        """);
        assertThat(kubectl("apply", "-f", secret.toString()).exit()).isZero();
        assertThat(kubectl("get", "secret", "string-data", "-o", "jsonpath={.data.token}")
                        .out())
                .isEqualTo("czNjcjN0");
        assertThat(kubectl("get", "secret", "string-data", "-o", "jsonpath={.stringData}")
                        .out())
                .as("stringData is not stored")
                .isEmpty();
        assertThat(kubectl("get", "secrets", "string-data").out()).containsPattern("string-data +Opaque +1");
    }

    private Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectl.toString());
        cmd.add("--kubeconfig=" + sandbox.kubeconfig());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString()); // kubectl's discovery cache goes here, not to the user's home
        pb.environment().remove("KUBECONFIG");
        Path out = Files.createTempFile(state, "kubectl", ".out");
        Path err = Files.createTempFile(state, "kubectl", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 90 s");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
