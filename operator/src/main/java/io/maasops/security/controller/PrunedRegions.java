package io.maasops.security.controller;

import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.maasops.security.api.v1alpha1.MaasRegion;
import java.util.stream.Stream;

/**
 * The other controllers' copies of the MaasRegions, without what they never read: the config-file
 * and certificate status (a third of a region's size; 1000 regions are cached three times). Pruned
 * in place as the informer stores it, before its event handlers see it.
 */
final class PrunedRegions implements ItemStore<MaasRegion> {
    private final BasicItemStore<MaasRegion> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final boolean dropStatus;

    /** @param dropStatus keep no status at all (a RoleBinding reads only the region's spec) */
    PrunedRegions(boolean dropStatus) {
        this.dropStatus = dropStatus;
    }

    @Override
    public MaasRegion put(String key, MaasRegion r) {
        var s = r.getStatus();
        if (dropStatus) {
            r.setStatus(null);
        } else if (s != null) {
            s.setConfigFiles(null);
            s.setCertificate(null);
            s.setCertificates(null);
        }
        r.getMetadata().setManagedFields(null);
        return store.put(key, r);
    }

    @Override
    public String getKey(MaasRegion r) {
        return store.getKey(r);
    }

    @Override
    public MaasRegion remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<MaasRegion> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public MaasRegion get(String key) {
        return store.get(key);
    }
}
