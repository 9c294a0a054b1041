package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch as a streaming HTTP response (what kubectl and client-go use; the mock serves watches
 * only over WebSocket): one JSON event per line, {"type":"ADDED|MODIFIED|DELETED","object":...},
 * for the objects of the watched resource that match its namespace, field selector
 * (metadata.name) and label selector, fed by the store's change listener. With
 * resourceVersion=0 the current objects come first as ADDED; bookmarks (when allowed) every few
 * seconds; the stream ends after timeoutSeconds.
 */
final class WatchStream {

    private static final long BOOKMARK_MILLIS = 5_000;

    private WatchStream() {}

    static boolean isStreamingWatch(String method, String query, String upgrade) {
        return "GET".equals(method)
                && upgrade == null
                && (("&" + query + "&").contains("&watch=true&") || ("&" + query + "&").contains("&watch=1&"));
    }

    /** Writes the whole watch (headers included) to {@code out}; returns when it ends or the client goes away. */
    static void serve(NameIndexedStore store, ApiResource resource, Access access, String query, OutputStream out)
            throws IOException {
        Map<String, String> labels = labelSelector(param(query, "labelSelector"));
        String rv = param(query, "resourceVersion");
        boolean bookmarks = "true".equals(param(query, "allowWatchBookmarks"));
        long timeout = param(query, "timeoutSeconds") == null ? 1800 : Long.parseLong(param(query, "timeoutSeconds"));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Removals removals = new Removals();
        NameIndexedStore.StoreListener listener = new NameIndexedStore.StoreListener() {
            @Override
            public void changed(io.fabric8.mockwebserver.crud.AttributeSet key, String json) {
                // the three-argument form below is the one the store calls
            }

            @Override
            public void changed(io.fabric8.mockwebserver.crud.AttributeSet key, String previous, String json) {
                JsonNode o = parse(json != null ? json : previous);
                if (o == null || !matches(o, resource, access, labels)) {
                    return;
                }
                if (json == null) {
                    removals.hold(o); // an update's first half, or a deletion: known at the put, or when it stays alone
                    return;
                }
                boolean update = previous != null || removals.updatedBy(o, events);
                events.add(event(update ? "MODIFIED" : "ADDED", o));
            }
        };
        store.addListener(listener);
        try {
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                                    + "Cache-Control: no-cache, private\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if ("0".equals(rv)) {
                for (Map.Entry<?, String> e : store.entrySet().toArray(new Map.Entry[0])) {
                    JsonNode o = parse(e.getValue());
                    if (o != null && matches(o, resource, access, labels)) {
                        chunk(out, event("ADDED", o));
                    }
                }
            }
            long end = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(timeout);
            long lastRv = rv == null || rv.isEmpty() ? 0 : parseLong(rv);
            while (System.currentTimeMillis() < end) {
                removals.flushOlderThan(Removals.ALONE_AFTER_MILLIS, events);
                String e = events.poll(
                        Math.min(
                                removals.isEmpty() ? BOOKMARK_MILLIS : Removals.ALONE_AFTER_MILLIS,
                                Math.max(1, end - System.currentTimeMillis())),
                        TimeUnit.MILLISECONDS);
                if (e != null) {
                    chunk(out, e);
                    lastRv = Math.max(
                            lastRv,
                            parseLong(parse(e).path("object")
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText("0")));
                } else if (bookmarks) {
                    ObjectNode b = Serialization.jsonMapper().createObjectNode().put("type", "BOOKMARK");
                    b.putObject("object")
                            .put("kind", resource.kind())
                            .put("apiVersion", resource.groupVersion())
                            .putObject("metadata")
                            .put("resourceVersion", String.valueOf(lastRv));
                    chunk(out, b.toString() + "\n");
                } else {
                    chunk(out, "\n"); // whitespace between events: tells a client that went away
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.removeListener(listener);
        }
    }

    /**
     * The mock stores an update as a removal and then a put of the same object, in one thread under its write
     * lock; kube-apiserver sends one MODIFIED for it. A DELETED and an ADDED instead made {@code kubectl wait}
     * drop the object from its cache and say NotFound (a flake of KubectlSandboxTest). A removal is held until
     * the same thread puts the same object (an update), or another thread does (a deletion, then a creation),
     * or it stays alone for {@link #ALONE_AFTER_MILLIS} (a deletion).
     */
    static final class Removals {
        static final long ALONE_AFTER_MILLIS = 50;

        private record Held(JsonNode object, Thread by, long at) {}

        private final Map<String, Held> held = new java.util.concurrent.ConcurrentHashMap<>();

        void hold(JsonNode o) {
            held.put(id(o), new Held(o, Thread.currentThread(), System.currentTimeMillis()));
        }

        /** True when {@code o}'s put completes an update; a deletion held from another thread is sent first. */
        boolean updatedBy(JsonNode o, BlockingQueue<String> events) {
            Held h = held.remove(id(o));
            if (h == null) {
                return false;
            }
            if (h.by() == Thread.currentThread()) {
                return true;
            }
            events.add(event("DELETED", h.object()));
            return false;
        }

        void flushOlderThan(long millis, BlockingQueue<String> events) {
            long now = System.currentTimeMillis();
            for (Map.Entry<String, Held> e : held.entrySet()) {
                if (now - e.getValue().at() >= millis && held.remove(e.getKey(), e.getValue())) {
                    events.add(event("DELETED", e.getValue().object()));
                }
            }
        }

        boolean isEmpty() {
            return held.isEmpty();
        }

        private static String id(JsonNode o) {
            JsonNode meta = o.path("metadata");
            return o.path("kind").asText() + "/" + meta.path("namespace").asText() + "/"
                    + meta.path("name").asText();
        }
    }

    private static boolean matches(JsonNode o, ApiResource resource, Access access, Map<String, String> labels) {
        if (!resource.groupVersion().equals(o.path("apiVersion").asText())
                || !resource.kind().equals(o.path("kind").asText())) {
            return false;
        }
        JsonNode meta = o.path("metadata");
        if (access.namespace() != null
                && !access.namespace().equals(meta.path("namespace").asText())) {
            return false;
        }
        if (access.name() != null && !access.name().equals(meta.path("name").asText())) {
            return false;
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            JsonNode v = meta.path("labels").path(l.getKey());
            if (l.getValue() == null ? v.isMissingNode() : !l.getValue().equals(v.asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** key=value and key==value requirements, and bare keys (must exist); others are not supported by the double. */
    private static Map<String, String> labelSelector(String selector) {
        Map<String, String> out = new LinkedHashMap<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String r : selector.split(",")) {
            String req = r.trim();
            int eq = req.indexOf('=');
            if (eq < 0) {
                out.put(req, null);
            } else {
                out.put(req.substring(0, eq), req.substring(req.startsWith("=", eq + 1) ? eq + 2 : eq + 1));
            }
        }
        return out;
    }

    private static String event(String type, JsonNode object) {
        ObjectNode e = Serialization.jsonMapper().createObjectNode().put("type", type);
        e.set("object", object);
        return e.toString() + "\n";
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : Serialization.jsonMapper().readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String param(String query, String name) {
        for (String p : query.split("&")) {
            if (p.startsWith(name + "=")) {
                return URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
