package io.maasops.security.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-resource gauges: created on first use, updated in place, and removed from the registry
 * with their resource ({@link #removeAll}), so a deleted resource leaves no series behind.
 */
public final class ResourceSeries {

    private record Key(String metric, Tags extra) {}

    /** A gauge's current value; the registered Gauge reads it at each scrape. */
    private static final class Value {
        private volatile double value;
    }

    private record Entry(Value value, Gauge gauge) {}

    private final MeterRegistry registry;
    /**
     * By resource first: a status write touches only its own resource's series, so it must not scan
     * every resource's (at 1000 regions a scan per write took a third of the operator's CPU).
     */
    private final Map<ResourceKey, Map<Key, Entry>> series = new java.util.HashMap<>();

    ResourceSeries(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets one series (metric, the resource's labels, {@code extra} labels), registering it if new. */
    public synchronized void set(
            String metric, String description, String baseUnit, ResourceKey resource, Tags extra, double value) {
        Key key = new Key(metric, extra);
        Map<Key, Entry> own = series.computeIfAbsent(resource, r -> new java.util.HashMap<>());
        Entry e = own.get(key);
        if (e == null) {
            Value holder = new Value();
            Gauge gauge = Gauge.builder(metric, holder, v -> v.value)
                    .description(description)
                    .baseUnit(baseUnit)
                    .tags(resource.tags())
                    .tags(extra)
                    .strongReference(true)
                    .register(registry);
            e = new Entry(holder, gauge);
            own.put(key, e);
        }
        e.value().value = value;
    }

    /**
     * Sets the one series of {@code metric} for this resource whose {@code group} labels match, removing the
     * others of that group first: a state gauge whose labels carry the state (e.g. a condition's status).
     */
    public synchronized void setExclusive(
            String metric, String description, ResourceKey resource, Tags group, Tags state, double value) {
        Tags full = group.and(state);
        remove(metric, resource, t -> containsAll(t, group) && !t.equals(full));
        set(metric, description, null, resource, full, value);
    }

    /** Removes the series of {@code metric} for this resource whose extra labels match. */
    public synchronized void remove(String metric, ResourceKey resource, Predicate<Tags> extra) {
        removeIf(resource, k -> k.metric().equals(metric) && extra.test(k.extra()));
    }

    /** Removes every series of the resource, of every metric. */
    public synchronized void removeAll(ResourceKey resource) {
        removeIf(resource, k -> true);
    }

    synchronized int size() {
        return series.values().stream().mapToInt(Map::size).sum();
    }

    private void removeIf(ResourceKey resource, Predicate<Key> which) {
        Map<Key, Entry> own = series.get(resource);
        if (own == null) {
            return;
        }
        for (Iterator<Map.Entry<Key, Entry>> it = own.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            if (which.test(e.getKey())) {
                registry.remove(e.getValue().gauge());
                it.remove();
            }
        }
        if (own.isEmpty()) {
            series.remove(resource);
        }
    }

    static boolean containsAll(Tags tags, Tags subset) {
        for (var t : subset) {
            if (tags.stream().noneMatch(t::equals)) {
                return false;
            }
        }
        return true;
    }
}
