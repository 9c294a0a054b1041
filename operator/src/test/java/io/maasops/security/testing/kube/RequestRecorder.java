package io.maasops.security.testing.kube;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Records which RBAC-relevant access (verb, group, resource, subresource, namespace, name) each
 * client of the API double uses, keyed by the request's User-Agent, so a test can tell the
 * operator's requests from its own. Mapping as the kube-apiserver's request-info resolver does:
 * GET of an object = get, of a collection = list, with watch=true = watch; POST = create; PUT =
 * update; PATCH = patch; DELETE of an object = delete, of a collection = deletecollection.
 */
public final class RequestRecorder {

    /** One recorded request: who (User-Agent) and what. */
    public record Entry(String userAgent, Access access) {}

    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
    private final java.util.Map<Entry, java.util.concurrent.atomic.LongAdder> counts = new ConcurrentHashMap<>();

    void record(RecordedRequest request) {
        String ua = request.getHeader("User-Agent");
        Entry entry = new Entry(ua == null ? "" : ua, toAccess(request.getMethod(), request.getPath()));
        entries.add(entry);
        // counted by kind (no namespace or name), so that the map stays small at 1000 objects
        counts.computeIfAbsent(
                        new Entry(entry.userAgent(), entry.access().kind()),
                        e -> new java.util.concurrent.atomic.LongAdder())
                .increment();
    }

    /** How many requests of each kind (verb, group, resource, subresource) each client made since the last reset. */
    public java.util.Map<Entry, Long> counts() {
        java.util.Map<Entry, Long> out = new java.util.HashMap<>();
        counts.forEach((e, n) -> out.put(e, n.sum()));
        return out;
    }

    public Set<Access> accesses() {
        return entries.stream().map(Entry::access).collect(Collectors.toUnmodifiableSet());
    }

    public Set<Access> accessesBy(String userAgent) {
        return entries.stream()
                .filter(e -> e.userAgent().equals(userAgent))
                .map(Entry::access)
                .collect(Collectors.toUnmodifiableSet());
    }

    public Set<Entry> entries() {
        return Set.copyOf(entries);
    }

    public void reset() {
        entries.clear();
        counts.clear();
    }

    /** Maps an HTTP method and request path (with query) to the access the API server would authorize. */
    public static Access toAccess(String method, String pathAndQuery) {
        String m = method.toUpperCase(java.util.Locale.ROOT);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] segs = Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toArray(String[]::new);
        String group;
        int rest;
        if (segs.length >= 2 && segs[0].equals("api")) { // /api/v1/...
            group = "";
            rest = 2;
        } else if (segs.length >= 3 && segs[0].equals("apis")) { // /apis/{group}/{version}/...
            group = segs[1];
            rest = 3;
        } else {
            return Access.nonResource(nonResourceVerb(m), path.isEmpty() ? "/" : path);
        }
        if (segs.length == rest) { // /api/v1, /apis/g/v: discovery
            return Access.nonResource(nonResourceVerb(m), path);
        }
        String namespace = null;
        // /namespaces/{ns}/{resource}... is namespaced; /namespaces and /namespaces/{name}[/{sub}] are the Namespace
        // objects
        boolean namespaceSubresource =
                segs.length == rest + 3 && (segs[rest + 2].equals("status") || segs[rest + 2].equals("finalize"));
        if (segs[rest].equals("namespaces") && segs.length >= rest + 3 && !namespaceSubresource) {
            namespace = segs[rest + 1];
            rest += 2;
        }
        String resource = segs[rest];
        String name = segs.length > rest + 1 ? segs[rest + 1] : null;
        String sub = segs.length > rest + 2 ? String.join("/", Arrays.copyOfRange(segs, rest + 2, segs.length)) : null;
        String verb = verb(m, name != null, isWatch(query));
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            name = exactName(query); // RequestInfoFactory: a list/watch of one name is authorized with that name
        }
        return Access.resource(verb, group, resource, sub, namespace, name);
    }

    /** X of a fieldSelector that requires exactly metadata.name=X, else null. */
    private static String exactName(String query) {
        for (String p : query.split("&")) {
            if (p.startsWith("fieldSelector=")) {
                String selector = URLDecoder.decode(p.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
                for (String requirement : selector.split(",")) {
                    String r = requirement.trim();
                    for (String op : new String[] {"==", "="}) {
                        if (r.startsWith("metadata.name" + op)) {
                            String value = r.substring(("metadata.name" + op).length());
                            return value.isEmpty() || value.contains("/") ? null : value;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static boolean isWatch(String query) {
        for (String p : query.split("&")) {
            if (p.equals("watch=true") || p.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String nonResourceVerb(String method) {
        return switch (method) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "post";
            case "PUT" -> "put";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
