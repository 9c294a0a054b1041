package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.RegionHostDouble.TimedCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The rolling rotation across an operator restart: the new process starts with an empty in-memory gate, and must
 * learn from the regions' statuses (status.appRole.restartingSince, read from its informer cache) that one of them
 * restarted and has not served again, so that no second region restarts meanwhile.
 */
class RollingRotationReliabilityTest extends ReliabilityTestBase {

    static final String RESTART = "snap restart maas";
    static final String STATUS = "maas config-vault status";

    @Override
    int regions() {
        return 3;
    }

    void requestRotation(String name, String value) {
        k8s().resources(MaasRegion.class)
                .inNamespace(ns)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "\":\"" + value
                                + "\"}}}");
    }

    Condition rotation(String name) {
        MaasRegion r = region(name);
        return r == null || r.getStatus() == null
                ? new Condition()
                : Conditions.find(r.getStatus().getConditions(), "SecretIdRotation")
                        .orElse(new Condition());
    }

    static List<TimedCommand> restarts(RegionHostDouble h) {
        return h.timedCommands().stream()
                .filter(c -> c.line().startsWith(RESTART))
                .toList();
    }

    @Test
    void operatorRestartMidRollNeverRestartsTwoRegionsAtOnce() {
        applyAll();
        awaitAllReady();
        Map<String, String> before = new HashMap<>();
        for (RegionHostDouble h : testbed.hosts()) {
            before.put(
                    h.hostname(), region(h.hostname()).getStatus().getAppRole().getSecretIdAccessor());
        }
        // the first region to restart does not come back: MAAS's CLI fails on it from its restart on
        AtomicReference<String> first = new AtomicReference<>();
        for (RegionHostDouble h : testbed.hosts()) {
            h.beforeCommand(RESTART, () -> {
                if (first.compareAndSet(null, h.hostname())) {
                    h.failCommand(STATUS, "CommandError: could not connect to the database\n");
                }
            });
        }
        for (RegionHostDouble h : testbed.hosts()) {
            requestRotation(h.hostname(), "1");
        }
        await().atMost(FAULT_POINT).until(() -> first.get() != null);
        String down = first.get();
        List<String> others = new ArrayList<>();
        testbed.hosts().stream()
                .map(RegionHostDouble::hostname)
                .filter(n -> !n.equals(down))
                .forEach(others::add);
        await().atMost(FAULT_POINT).untilAsserted(() -> {
            assertThat(region(down).getStatus().getAppRole().getRestartingSince())
                    .isNotNull();
            for (String o : others) {
                assertThat(rotation(o).getReason()).as(o).isEqualTo("WaitingForRollingRestart");
            }
        });

        operator.stop();
        operator.start(); // a new process: its gate is empty; only the statuses remember
        for (String o : others) {
            nudge(MaasRegion.class, o);
        }
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(15))
                .until(() -> others.stream()
                        .allMatch(o -> restarts(testbed.host(o)).isEmpty()
                                && "WaitingForRollingRestart".equals(rotation(o).getReason())
                                && rotation(o).getMessage().contains(ns + "/" + down)));
        assertThat(rotation(down).getReason()).isIn("RegionDidNotComeBack", "RotationFailed");

        // it serves again: the roll goes on, one region at a time
        testbed.host(down).stopFailing(STATUS);
        await().atMost(CONVERGE).untilAsserted(() -> {
            for (RegionHostDouble h : testbed.hosts()) {
                var a = region(h.hostname()).getStatus().getAppRole();
                assertThat(a.getSecretIdAccessor()).as(h.hostname()).isNotEqualTo(before.get(h.hostname()));
                assertThat(a.getRestartingSince()).as(h.hostname()).isNull();
                assertThat(rotation(h.hostname()).getReason()).as(h.hostname()).isEqualTo("Rotated");
            }
        });
        for (String o : others) {
            assertThat(restarts(testbed.host(o))).as(o + " restarts").hasSize(1);
        }
        // no two restarts overlapped
        List<TimedCommand> all = new ArrayList<>();
        testbed.hosts().forEach(h -> all.addAll(restarts(h)));
        all.sort(Comparator.comparingLong(TimedCommand::startNanos));
        for (int i = 0; i + 1 < all.size(); i++) {
            assertThat(all.get(i + 1).startNanos()).isGreaterThan(all.get(i).endNanos());
        }
        Invariants.vaultMatchesRegions(ns, testbed);
        Invariants.noSecretLeaked(k8s(), ns, testbed, output.text());
    }
}
