package io.maasops.security.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Event deduplication, against the API double under the chart's RBAC (the operator's identity): a
 * repeated Event is patched (count, lastTimestamp), not created again, as client-go's recorder does.
 */
class EventRecorderTest {

    static KubeApiDouble api;

    @BeforeAll
    static void start() {
        api = KubeApiDouble.start();
        for (String ns : List.of("flap", "gone")) {
            api.createNamespace(ns);
        }
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static MaasRegion region(String ns, String name) {
        var r = new MaasRegion();
        r.getMetadata().setNamespace(ns);
        r.getMetadata().setName(name);
        r.getMetadata().setUid("uid-" + name);
        return r;
    }

    private static List<Event> events(String ns) {
        return api.client().v1().events().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getMessage()))
                .toList();
    }

    @Test
    void aRepeatedEventIsCountedNotCreatedAgain() {
        MutableClock clock = MutableClock.frozenNow(); // the assertion reads the clock after the fact
        var recorder = new EventRecorder(api.operatorClient(), clock, "maas-security-operator-7d9f-abcde");
        var r = region("flap", "r1");
        recorder.warning(r, "VaultUnreachable", "connection refused");
        String first = events("flap").get(0).getLastTimestamp();
        clock.advance(Duration.ofMinutes(1));
        recorder.warning(r, "VaultUnreachable", "connection refused");
        clock.advance(Duration.ofMinutes(1));
        recorder.warning(r, "VaultUnreachable", "connection refused");
        recorder.normal(r, "VaultReachable", "reachable again");

        List<Event> events = events("flap");
        assertThat(events).hasSize(2);
        Event repeated = events.get(0);
        assertThat(repeated.getMessage()).isEqualTo("connection refused");
        assertThat(repeated.getCount()).isEqualTo(3);
        assertThat(repeated.getFirstTimestamp()).isEqualTo(first);
        assertThat(repeated.getLastTimestamp())
                .isEqualTo(clock.instant()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString())
                .isNotEqualTo(first);
        assertThat(repeated.getReportingInstance()).isEqualTo("maas-security-operator-7d9f-abcde");
        assertThat(repeated.getReportingComponent()).isEqualTo(EventRecorder.COMPONENT);
        assertThat(events.get(1).getCount()).isEqualTo(1);
    }

    @Test
    void anEventDeletedMeanwhileIsCreatedAfresh() {
        var recorder = new EventRecorder(api.operatorClient(), MutableClock.startingNow(), "pod-a");
        var r = region("gone", "r2");
        recorder.warning(r, "PolicyMissing", "policy maas-region is missing");
        api.client().v1().events().inNamespace("gone").delete();
        recorder.warning(r, "PolicyMissing", "policy maas-region is missing");
        assertThat(events("gone"))
                .singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }
}
