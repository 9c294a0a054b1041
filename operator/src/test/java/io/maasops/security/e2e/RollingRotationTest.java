package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.RegionHostDouble.TimedCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19 item 11: regions of one VaultIntegration restart for a secret-id rotation one after another (at most
 * spec.rotation.maxUnavailable at a time), each only after the previous one serves again; one that does not come
 * back stops the roll; the confirm step fails when a restarted Vault consumer does not run.
 */
class RollingRotationTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final String RESTART_SNAP = "snap restart maas";

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    MaasRegion region(String name) {
        return k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(name)
                .get();
    }

    Optional<Condition> condition(String name, String type) {
        var r = region(name);
        return r == null || r.getStatus() == null
                ? Optional.empty()
                : Conditions.find(r.getStatus().getConditions(), type);
    }

    String reason(String name) {
        return condition(name, "SecretIdRotation").map(Condition::getReason).orElse("");
    }

    String message(String name) {
        return condition(name, "SecretIdRotation").map(Condition::getMessage).orElse("");
    }

    String key(String name) {
        return ns() + "/" + name;
    }

    /** The testbed's regions of one integration "maas" (rotation period {@code period}), all Ready. */
    Map<String, String> provision(int regions, MaasPackaging installation, String period) {
        testbed = MaasTestbed.start(regions, installation);
        testbed.applySecrets(k8s(), ns());
        VaultIntegration vi = testbed.integration("maas", ns());
        vi.getSpec().getRotation().setSecretIdRotationPeriod(period);
        k8s().resource(vi).inNamespace(ns()).create();
        for (RegionHostDouble h : testbed.hosts()) { // "provisioned together"
            k8s().resource(testbed.region(h.hostname(), "maas"))
                    .inNamespace(ns())
                    .create();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (RegionHostDouble h : testbed.hosts()) {
                assertThat(condition(h.hostname(), Conditions.READY))
                        .get()
                        .extracting(Condition::getStatus)
                        .as(h.hostname() + " Ready")
                        .isEqualTo("True");
            }
        });
        Map<String, String> accessors = new HashMap<>();
        for (RegionHostDouble h : testbed.hosts()) {
            accessors.put(
                    h.hostname(), region(h.hostname()).getStatus().getAppRole().getSecretIdAccessor());
        }
        return accessors;
    }

    void requestRotation(String name, String value) {
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "\":\"" + value
                                + "\"}}}");
    }

    void awaitRotated(Map<String, String> before) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (RegionHostDouble h : testbed.hosts()) {
                var appRole = region(h.hostname()).getStatus().getAppRole();
                assertThat(appRole.getSecretIdAccessor()).as(h.hostname()).isNotEqualTo(before.get(h.hostname()));
                assertThat(reason(h.hostname())).as(h.hostname()).isEqualTo("Rotated");
                assertThat(appRole.getRestartingSince()).as(h.hostname()).isNull();
            }
        });
    }

    static List<TimedCommand> commands(RegionHostDouble h, String prefix) {
        return h.timedCommands().stream()
                .filter(c -> c.line().startsWith(prefix))
                .toList();
    }

    @Test
    void threeRegionsWithOneRotationPeriodRestartStrictlyOneAfterAnother() {
        Map<String, String> before = provision(3, MaasPackaging.SNAP, "1h");
        // every restart is held until the test has looked at the others, so that overlapping restarts cannot hide
        List<String> held = new CopyOnWriteArrayList<>();
        Semaphore go = new Semaphore(0);
        for (RegionHostDouble h : testbed.hosts()) {
            h.beforeCommand(RESTART_SNAP, () -> {
                held.add(h.hostname());
                try {
                    go.tryAcquire(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        OPERATOR.clock().advance(Duration.ofMinutes(61)); // past the period of all three, whatever their offsets
        try {
            OPERATOR.nudge(VaultIntegration.class, "maas");
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i + 1;
                await().atMost(Duration.ofSeconds(30)).until(() -> held.size() >= n);
                String restarting = held.get(i);
                order.add(restarting);
                // while one restarts, every region not yet rotated waits for it, and none restarts
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (RegionHostDouble h : testbed.hosts()) {
                        if (!order.contains(h.hostname())) {
                            assertThat(reason(h.hostname())).as(h.hostname()).isEqualTo("WaitingForRollingRestart");
                            assertThat(message(h.hostname())).as(h.hostname()).contains(key(restarting));
                        }
                    }
                });
                assertThat(held)
                        .as("restarts begun while " + restarting + " restarts")
                        .hasSize(n);
                go.release();
            }
            awaitRotated(before);
            assertThat(order).containsExactlyInAnyOrderElementsOf(before.keySet());
            for (RegionHostDouble h : testbed.hosts()) {
                assertThat(commands(h, RESTART_SNAP))
                        .as(h.hostname() + " restarts")
                        .hasSize(1);
            }
            // each restart began only after the previous region served again: its snap service ran, MAAS's CLI
            // answered after its restart had ended, and the MAAS API answered
            for (int i = 0; i + 1 < order.size(); i++) {
                RegionHostDouble prev = testbed.host(order.get(i));
                TimedCommand prevRestart = commands(prev, RESTART_SNAP).get(0);
                TimedCommand nextRestart =
                        commands(testbed.host(order.get(i + 1)), RESTART_SNAP).get(0);
                assertThat(nextRestart.startNanos()).isGreaterThan(prevRestart.endNanos());
                for (String check : List.of("snap services maas", "maas config-vault status")) {
                    assertThat(commands(prev, check))
                            .as(check + " on " + prev.hostname() + " between its restart and the next region's")
                            .anyMatch(c -> c.exit() == 0
                                    && c.startNanos() > prevRestart.endNanos()
                                    && c.endNanos() < nextRestart.startNanos());
                }
            }
            assertThat(testbed.api().requestLog())
                    .filteredOn(r -> "whoami".equals(r.op()) && r.status() == 200)
                    .as("the MAAS API answered after each restart")
                    .hasSizeGreaterThanOrEqualTo(3);
        } finally {
            go.release(10);
            testbed.hosts().forEach(h -> h.clearBeforeCommand(RESTART_SNAP));
            OPERATOR.clock().advance(Duration.ofMinutes(-61));
        }
    }

    @Test
    void aRegionThatDoesNotComeBackStopsTheRollUntilItRecovers() {
        Map<String, String> before = provision(3, MaasPackaging.DEB, "0s");
        String stuck = "maas-apiserver";
        // the first region to restart gets an apiserver that fails at every start
        AtomicReference<String> first = new AtomicReference<>();
        for (RegionHostDouble h : testbed.hosts()) {
            h.beforeCommand("systemctl restart", () -> {
                if (first.compareAndSet(null, h.hostname())) {
                    h.services().failStartsOf(stuck, "ModuleNotFoundError: No module named 'broken'");
                }
            });
        }
        for (RegionHostDouble h : testbed.hosts()) {
            requestRotation(h.hostname(), "1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> first.get() != null);
        String down = first.get();
        RegionHostDouble downHost = testbed.host(down);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(reason(down)).isEqualTo("RegionDidNotComeBack");
            assertThat(message(down)).contains(stuck + " (failed)").contains("waits for it");
            for (RegionHostDouble h : testbed.hosts()) {
                if (!h.hostname().equals(down)) {
                    assertThat(reason(h.hostname())).as(h.hostname()).isEqualTo("WaitingForRollingRestart");
                    assertThat(message(h.hostname())).as(h.hostname()).contains(key(down));
                }
            }
        });
        // the roll stays stopped: for seconds of reconciles (the tests' retry floor is 300 ms) no other region
        // restarts; the stuck one retries its own rotation (a new secret-id and restart may bring it back)
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(8))
                .until(() -> testbed.hosts().stream()
                                .filter(h -> !h.hostname().equals(down))
                                .mapToInt(h -> commands(h, "systemctl restart").size())
                                .sum()
                        == 0);
        // the old secret-id of the stuck region was not destroyed (its confirm failed)
        assertThat(testbed.vault().secretIdAccessors("approle", "maas_" + ns() + "_" + down))
                .contains(before.get(down));

        // an administrator repairs it: it serves again, and the roll goes on (the stuck region retries its rotation)
        downHost.services().clearFailingStart(stuck);
        downHost.services().restartByHand(List.of(stuck));
        awaitRotated(before); // the tests' retry cap is 2 s
        for (RegionHostDouble h : testbed.hosts()) {
            assertThat(h.services().allRunningWithCurrentSecretId())
                    .as(h.hostname())
                    .isTrue();
        }
    }

    @Test
    void confirmFailsWhenARestartedVaultConsumerDoesNotRun() {
        Map<String, String> before = provision(1, MaasPackaging.DEB, "0s");
        RegionHostDouble h = testbed.hosts().get(0);
        String name = h.hostname();
        // before migration `maas config-vault status` succeeds whatever the new secret-id: only the service
        // manager can tell that a restarted consumer did not start
        h.services().failStartsOf("maas-temporal-worker", "hvac.exceptions.InvalidRequest: invalid secret id");
        requestRotation(name, "1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(region(name).getStatus().getAppRole().getRotationRequest())
                    .isEqualTo("1");
            assertThat(message(name)).contains("maas-temporal-worker (failed)");
            assertThat(reason(name)).isIn("RotationFailed", "RegionDidNotComeBack");
        });
        assertThat(region(name).getStatus().getAppRole().getSecretIdAccessor()).isEqualTo(before.get(name));
        assertThat(testbed.vault().secretIdAccessors("approle", "maas_" + ns() + "_" + name))
                .contains(before.get(name));
        assertThat(condition(name, "VaultConfigured"))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
    }
}
