package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.Map;

/**
 * Discovery as kube-apiserver serves it (the legacy, unaggregated documents, which kubectl falls
 * back to when its request for the aggregated ones is answered with them): /version, /api,
 * /api/v1, /apis, /apis/GROUP and /apis/GROUP/VERSION, for the built-in resources and every
 * installed CRD with its scope, short names, categories and subresources.
 */
final class Discovery {

    /** What /version reports: the Kubernetes release the double stands in for. */
    static final String GIT_VERSION = "v1.32.0";

    private Discovery() {}

    /** The answer to a GET of {@code path} (no query), or null when it is no discovery path. */
    static MockResponse answer(String path, ApiResources resources) {
        ObjectNode body = Serialization.jsonMapper().createObjectNode();
        Map<String, List<ApiResource>> byGv = resources.byGroupVersion();
        switch (path) {
            case "/version", "/version/" ->
                body.put("major", "1")
                        .put("minor", "32")
                        .put("gitVersion", GIT_VERSION)
                        .put("gitCommit", "0000000000000000000000000000000000000000")
                        .put("gitTreeState", "clean")
                        .put("buildDate", "2024-12-11T00:00:00Z")
                        .put("goVersion", "go1.23.3")
                        .put("compiler", "gc")
                        .put("platform", "linux/amd64");
            case "/api", "/api/" -> {
                body.put("kind", "APIVersions");
                body.putArray("versions").add("v1");
                body.putArray("serverAddressByClientCIDRs")
                        .addObject()
                        .put("clientCIDR", "0.0.0.0/0")
                        .put("serverAddress", "127.0.0.1");
            }
            case "/apis", "/apis/" -> {
                body.put("kind", "APIGroupList").put("apiVersion", "v1");
                ArrayNode groups = body.putArray("groups");
                byGv.keySet().stream()
                        .filter(gv -> gv.contains("/"))
                        .map(gv -> gv.substring(0, gv.indexOf('/')))
                        .distinct()
                        .forEach(g -> group(groups.addObject(), g, byGv));
            }
            default -> {
                String[] parts = path.split("/");
                if (parts.length == 3 && "api".equals(parts[1]) && byGv.containsKey(parts[2])) {
                    resourceList(body, parts[2], byGv.get(parts[2]));
                } else if (parts.length == 3
                        && "apis".equals(parts[1])
                        && byGv.keySet().stream().anyMatch(gv -> gv.startsWith(parts[2] + "/"))) {
                    body.put("kind", "APIGroup").put("apiVersion", "v1");
                    group(body, parts[2], byGv);
                } else if (parts.length == 4
                        && "apis".equals(parts[1])
                        && byGv.containsKey(parts[2] + "/" + parts[3])) {
                    resourceList(body, parts[2] + "/" + parts[3], byGv.get(parts[2] + "/" + parts[3]));
                } else {
                    return null;
                }
            }
        }
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static void group(ObjectNode g, String group, Map<String, List<ApiResource>> byGv) {
        g.put("name", group);
        ArrayNode versions = g.putArray("versions");
        String preferred = null;
        for (String gv : byGv.keySet()) {
            if (gv.startsWith(group + "/")) {
                String v = gv.substring(group.length() + 1);
                versions.addObject().put("groupVersion", gv).put("version", v);
                preferred = preferred == null ? v : preferred;
            }
        }
        g.putObject("preferredVersion")
                .put("groupVersion", group + "/" + preferred)
                .put("version", preferred);
    }

    private static void resourceList(ObjectNode body, String groupVersion, List<ApiResource> resources) {
        body.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode list = body.putArray("resources");
        for (ApiResource r : resources) {
            ObjectNode o = list.addObject()
                    .put("name", r.plural())
                    .put("singularName", r.singular())
                    .put("namespaced", r.namespaced())
                    .put("kind", r.kind());
            r.verbs().forEach(o.putArray("verbs")::add);
            if (!r.shortNames().isEmpty()) {
                r.shortNames().forEach(o.putArray("shortNames")::add);
            }
            if (!r.categories().isEmpty()) {
                r.categories().forEach(o.putArray("categories")::add);
            }
            for (String sub : r.subresourceNames()) {
                ObjectNode s = list.addObject()
                        .put("name", r.plural() + "/" + sub)
                        .put("singularName", "")
                        .put("namespaced", r.namespaced())
                        .put("kind", r.kind());
                List.of("get", "patch", "update").forEach(s.putArray("verbs")::add);
            }
            for (String[] sub : BuiltInKinds.SUBRESOURCES) {
                if (sub[0].equals(r.group()) && sub[1].equals(r.version()) && sub[2].startsWith(r.plural() + "/")) {
                    ObjectNode s = list.addObject()
                            .put("name", sub[2])
                            .put("singularName", "")
                            .put("namespaced", r.namespaced())
                            .put("kind", sub[3]);
                    List.of(sub[4].split(",")).forEach(s.putArray("verbs")::add);
                }
            }
        }
    }
}
