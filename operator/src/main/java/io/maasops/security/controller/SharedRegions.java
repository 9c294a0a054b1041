package io.maasops.security.controller;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The MaasRegion controller's informer, shared with the VaultIntegration and RoleBinding controllers:
 * one watch and one decoded copy of every region instead of three (docs/reference/josdk.md §5).
 *
 * <p>The MaasRegion controller hands over its primary cache ({@link #fanOut}); the other controllers
 * read regions through {@link #get} and {@link #byIndex} and hear of changes through a
 * {@link RegionEvents} source each. Their sources start only once the regions' informer has listed
 * every region, so no reconcile of theirs sees a partial set (an integration's clean-up or migration
 * must not conclude from a cache still loading). Readers must not modify a region they are given: it
 * is the MaasRegion controller's cached object.
 */
public final class SharedRegions {

    static final String FAN_OUT = "region-fan-out";

    private final List<ResourceEventHandler<MaasRegion>> subscribers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ControllerEventSource<MaasRegion>> synced = new CompletableFuture<>();
    private final Set<String> namespaces;
    private volatile ControllerEventSource<MaasRegion> regions;

    /** @param namespaces where MaasRegions (and their RoleBindings) are watched: the operator's; empty: all */
    public SharedRegions(Set<String> namespaces) {
        this.namespaces = Set.copyOf(namespaces);
    }

    Set<String> namespaces() {
        return namespaces;
    }

    /** A region from the MaasRegion controller's cache; empty before that controller has started. */
    public Optional<MaasRegion> get(ResourceID id) {
        var source = regions;
        return source == null ? Optional.empty() : source.get(id);
    }

    /** The regions under an index of the MaasRegion controller's cache (see {@link EventSources}). */
    List<MaasRegion> byIndex(String index, String key) {
        var source = regions;
        return source == null ? List.of() : source.byIndex(index, key);
    }

    /** The health of the shared informer, reported by each {@link RegionEvents} source. */
    Status status() {
        var source = regions;
        return source == null ? Status.UNKNOWN : source.getStatus();
    }

    void subscribe(ResourceEventHandler<MaasRegion> subscriber) {
        subscribers.add(subscriber);
    }

    /** Blocks until the regions' informer has listed every region, for at most {@code timeout}. */
    void awaitSynced(Duration timeout) {
        try {
            synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperatorException(
                    "the MaasRegion informer shared with this controller did not sync within " + timeout);
        } catch (ExecutionException e) {
            throw new OperatorException("the MaasRegion informer shared with this controller failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorException("interrupted while waiting for the MaasRegion informer", e);
        }
    }

    /**
     * The MaasRegion controller's source that passes its informer's events on to the subscribers.
     * JOSDK starts a controller's own informer, and waits for its list, before any other of its event
     * sources (EventSourceManager.start), so this source's start sees a synced cache.
     */
    AbstractEventSource<MaasRegion, MaasRegion> fanOut(EventSourceContext<MaasRegion> context) {
        if (!(context.getPrimaryCache() instanceof ControllerEventSource<MaasRegion> primary)) {
            throw new IllegalStateException("JOSDK gave no ControllerEventSource as the MaasRegion primary cache");
        }
        return new FanOut(primary);
    }

    private final class FanOut extends AbstractEventSource<MaasRegion, MaasRegion>
            implements ResourceEventHandler<MaasRegion> {
        private final ControllerEventSource<MaasRegion> primary;

        FanOut(ControllerEventSource<MaasRegion> primary) {
            super(MaasRegion.class, FAN_OUT);
            this.primary = primary;
        }

        @Override
        public void start() {
            // one informer per watched namespace (or one cluster-wide); each replays its regions as adds
            // to a handler added after its list, then passes on every later change (fabric8 SharedProcessor)
            for (var informer : primary.informerHealthIndicators().values()) {
                addEventHandler(informer, this);
            }
            regions = primary;
            synced.complete(primary);
            super.start();
        }

        /**
         * JOSDK's per-namespace informer (its package-private {@code InformerWrapper}) has a public
         * {@code addEventHandler} that adds a handler to the fabric8 informer; JOSDK offers no other way to
         * be told of its controller's resources (docs/reference/josdk.md §5).
         */
        private static void addEventHandler(Object informer, ResourceEventHandler<MaasRegion> handler) {
            try {
                var add = informer.getClass().getMethod("addEventHandler", ResourceEventHandler.class);
                add.setAccessible(true);
                add.invoke(informer, handler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new OperatorException(
                        "cannot share the MaasRegion informer of JOSDK's "
                                + informer.getClass().getName(),
                        e);
            }
        }

        @Override
        public void stop() {
            synced.completeExceptionally(new OperatorException("the MaasRegion controller stopped"));
            super.stop();
        }

        @Override
        public Set<MaasRegion> getSecondaryResources(MaasRegion primary) {
            return Set.of();
        }

        @Override
        public void onAdd(MaasRegion r) {
            subscribers.forEach(s -> s.onAdd(r));
        }

        @Override
        public void onUpdate(MaasRegion before, MaasRegion now) {
            subscribers.forEach(s -> s.onUpdate(before, now));
        }

        @Override
        public void onDelete(MaasRegion r, boolean finalStateUnknown) {
            subscribers.forEach(s -> s.onDelete(r, finalStateUnknown));
        }
    }
}
