package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A controller's view of the shared MaasRegion informer; the informer itself is in {@link WatchedNamespacesTest}. */
class RegionEventsTest {

    final SharedRegions shared = new SharedRegions(Set.of());
    final List<Event> events = new ArrayList<>();

    RegionEvents<VaultIntegration> source() {
        var source = new RegionEvents<VaultIntegration>(
                "regions",
                shared,
                Duration.ofMillis(200),
                r -> Set.of(new ResourceID(r.getMetadata().getName())),
                (now, before) -> !now.getMetadata().getName().equals("quiet"),
                vi -> Set.of());
        source.setEventHandler(events::add);
        return source;
    }

    static MaasRegion region(String name) {
        var r = new MaasRegion();
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace("maas");
        return r;
    }

    @Test
    void itDoesNotStartBeforeTheMaasRegionInformerHasListedEveryRegion() {
        var source = source();
        assertThatThrownBy(source::start)
                .isInstanceOf(OperatorException.class)
                .hasMessageContaining("MaasRegion informer shared with this controller did not sync within");
        assertThat(source.isRunning()).isFalse();
    }

    @Test
    void addsDeletesAndAcceptedUpdatesWakeThePrimariesTheRegionNames() {
        var source = source();
        source.onAdd(region("a"));
        source.onUpdate(region("b"), region("b"));
        source.onUpdate(region("quiet"), region("quiet"));
        source.onDelete(region("c"), false);
        assertThat(events)
                .extracting(e -> e.getRelatedCustomResourceID().getName())
                .containsExactly("a", "b", "c");
    }

    @Test
    void beforeTheMaasRegionControllerStartedNoRegionIsKnown() {
        assertThat(shared.get(new ResourceID("a", "maas"))).isEmpty();
        assertThat(shared.byIndex(EventSources.BY_INTEGRATION, "vault")).isEmpty();
    }
}
