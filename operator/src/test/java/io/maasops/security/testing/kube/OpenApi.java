package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI documents kube-apiserver serves, for the double's resources: v3 (/openapi/v3, an
 * index of group-versions, and /openapi/v3/api/v1, /openapi/v3/apis/GROUP/VERSION) and v2
 * (/openapi/v2, JSON). kubectl uses them to tell whether the server validates fields itself
 * (the fieldValidation parameter of each PATCH), for `kubectl explain` and for strategic merge
 * patches. Custom resources' schemas are their CRDs' (with descriptions); built-in kinds' are
 * derived from the fabric8 model ({@link ModelSchemas}).
 */
final class OpenApi {

    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String API_VERSION_DESCRIPTION =
            "APIVersion defines the versioned schema of this representation of an object. "
                    + "Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. "
                    + "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    private static final String KIND_DESCRIPTION =
            "Kind is a string value representing the REST resource this object represents. "
                    + "Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. "
                    + "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    private static final String METADATA_DESCRIPTION = "Standard object's metadata. "
            + "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private final ApiResources resources;
    private final Map<String, ObjectNode> v3Cache = new ConcurrentHashMap<>();
    private volatile List<ApiResource> cachedFor;

    OpenApi(ApiResources resources) {
        this.resources = resources;
    }

    /** The answer to a GET of an /openapi path, or null for another path. */
    MockResponse answer(String path, String accept) {
        if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
            ObjectNode index = Serialization.jsonMapper().createObjectNode();
            ObjectNode paths = index.putObject("paths");
            for (String gvPath : groupVersionPaths()) {
                paths.putObject(gvPath).put("serverRelativeURL", "/openapi/v3/" + gvPath + "?hash=" + hash(v3(gvPath)));
            }
            return json(index);
        }
        if (path.startsWith("/openapi/v3/")) {
            String gvPath = path.substring("/openapi/v3/".length());
            return groupVersionPaths().contains(gvPath) ? json(v3(gvPath)) : null;
        }
        if (path.equals("/openapi/v2")) {
            if (accept != null
                    && (accept.startsWith(OpenApiV2Proto.REQUESTED_TYPE)
                            || accept.startsWith(OpenApiV2Proto.MEDIA_TYPE))) {
                // what client-go's discovery asks for (and all it accepts)
                return new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", OpenApiV2Proto.MEDIA_TYPE)
                        .setBody(OpenApiV2Proto.encode(v2()));
            }
            if (accept != null && !accept.contains("json") && !accept.contains("*/*")) {
                return ApiStatus.failureResponse(
                        406,
                        "NotAcceptable",
                        "only the following media types are accepted: application/json, " + OpenApiV2Proto.MEDIA_TYPE);
            }
            return json(v2());
        }
        return null;
    }

    private List<String> groupVersionPaths() {
        return resources.byGroupVersion().values().stream()
                .map(l -> l.get(0).openApiPath())
                .toList();
    }

    private static MockResponse json(JsonNode body) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private ObjectNode v3(String gvPath) {
        List<ApiResource> all = resources.all();
        if (cachedFor != all) {
            v3Cache.clear();
            cachedFor = all;
        }
        return v3Cache.computeIfAbsent(
                gvPath,
                p -> buildV3(all.stream().filter(r -> r.openApiPath().equals(p)).toList()));
    }

    /** The component schemas of a group-version's kinds, and everything they refer to. */
    static Map<String, JsonNode> schemas(List<ApiResource> kinds) {
        Map<String, JsonNode> schemas = new TreeMap<>();
        ModelSchemas.add(ObjectMeta.class, schemas);
        ModelSchemas.add(ListMeta.class, schemas);
        schemas.put(
                META + "Patch",
                Serialization.jsonMapper()
                        .createObjectNode()
                        .put(
                                "description",
                                "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.")
                        .put("type", "object"));
        for (ApiResource r : kinds) {
            if (r.custom()) {
                schemas.put(schemaName(r), crdSchema(r));
            } else if (r.model() != null) {
                ObjectNode s = (ObjectNode) schemas.get(ModelSchemas.add(r.model(), schemas));
                gvk(s, r.group(), r.version(), r.kind());
                describeStandardFields(s);
            }
            if (r.model() != null || r.custom()) {
                schemas.put(schemaName(r) + "List", listSchema(r));
            }
        }
        return schemas;
    }

    private static ObjectNode buildV3(List<ApiResource> kinds) {
        ObjectNode doc = Serialization.jsonMapper().createObjectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        for (ApiResource r : kinds) {
            if (r.model() == null && !r.custom()) {
                continue; // reviews: create only, not described here
            }
            String base = "/" + r.openApiPath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
            String ref = "#/components/schemas/" + schemaName(r);
            ObjectNode collection = paths.putObject(base);
            collection.set("get", operation(r, "list", "list", ref + "List", false, false));
            collection.set("post", operation(r, "post", "create", ref, true, false));
            pathParameters(collection, r.namespaced(), false);
            ObjectNode item = paths.putObject(base + "/{name}");
            item.set("get", operation(r, "get", "read", ref, false, false));
            item.set("put", operation(r, "put", "replace", ref, true, false));
            item.set("patch", operation(r, "patch", "patch", ref, true, true));
            item.set("delete", operation(r, "delete", "delete", ref, false, false));
            pathParameters(item, r.namespaced(), true);
            for (String sub : r.subresourceNames()) {
                ObjectNode s = paths.putObject(base + "/{name}/" + sub);
                s.set("get", operation(r, "get", "read" + capital(sub), ref, false, false));
                s.set("put", operation(r, "put", "replace" + capital(sub), ref, true, false));
                s.set("patch", operation(r, "patch", "patch" + capital(sub), ref, true, true));
                pathParameters(s, r.namespaced(), true);
            }
        }
        ObjectNode components = doc.putObject("components").putObject("schemas");
        schemas(kinds).forEach(components::set);
        return doc;
    }

    private static ObjectNode operation(
            ApiResource r, String action, String verb, String ref, boolean write, boolean patch) {
        ObjectNode op = Serialization.jsonMapper().createObjectNode();
        op.putArray("tags").add(r.group().isEmpty() ? "core_" + r.version() : r.group() + "_" + r.version());
        op.put(
                "operationId",
                verb
                        + capital(r.group().isEmpty() ? "core" : r.group().split("\\.")[0])
                        + capital(r.version())
                        + (r.namespaced() ? "Namespaced" : "")
                        + r.kind()
                        + ("list".equals(action) ? "" : ""));
        op.put("x-kubernetes-action", action);
        ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
        gvk.put("group", r.group()).put("version", r.version()).put("kind", r.kind());
        ArrayNode params = op.putArray("parameters");
        if (write) {
            for (String q : List.of("dryRun", "fieldManager", "fieldValidation")) {
                params.addObject()
                        .put("name", q)
                        .put("in", "query")
                        .put("description", q)
                        .putObject("schema")
                        .put("type", "string")
                        .put("uniqueItems", true);
            }
            if (patch) {
                params.addObject()
                        .put("name", "force")
                        .put("in", "query")
                        .put("description", "force")
                        .putObject("schema")
                        .put("type", "boolean")
                        .put("uniqueItems", true);
            }
            ObjectNode content = op.putObject("requestBody").putObject("content");
            List<String> types = patch
                    ? (r.custom()
                            ? List.of(
                                    "application/json-patch+json",
                                    "application/merge-patch+json",
                                    "application/apply-patch+yaml")
                            : List.of(
                                    "application/json-patch+json",
                                    "application/merge-patch+json",
                                    "application/strategic-merge-patch+json",
                                    "application/apply-patch+yaml"))
                    : List.of("*/*");
            for (String t : types) {
                content.putObject(t)
                        .putObject("schema")
                        .put("$ref", patch ? "#/components/schemas/" + META + "Patch" : ref);
            }
            op.with("requestBody").put("required", true);
        }
        ObjectNode ok = op.putObject("responses").putObject("200");
        ok.put("description", "OK");
        ObjectNode content = ok.putObject("content");
        for (String t : List.of("application/json", "application/yaml")) {
            content.putObject(t).putObject("schema").put("$ref", ref);
        }
        return op;
    }

    private static void pathParameters(ObjectNode path, boolean namespaced, boolean named) {
        ArrayNode p = path.putArray("parameters");
        if (named) {
            p.addObject()
                    .put("name", "name")
                    .put("in", "path")
                    .put("description", "name of the resource")
                    .put("required", true)
                    .putObject("schema")
                    .put("type", "string")
                    .put("uniqueItems", true);
        }
        if (namespaced) {
            p.addObject()
                    .put("name", "namespace")
                    .put("in", "path")
                    .put("description", "object name and auth scope, such as for teams and projects")
                    .put("required", true)
                    .putObject("schema")
                    .put("type", "string")
                    .put("uniqueItems", true);
        }
        p.addObject()
                .put("name", "pretty")
                .put("in", "query")
                .put("description", "If 'true', then the output is pretty printed.")
                .putObject("schema")
                .put("type", "string")
                .put("uniqueItems", true);
    }

    /** kube-apiserver's schema name: the group's labels reversed, the version, the kind. */
    static String schemaName(ApiResource r) {
        if (!r.custom() && r.model() != null) {
            return ModelSchemas.name(r.model());
        }
        List<String> labels = new java.util.ArrayList<>(List.of(r.group().split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + "." + r.version() + "." + r.kind();
    }

    /** A CRD version's schema as kube-apiserver publishes it: apiVersion, kind and metadata added, and the GVK. */
    private static ObjectNode crdSchema(ApiResource r) {
        ObjectNode s = r.schema().deepCopy();
        ObjectNode props = s.has("properties") ? (ObjectNode) s.get("properties") : s.putObject("properties");
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        ordered.put(
                "apiVersion",
                Serialization.jsonMapper()
                        .createObjectNode()
                        .put("description", API_VERSION_DESCRIPTION)
                        .put("type", "string"));
        ordered.put(
                "kind",
                Serialization.jsonMapper()
                        .createObjectNode()
                        .put("description", KIND_DESCRIPTION)
                        .put("type", "string"));
        ObjectNode metadata = Serialization.jsonMapper().createObjectNode();
        metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + META + "ObjectMeta");
        metadata.put("description", METADATA_DESCRIPTION);
        ordered.put("metadata", metadata);
        props.fields().forEachRemaining(e -> ordered.putIfAbsent(e.getKey(), e.getValue()));
        props.removeAll();
        ordered.forEach(props::set);
        s.put("type", "object");
        gvk(s, r.group(), r.version(), r.kind());
        return s;
    }

    private static void describeStandardFields(ObjectNode s) {
        ObjectNode props = (ObjectNode) s.get("properties");
        if (props == null) {
            return;
        }
        if (props.get("apiVersion") instanceof ObjectNode a) {
            a.put("description", API_VERSION_DESCRIPTION);
        }
        if (props.get("kind") instanceof ObjectNode k) {
            k.put("description", KIND_DESCRIPTION);
        }
        if (props.has("metadata")) {
            ObjectNode metadata = Serialization.jsonMapper().createObjectNode();
            metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + META + "ObjectMeta");
            metadata.put("description", METADATA_DESCRIPTION);
            props.set("metadata", metadata);
        }
    }

    private static ObjectNode listSchema(ApiResource r) {
        ObjectNode s = Serialization.jsonMapper().createObjectNode();
        s.put("description", r.kind() + "List is a list of " + r.kind());
        s.putArray("required").add("items");
        ObjectNode p = s.putObject("properties");
        p.putObject("apiVersion").put("description", API_VERSION_DESCRIPTION).put("type", "string");
        p.putObject("items")
                .put("type", "array")
                .putObject("items")
                .put("$ref", "#/components/schemas/" + schemaName(r));
        p.putObject("kind").put("description", KIND_DESCRIPTION).put("type", "string");
        p.putObject("metadata").putArray("allOf").addObject().put("$ref", "#/components/schemas/" + META + "ListMeta");
        s.put("type", "object");
        gvk(s, r.group(), r.version(), r.kind() + "List");
        return s;
    }

    private static void gvk(ObjectNode s, String group, String version, String kind) {
        s.putArray("x-kubernetes-group-version-kind")
                .addObject()
                .put("group", group)
                .put("kind", kind)
                .put("version", version);
    }

    /** Swagger 2.0: every group-version in one document, the same schemas under definitions. */
    private ObjectNode v2() {
        ObjectNode doc = Serialization.jsonMapper().createObjectNode();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        ObjectNode definitions = doc.putObject("definitions");
        for (String gvPath : groupVersionPaths()) {
            ObjectNode v3 = v3(gvPath);
            v3.path("paths").fields().forEachRemaining(e -> {
                ObjectNode path = e.getValue().deepCopy();
                path.fields().forEachRemaining(op -> {
                    if (op.getValue() instanceof ObjectNode o && o.has("requestBody")) {
                        ArrayNode params = o.withArray("parameters");
                        List<String> consumes = new java.util.ArrayList<>();
                        o.path("requestBody").path("content").fieldNames().forEachRemaining(consumes::add);
                        JsonNode schema = o.path("requestBody")
                                .path("content")
                                .elements()
                                .next()
                                .path("schema");
                        params.addObject()
                                .put("name", "body")
                                .put("in", "body")
                                .put("required", true)
                                .set("schema", schema);
                        consumes.forEach(o.putArray("consumes")::add);
                        o.remove("requestBody");
                    }
                    if (op.getValue() instanceof ObjectNode o) {
                        for (JsonNode param : o.path("parameters")) {
                            if (param instanceof ObjectNode pn
                                    && pn.has("schema")
                                    && !"body".equals(pn.path("in").asText())) {
                                pn.put("type", pn.path("schema").path("type").asText("string"));
                                pn.remove("schema");
                            }
                        }
                        if (o.has("responses")) {
                            JsonNode schema = o.path("responses")
                                    .path("200")
                                    .path("content")
                                    .path("application/json")
                                    .path("schema");
                            ((ObjectNode) o.path("responses").path("200")).remove("content");
                            ((ObjectNode) o.path("responses").path("200")).set("schema", schema);
                        }
                    }
                });
                paths.set(e.getKey(), path);
            });
            v3.path("components")
                    .path("schemas")
                    .fields()
                    .forEachRemaining(e -> definitions.set(e.getKey(), e.getValue()));
        }
        return rewriteRefs(doc);
    }

    private static ObjectNode rewriteRefs(ObjectNode doc) {
        String text = doc.toString().replace("#/components/schemas/", "#/definitions/");
        try {
            return (ObjectNode) Serialization.jsonMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String hash(JsonNode doc) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-512").digest(doc.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(d).substring(0, 128);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
