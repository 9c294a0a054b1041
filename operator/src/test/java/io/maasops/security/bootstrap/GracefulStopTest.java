package io.maasops.security.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.vault.VaultFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OperatorMain} as the pod runs it (a JVM of its own, leader election on, the chart's RBAC)
 * stopped as Kubernetes stops a pod: SIGTERM. It must exit 0 within a few seconds, let a running
 * reconcile finish (within --shutdown-timeout) and release its Lease; and a lost leadership must
 * still end the process (exit 1) without the shutdown deadlocking.
 */
class GracefulStopTest {

    static final String IDENTITY = "operator-pod-0";
    static final String NS = "graceful";
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);

    static KubeApiDouble api;
    static Path operatorKubeconfig;

    @TempDir
    static Path dir;

    Process process;
    Path log;

    @BeforeAll
    static void apiServer() throws IOException {
        api = KubeApiDouble.start();
        operatorKubeconfig = api.writeOperatorKubeconfig(dir.resolve("operator-kubeconfig"));
        api.client()
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        api.client()
                .leases()
                .inNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                .withName(lease())
                .delete();
    }

    @Test
    void sigtermLetsTheRunningReconcileFinishReleasesTheLeaseAndExitsZero() throws Exception {
        KubernetesClient k8s = api.client();
        try (MaasTestbed testbed = MaasTestbed.start(1)) {
            String region = MaasTestbed.hostname(0);
            // the region's AppRole write is answered but its reply held: a reconcile is running when SIGTERM comes
            VaultFaults.Hold hold = testbed.vault()
                    .faults()
                    .holdNextAnswer(
                            "POST", "/v1/auth/approle/role/" + io.maasops.security.contract.Names.roleName(NS, region));
            start("graceful");
            awaitLeading();
            testbed.applySecrets(k8s, NS);
            k8s.resource(testbed.integration("maas", NS)).create();
            k8s.resources(MaasRegion.class)
                    .inNamespace(NS)
                    .resource(testbed.region(region, "maas"))
                    .create();
            assertThat(hold.awaitHeld(Duration.ofSeconds(60)))
                    .as("a region reconcile is under way")
                    .isTrue();

            long sigterm = System.nanoTime();
            process.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(log).contains("shutting down: running reconciles"));
            hold.release(); // the reconcile goes on, inside the grace

            assertThat(process.waitFor(SHUTDOWN_TIMEOUT.plusSeconds(7).toSeconds(), TimeUnit.SECONDS))
                    .as("exited within the shutdown timeout and a few seconds; log:%n%s", tail())
                    .isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
            assertThat(process.exitValue())
                    .as("exit code after SIGTERM; log:%n%s", tail())
                    .isZero();
            assertThat(took).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(7));

            MaasRegion r = k8s.resources(MaasRegion.class)
                    .inNamespace(NS)
                    .withName(region)
                    .get();
            assertThat(r.getStatus())
                    .as("the running reconcile finished and wrote its status; log:%n%s", tail())
                    .isNotNull();
            assertThat(r.getStatus().getAppRole().getRoleId())
                    .as("role-id read after SIGTERM")
                    .isNotNull();
            assertThat(testbed.host(region).regiondConf())
                    .as("region configured after SIGTERM")
                    .containsKey("vault_secret_id");

            Lease l = k8s.leases()
                    .inNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                    .withName(lease())
                    .get();
            assertThat(l.getSpec().getHolderIdentity()).as("Lease released").isNullOrEmpty();
            assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
            assertThat(Files.readString(log)).contains("released Lease").doesNotContain("Exception in thread");
        }
    }

    @Test
    void lostLeadershipStillEndsTheProcessWithoutDeadlock() throws Exception {
        start("lost-leadership");
        awaitLeading();
        // another replica takes the Lease over (as after a long pause of this one)
        String patch = "{\"spec\":{\"holderIdentity\":\"operator-pod-1\",\"leaseDurationSeconds\":3600,\"renewTime\":\""
                + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                        .plusHours(1)
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"))
                + "\"}}";
        api.client()
                .leases()
                .inNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                .withName(lease())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("exited after losing the Lease; log:%n%s", tail())
                .isTrue();
        assertThat(process.exitValue()).as("exit code after a lost leadership").isEqualTo(1);
        assertThat(Files.readString(log)).contains("lost the leadership");
        assertThat(api.client()
                        .leases()
                        .inNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                        .withName(lease())
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .as("the new holder's Lease is left alone")
                .isEqualTo("operator-pod-1");
    }

    private static String lease() {
        return OperatorSettings.defaults().leaseName();
    }

    private void awaitLeading() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(process.isAlive())
                    .as("operator process alive; log:%n%s", tail())
                    .isTrue();
            Lease l = api.client()
                    .leases()
                    .inNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                    .withName(lease())
                    .get();
            assertThat(l).isNotNull();
            assertThat(l.getSpec().getHolderIdentity()).isEqualTo(IDENTITY);
        });
    }

    private void start(String name) throws IOException {
        log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dmaasops.log.level=info",
                "-cp",
                System.getProperty("java.class.path"),
                OperatorMain.class.getName(),
                "--leader-election",
                "--lease-namespace=" + KubeApiDouble.RELEASE_NAMESPACE,
                "--cluster-resource-namespace=" + KubeApiDouble.RELEASE_NAMESPACE,
                "--http-port=0",
                "--reconcile-threads=2",
                "--shutdown-timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
                "--watch-namespaces=" + NS));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", operatorKubeconfig.toString());
        pb.environment().put("HOSTNAME", IDENTITY);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        process = pb.start();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
