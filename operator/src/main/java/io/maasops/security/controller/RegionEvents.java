package io.maasops.security.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.maasops.security.api.v1alpha1.MaasRegion;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The MaasRegions as an event source of the VaultIntegration or RoleBinding controller, served by
 * {@link SharedRegions} instead of an informer of its own: a region's add, change (if {@code onUpdate}
 * accepts it) or delete wakes the primaries {@code toPrimaries} names; {@code secondaries} answers
 * {@code Context.getSecondaryResources(MaasRegion.class)}.
 */
final class RegionEvents<P extends HasMetadata> extends AbstractEventSource<MaasRegion, P>
        implements ResourceEventHandler<MaasRegion> {

    private final SharedRegions regions;
    private final Function<MaasRegion, Set<ResourceID>> toPrimaries;
    private final OnUpdateFilter<MaasRegion> onUpdate;
    private final Function<P, Set<MaasRegion>> secondaries;
    private final Duration syncTimeout;

    RegionEvents(
            String name,
            SharedRegions regions,
            Duration syncTimeout,
            Function<MaasRegion, Set<ResourceID>> toPrimaries,
            OnUpdateFilter<MaasRegion> onUpdate,
            Function<P, Set<MaasRegion>> secondaries) {
        super(MaasRegion.class, name);
        this.regions = regions;
        this.syncTimeout = syncTimeout;
        this.toPrimaries = toPrimaries;
        this.onUpdate = onUpdate;
        this.secondaries = secondaries;
        regions.subscribe(this);
    }

    /** Returns once the shared informer holds every region, so the first reconcile sees them all. */
    @Override
    public void start() {
        regions.awaitSynced(syncTimeout);
        super.start();
    }

    @Override
    public Set<MaasRegion> getSecondaryResources(P primary) {
        return secondaries.apply(primary);
    }

    @Override
    public Status getStatus() {
        return regions.status();
    }

    @Override
    public void onAdd(MaasRegion r) {
        wake(r);
    }

    @Override
    public void onUpdate(MaasRegion before, MaasRegion now) {
        if (onUpdate.accept(now, before)) {
            wake(now);
        }
    }

    @Override
    public void onDelete(MaasRegion r, boolean finalStateUnknown) {
        wake(r);
    }

    private void wake(MaasRegion r) {
        var handler = getEventHandler();
        if (handler != null) {
            toPrimaries.apply(r).forEach(id -> handler.handleEvent(new Event(id)));
        }
    }
}
