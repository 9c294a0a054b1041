package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every resource type the double serves: the built-in ones and those of the installed CRDs (read
 * from the store, re-read when a CRD changes).
 */
final class ApiResources {

    private final Function<String, MockResponse> get;
    private volatile List<ApiResource> cached;

    /** @param get reads a path from the store (the CRD list) */
    ApiResources(Function<String, MockResponse> get) {
        this.get = get;
    }

    /**
     * For {@link NameIndexedStore.StoreListener}: drops the cache when a CRD was stored or removed. Only
     * then: every update of any object is a removal and a put in the mock's store, and re-reading the CRD
     * list on each made every request cost a scan of the whole store (1000 regions: half the doubles' CPU).
     */
    void changed(String previous, String json) {
        if (isCrd(previous) || isCrd(json)) {
            cached = null;
        }
    }

    private static boolean isCrd(String json) {
        return json != null && json.contains("\"CustomResourceDefinition\"");
    }

    List<ApiResource> all() {
        List<ApiResource> c = cached;
        if (c == null) {
            c = new ArrayList<>(BuiltInKinds.ALL);
            for (JsonNode crd : crds()) {
                c.addAll(ApiResource.fromCrd(crd));
            }
            c = List.copyOf(c);
            cached = c;
        }
        return c;
    }

    List<ApiResource> custom() {
        return all().stream().filter(ApiResource::custom).toList();
    }

    Optional<ApiResource> find(String group, String version, String plural) {
        return all().stream()
                .filter(r -> r.group().equals(group)
                        && r.version().equals(version)
                        && r.plural().equals(plural))
                .findFirst();
    }

    Optional<ApiResource> byKind(String apiVersion, String kind) {
        return all().stream()
                .filter(r -> r.groupVersion().equals(apiVersion) && r.kind().equals(kind))
                .findFirst();
    }

    /** Group-versions in discovery order: core first, then built-in groups, then CRD groups. */
    Map<String, List<ApiResource>> byGroupVersion() {
        Map<String, List<ApiResource>> out = new LinkedHashMap<>();
        for (ApiResource r : all()) {
            out.computeIfAbsent(r.groupVersion(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private Iterable<JsonNode> crds() {
        MockResponse list = get.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        try {
            return Serialization.jsonMapper()
                    .readTree(list.getBody().readUtf8())
                    .path("items");
        } catch (Exception e) {
            return List.of();
        }
    }
}
