package io.maasops.security.testing.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maasops.security.regionhost.MaasPackaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The region double's {@code pgrep -f} against procps's on this machine: a running {@code config-vault migrate} is
 * found; the operator's pattern {@code [c]onfig-vault migrate} does not find the shell that carries it; the naive
 * pattern does (pgrep leaves out only itself).
 */
class PgrepAgainstRealTest {

    static final String PATTERN = "[c]onfig-vault migrate";

    SimulatedMaasDeployment deployment;
    RegionHostDouble host;
    CountDownLatch hold;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(real(List.of("pgrep", "-V")) == 0, "needs procps pgrep");
        assumeTrue(real(List.of("pgrep", "-f", PATTERN)) == 1, "no config-vault migrate may run on this machine");
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("region-p", MaasPackaging.SNAP, null);
    }

    @AfterEach
    void tearDown() {
        if (hold != null) {
            hold.countDown();
        }
        if (deployment != null) {
            deployment.close();
        }
    }

    static int real(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    int dbl(String line) {
        return host.execute(line, "root", new ByteArrayInputStream(new byte[0]), new CountDownLatch(1))
                .exit();
    }

    @Test
    void nothingRunsTheOperatorsPatternDoesNotFindItsOwnShellTheNaiveOneDoes() throws Exception {
        // "; true" keeps bash from exec'ing pgrep in its place, as a login shell running sudo does
        assertThat(real(List.of("bash", "-c", "pgrep -f '" + PATTERN + "'; exit $?")))
                .isEqualTo(1);
        assertThat(dbl("pgrep -f '" + PATTERN + "'")).isEqualTo(1);
        assertThat(real(List.of("bash", "-c", "pgrep -f 'config-vault migrate' && true")))
                .isZero();
        assertThat(dbl("pgrep -f 'config-vault migrate'")).isZero();
    }

    @Test
    void aRunningMigrateIsFound() throws Exception {
        Process migrate = new ProcessBuilder(
                        "python3", "-c", "import time; time.sleep(20)", "maas", "config-vault", "migrate")
                .start();
        try {
            // start() returns after fork: until the child has exec'd, its command line is still the JVM's
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> java.nio.file.Files.readString(
                                    java.nio.file.Path.of("/proc/" + migrate.pid() + "/cmdline"))
                            .contains("config-vault"));
            assertThat(real(List.of("pgrep", "-f", PATTERN))).isZero();
        } finally {
            migrate.destroy();
            migrate.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(real(List.of("pgrep", "-f", PATTERN))).isEqualTo(1);

        hold = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        deployment.onNextMigrate(
                () -> {
                    started.countDown();
                    try {
                        hold.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                null);
        Thread t = new Thread(() -> dbl("maas config-vault migrate"));
        t.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dbl("pgrep -f '" + PATTERN + "'")).isZero();
        hold.countDown();
        t.join(10_000);
        assertThat(dbl("pgrep -f '" + PATTERN + "'")).isEqualTo(1);
    }
}
