package io.maasops.security.testing.kube;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;

/**
 * The fabric8 CRUD mock with server-side apply filled in (docs/reference/josdk.md §2): it becomes a create or a
 * JSON merge patch, and objects are looked up by name through an index. JSON merge patches follow
 * RFC 7386 as kube-apiserver's do (arrays replaced). This is the storage layer;
 * {@link ApiServerDispatcher} puts what kube-apiserver does in front of it. Limits: no
 * managedFields or field ownership.
 */
public class SsaTolerantCrudDispatcher extends KubernetesCrudDispatcher {

    private final NameIndexedStore store = new NameIndexedStore();
    /**
     * The mock's own lock: an update removes the old entry and puts the new one under its write lock, so a read
     * that does not take the read lock can find neither (a GET answered 404 for an object that exists, which
     * kube-apiserver never does; it failed a test about one run in twenty).
     */
    private final java.util.concurrent.locks.ReadWriteLock mockLock;

    public SsaTolerantCrudDispatcher() {
        useIndexedStore();
        try {
            java.lang.reflect.Field f = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            f.setAccessible(true);
            mockLock = (java.util.concurrent.locks.ReadWriteLock) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's KubernetesCrudDispatcher changed: cannot share its lock", e);
        }
    }

    /** Swaps the mock's store (a protected final field) for the same store with a name index. */
    private void useIndexedStore() {
        try {
            java.lang.reflect.Field f = io.fabric8.mockwebserver.crud.CrudDispatcher.class.getDeclaredField("map");
            f.setAccessible(true);
            f.set(this, store);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's CrudDispatcher changed: cannot index its store", e);
        }
    }

    /** A GET of one named object (not a watch): the index's candidates, then the mock's own matching. */
    @Override
    public MockResponse handleGet(String path) {
        if (!path.contains("watch=true")) {
            AttributeSet query = getKey(path);
            Attribute name = query.getAttribute(NameIndexedStore.NAME);
            if (name != null) {
                Map.Entry<AttributeSet, String> found;
                mockLock.readLock().lock();
                try {
                    found = findNamed(query, name);
                } finally {
                    mockLock.readLock().unlock();
                }
                return found == null
                        ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(found.getValue());
            }
            // a list too (kubectl wait lists with a fieldSelector on the name): without the lock it could miss an
            // object being updated, and `kubectl wait` right after `kubectl apply` said NotFound
            mockLock.readLock().lock();
            try {
                return super.handleGet(path);
            } finally {
                mockLock.readLock().unlock();
            }
        }
        return super.handleGet(path);
    }

    /** What PATCH, PUT and status updates look up; by name through the index when the query names one. */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        Attribute name = attributes.getAttribute(NameIndexedStore.NAME);
        return name == null ? super.findResource(attributes) : findNamed(attributes, name);
    }

    NameIndexedStore store() {
        return store;
    }

    /** The stored object with this name that matches {@code query} by the mock's own rule, or null. */
    private Map.Entry<AttributeSet, String> findNamed(AttributeSet query, Attribute name) {
        for (AttributeSet candidate : store.named(name)) {
            String body = store.get(candidate);
            if (body != null && candidate.matches(query)) {
                return Map.entry(candidate, body);
            }
        }
        return null;
    }

    @Override
    public MockResponse handlePatch(RecordedRequest req) {
        String ct = req.getHeader("Content-Type");
        boolean apply = ct != null && ct.startsWith("application/apply-patch");
        if (ct != null && ct.startsWith("application/merge-patch+json")) {
            return mergePatch(req);
        }
        if (!apply && (ct == null || !ct.startsWith("application/strategic-merge-patch"))) {
            return super.handlePatch(req);
        }
        String json = Serialization.asJson(
                Serialization.unmarshal(req.getBody().readUtf8(), GenericKubernetesResource.class));
        String path = req.getPath().split("\\?")[0];
        boolean status = path.endsWith("/status");
        String obj = status ? path.substring(0, path.length() - 7) : path;
        if (apply && !status && handleGet(obj).code() == 404) {
            return handleCreate(new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.POST,
                    obj.substring(0, obj.lastIndexOf('/')),
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(json.getBytes(UTF_8))));
        }
        return mergePatch(new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.PATCH,
                path,
                Headers.builder()
                        .add("Content-Type", "application/merge-patch+json")
                        .build(),
                new Buffer(json.getBytes(UTF_8))));
    }

    /**
     * A JSON merge patch as kube-apiserver applies it (RFC 7386: an array in the patch replaces the
     * stored array, null removes a key). The fabric8 mock merges arrays element-wise, so a patch
     * setting a list of two to a list of one kept both: it is turned into the equivalent JSON Patch.
     */
    private MockResponse mergePatch(RecordedRequest req) {
        String path = req.getPath().split("\\?")[0];
        boolean status = path.endsWith("/status");
        MockResponse current = handleGet(status ? path.substring(0, path.length() - 7) : path);
        if (current.code() != 200) {
            return current;
        }
        try {
            var mapper = Serialization.jsonMapper();
            com.fasterxml.jackson.databind.JsonNode before =
                    mapper.readTree(current.getBody().readUtf8());
            com.fasterxml.jackson.databind.JsonNode patch =
                    mapper.readTree(req.getBody().readUtf8());
            com.fasterxml.jackson.databind.JsonNode after = merge(before.deepCopy(), patch);
            String ops = mapper.writeValueAsString(io.fabric8.zjsonpatch.JsonDiff.asJson(before, after));
            return super.handlePatch(new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.PATCH,
                    req.getPath(),
                    Headers.builder()
                            .add("Content-Type", "application/json-patch+json")
                            .build(),
                    new Buffer(ops.getBytes(UTF_8))));
        } catch (java.io.IOException e) {
            return new MockResponse()
                    .setResponseCode(400)
                    .setBody(
                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                    + "\"message\":\"the body of the request was in an unknown format\",\"reason\":\"BadRequest\",\"code\":400}");
        }
    }

    /** RFC 7386 MergePatch(target, patch). */
    static com.fasterxml.jackson.databind.JsonNode merge(
            com.fasterxml.jackson.databind.JsonNode target, com.fasterxml.jackson.databind.JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        com.fasterxml.jackson.databind.node.ObjectNode result = target != null && target.isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) target
                : Serialization.jsonMapper().createObjectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }
}
