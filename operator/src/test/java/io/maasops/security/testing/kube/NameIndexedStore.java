package io.maasops.security.testing.kube;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CRUD mock's object store (the same synchronised LinkedHashMap it creates) plus an index by
 * object name. The mock answers a GET or PATCH of one named object by testing every stored object
 * against the path's attributes: with 1000 regions and their events that scan was a third of the
 * benchmark JVM's CPU, all of it under the mock's write lock. Looking candidates up by name first
 * and then applying the very same {@link AttributeSet#matches} keeps the answers identical.
 */
final class NameIndexedStore extends AbstractMap<AttributeSet, String> {

    static final String NAME = "name";

    private final Map<AttributeSet, String> objects = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<Attribute, Set<AttributeSet>> byName = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

    /** Told of every stored and removed object (JSON as stored; null when removed), under the store's lock: keep it cheap. */
    interface StoreListener {
        void changed(AttributeSet key, String json);

        /** The same, with the object's previous JSON (null when it is new). */
        default void changed(AttributeSet key, String previous, String json) {
            changed(key, json);
        }
    }

    void addListener(StoreListener listener) {
        listeners.add(listener);
    }

    void removeListener(StoreListener listener) {
        listeners.remove(listener);
    }

    /** Stored attribute sets whose name attribute equals {@code name} (a live view; may be empty). */
    Set<AttributeSet> named(Attribute name) {
        return byName.getOrDefault(name, Set.of());
    }

    @Override
    public String put(AttributeSet key, String value) {
        synchronized (objects) {
            Attribute name = key.getAttribute(NAME);
            if (name != null) {
                byName.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key);
            }
            String previous = objects.put(key, value);
            listeners.forEach(l -> l.changed(key, previous, value));
            return previous;
        }
    }

    @Override
    public String remove(Object key) {
        synchronized (objects) {
            if (key instanceof AttributeSet set) {
                Attribute name = set.getAttribute(NAME);
                if (name != null) {
                    Set<AttributeSet> sets = byName.get(name);
                    if (sets != null) {
                        sets.remove(set);
                    }
                }
            }
            String removed = objects.remove(key);
            if (removed != null && key instanceof AttributeSet set) {
                listeners.forEach(l -> l.changed(set, removed, null));
            }
            return removed;
        }
    }

    @Override
    public void clear() {
        synchronized (objects) {
            byName.clear();
            objects.clear();
        }
    }

    @Override
    public String get(Object key) {
        return objects.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return objects.containsKey(key);
    }

    @Override
    public int size() {
        return objects.size();
    }

    /** The store's own (synchronised) view: the mock copies it with toArray, as before. */
    @Override
    public Set<Entry<AttributeSet, String>> entrySet() {
        return objects.entrySet();
    }
}
