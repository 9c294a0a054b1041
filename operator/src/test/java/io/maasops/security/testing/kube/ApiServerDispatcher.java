package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What kube-apiserver does in front of storage, on top of the CRUD mock: authentication (bearer
 * tokens) and RBAC authorization of every request ({@link Authorizer}), the self-subject reviews,
 * discovery, OpenAPI, Table responses for kubectl, protobuf request bodies, pod exec, and
 * admission of writes: Secrets' stringData merged into data, custom resources pruned, defaulted
 * and validated against their CRD ({@link CrdValidation}), fieldValidation and dryRun honoured.
 */
class ApiServerDispatcher extends SsaTolerantCrudDispatcher {

    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final RequestRecorder recorder;
    private final Authorizer authorizer;
    private final PodExec podExec;
    private final ApiResources resources = new ApiResources(this::handleGet);
    private final OpenApi openApi = new OpenApi(resources);
    private final Clock clock = Clock.systemUTC();

    ApiServerDispatcher(RequestRecorder recorder, Authorizer authorizer, PodExec podExec) {
        this.recorder = recorder;
        this.authorizer = authorizer;
        this.podExec = podExec;
        store().addListener(new NameIndexedStore.StoreListener() {
            @Override
            public void changed(io.fabric8.mockwebserver.crud.AttributeSet key, String json) {
                resources.changed(null, json);
            }

            @Override
            public void changed(io.fabric8.mockwebserver.crud.AttributeSet key, String previous, String json) {
                resources.changed(previous, json);
            }
        });
    }

    /**
     * Request targets too long for the mock's HTTP server (Vert.x refuses request lines over 4096
     * bytes; kube-apiserver and the kubelet take up to 1 MiB of head), kept here while the TLS front
     * pipes a WebSocket upgrade to the mock under a short stand-in target.
     */
    private final Map<String, String> longTargets = new java.util.concurrent.ConcurrentHashMap<>();

    private static final String LONG_TARGET = "kube-double-long-target=";

    /** A stand-in for {@code target} that fits the mock's request line; {@link #dispatch} restores the original. */
    String shortTarget(String target) {
        String key = java.util.UUID.randomUUID().toString();
        longTargets.put(key, target);
        int q = target.indexOf('?');
        return (q < 0 ? target : target.substring(0, q)) + "?" + LONG_TARGET + key;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String target = request.getPath();
        int mark = target == null ? -1 : target.indexOf(LONG_TARGET);
        if (mark >= 0) {
            String original = longTargets.remove(target.substring(mark + LONG_TARGET.length()));
            if (original == null) {
                return ApiStatus.badRequest("unknown request target");
            }
            request = new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.valueOf(request.getMethod()),
                    original,
                    request.getHeaders(),
                    request.getBody());
        }
        recorder.record(request);
        Authorizer.User user = authorizer.authenticate(request.getHeader("Authorization"));
        if (user == null) {
            return ApiStatus.unauthorized();
        }
        String pathAndQuery = request.getPath();
        Access access = RequestRecorder.toAccess(request.getMethod(), pathAndQuery);
        if (!Authorizer.allowed(user, access)) {
            return ApiStatus.response(403, Authorizer.forbidden(user, access));
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String method = request.getMethod();
        if (access.isNonResource()) {
            if ("GET".equals(method)) {
                MockResponse answer = path.startsWith("/openapi/")
                        ? openApi.answer(path, request.getHeader("Accept"))
                        : Discovery.answer(path, resources);
                if (answer != null) {
                    return answer;
                }
            }
            return ApiStatus.failureResponse(404, "NotFound", "the server could not find the requested resource");
        }
        if ("POST".equals(method) && "authorization.k8s.io".equals(access.apiGroup())) {
            JsonNode review = json(body(request));
            if (review == null) {
                return ApiStatus.badRequest("the body of the request could not be decoded");
            }
            if ("selfsubjectrulesreviews".equals(access.resource())) {
                return ApiStatus.response(201, Authorizer.rulesReview(user, review));
            }
            if ("selfsubjectaccessreviews".equals(access.resource())) {
                return ApiStatus.response(201, Authorizer.accessReview(user, review));
            }
        }
        if ("POST".equals(method)
                && "authentication.k8s.io".equals(access.apiGroup())
                && "tokenreviews".equals(access.resource())) {
            JsonNode review = json(body(request));
            if (review == null) {
                return ApiStatus.badRequest("the body of the request could not be decoded");
            }
            if (review.path("spec").path("token").asText("").isEmpty()) {
                return ApiStatus.badRequest("token is required for TokenReview in authentication");
            }
            return ApiStatus.response(201, authorizer.serviceAccountTokens().review(review));
        }
        if ("exec".equals(access.subresource()) && "pods".equals(access.resource()) && access.name() != null) {
            return podExec.exec(access.namespace(), access.name(), pathAndQuery, query);
        }
        ApiResource resource = resources
                .find(access.apiGroup(), version(path), access.resource())
                .orElse(null);
        if (resource != null && resource.custom() && ProtobufBodies.isProtobuf(request.getHeader("Content-Type"))) {
            return ApiStatus.unsupportedMediaType(
                    request.getHeader("Content-Type"), List.of("application/json", "application/yaml"));
        }
        if (ProtobufBodies.isProtobuf(request.getHeader("Content-Type"))) {
            ObjectNode decoded = ProtobufBodies.decode(request.getBody().getBytes());
            if (decoded == null) {
                return ApiStatus.unsupportedMediaType(
                        request.getHeader("Content-Type"), List.of("application/json", "application/yaml"));
            }
            request = withBody(request, method, pathAndQuery, "application/json", decoded.toString());
        }
        if (resource != null && ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
            return write(request, resource, access, path, query);
        }
        MockResponse response = super.dispatch(request);
        if (resource != null
                && "GET".equals(method)
                && !query.contains("watch=true")
                && Tables.wanted(request.getHeader("Accept"))
                && response.code() == 200
                && resource.kind() != null) {
            JsonNode body = json(response.getBody().readUtf8());
            if (body != null) {
                return ApiStatus.response(200, Tables.table(resource, body, clock));
            }
        }
        return response;
    }

    /**
     * A streaming watch (no WebSocket): authenticated and authorized like any request, then served
     * by {@link WatchStream} on {@code out}. Returns the refusal to send instead, or null once streamed.
     */
    MockResponse watch(RecordedRequest request, java.io.OutputStream out) throws java.io.IOException {
        recorder.record(request);
        Authorizer.User user = authorizer.authenticate(request.getHeader("Authorization"));
        if (user == null) {
            return ApiStatus.unauthorized();
        }
        String pathAndQuery = request.getPath();
        Access access = RequestRecorder.toAccess(request.getMethod(), pathAndQuery);
        if (!Authorizer.allowed(user, access)) {
            return ApiStatus.response(403, Authorizer.forbidden(user, access));
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        ApiResource resource = access.isNonResource()
                ? null
                : resources
                        .find(access.apiGroup(), version(path), access.resource())
                        .orElse(null);
        if (resource == null) {
            return ApiStatus.failureResponse(404, "NotFound", "the server could not find the requested resource");
        }
        WatchStream.serve(store(), resource, access, q < 0 ? "" : pathAndQuery.substring(q + 1), out);
        return null;
    }

    /** Header of {@link KubeApiDouble#clientForObjectsOfAnOlderCrd()}'s requests. */
    static final String OLDER_CRD_HEADER = "X-Kube-Double-Older-Crd";

    /**
     * A cluster admin's write that stands for an object stored before the CRD was tightened: kube-apiserver
     * never re-validates stored objects when a CRD changes, so the operator meets such objects after
     * an upgrade. Only a super user's request is honoured.
     */
    private boolean storedUnderOlderCrd(RecordedRequest request) {
        if (request.getHeader(OLDER_CRD_HEADER) == null) {
            return false;
        }
        Authorizer.User user = authorizer.authenticate(request.getHeader("Authorization"));
        return user != null && user.superUser();
    }

    /** Create, update and patch: admission (stringData, pruning, defaults, validation), dryRun, then storage. */
    private MockResponse write(
            RecordedRequest request, ApiResource resource, Access access, String path, String query) {
        String method = request.getMethod();
        String contentType = request.getHeader("Content-Type");
        String body = body(request);
        boolean dryRun = param(query, "dryRun") != null;
        String directive = param(query, "fieldValidation");
        boolean subresource = access.subresource() != null;
        String objectPath = subresource ? path.substring(0, path.lastIndexOf('/')) : path;

        JsonNode current = null;
        ObjectNode result;
        boolean patch = "PATCH".equals(method);
        if (patch || "PUT".equals(method)) {
            MockResponse got = handleGet(objectPath);
            current = got.code() == 200 ? json(got.getBody().readUtf8()) : null;
        }
        boolean applyCreate = false;
        try {
            if (patch) {
                if (current == null) {
                    if (contentType == null || !contentType.startsWith("application/apply-patch")) {
                        return super.dispatch(request); // the storage's 404
                    }
                    result = (ObjectNode) YAML.readTree(body);
                    applyCreate = true;
                } else {
                    result = applyPatch(contentType, current, body);
                }
            } else {
                result = (ObjectNode)
                        (contentType != null && contentType.contains("yaml")
                                ? YAML.readTree(body)
                                : JSON.readTree(body));
            }
        } catch (JsonPatchException e) {
            // apiserver's jsonPatcher: a well-formed JSON patch that does not apply to the stored object (a path
            // that is not there, a failed test op) is 422, and clients such as JOSDK re-read and patch again on it
            return ApiStatus.failureResponse(
                    422, "Invalid", "the server rejected our request due to an error in our request");
        } catch (Exception | Error e) {
            return ApiStatus.badRequest(
                    "the body of the request was in an unknown format - accepted media types include: "
                            + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        boolean changed = false;
        List<String> warnings = List.of();
        if (resource.custom()) {
            boolean strict = "Strict".equals(directive);
            List<String> unknown = CrdValidation.unknownFields(resource.schema(), result, !strict);
            if (!unknown.isEmpty()) {
                if (strict) {
                    return ApiStatus.badRequest(
                            resource.kind() + " in version \"" + resource.version() + "\" cannot be handled as a "
                                    + resource.kind() + ": strict decoding error: "
                                    + String.join(
                                            ", ",
                                            unknown.stream()
                                                    .map(u -> "unknown field \"" + u + "\"")
                                                    .toList()));
                }
                changed = true;
                if (!"Ignore".equals(directive)) {
                    warnings = unknown.stream()
                            .map(u -> "unknown field \"" + u + "\"")
                            .toList();
                }
            }
            String before = result.toString();
            CrdValidation.pruneNulls(resource.schema(), result);
            CrdValidation.applyDefaults(resource.schema(), result);
            changed |= !before.equals(result.toString());
            JsonNode old = "POST".equals(method) || applyCreate ? null : current;
            List<CrdValidation.FieldError> errors = storedUnderOlderCrd(request)
                    ? List.of()
                    : CrdValidation.ratchet(CrdValidation.validate(resource.schema(), result, old), result, old);
            if (!errors.isEmpty()) {
                String name = result.path("metadata").path("name").asText(access.name() == null ? "" : access.name());
                return ApiStatus.response(
                        422, CrdValidation.invalidStatus(resource.group(), resource.kind(), name, errors));
            }
        }
        if ("Namespace".equals(resource.kind())
                && "POST".equals(method)
                && !result.path("status").has("phase")) {
            // the namespace lifecycle: a new namespace is Active, with the kubernetes finalizer
            result.with("status").put("phase", "Active");
            if (!result.path("spec").has("finalizers")) {
                result.with("spec").putArray("finalizers").add("kubernetes");
            }
            changed = true;
        }
        if ("Secret".equals(resource.kind()) && result.has("stringData")) {
            mergeStringData(result);
            changed = true;
        }
        if (dryRun) {
            return dryRunAnswer(result, current, "POST".equals(method) || applyCreate);
        }
        MockResponse stored;
        if (patch && !(changed && current != null && !subresource && "Secret".equals(resource.kind()))) {
            stored = super.dispatch(
                    applyCreate && changed
                            ? withBody(request, "POST", collectionOf(objectPath), "application/json", result.toString())
                            : request);
        } else if (patch) {
            // a Secret patched with stringData: stored as data, by an update of the whole (guarded) object
            result.with("metadata")
                    .put(
                            "resourceVersion",
                            current.path("metadata").path("resourceVersion").asText());
            stored = super.dispatch(withBody(request, "PUT", path, "application/json", result.toString()));
        } else {
            stored = super.dispatch(
                    changed
                            ? withBody(request, method, request.getPath(), "application/json", result.toString())
                            : request);
        }
        for (String w : warnings) {
            stored.addHeader("Warning", "299 - " + CrdValidation.quote(w));
        }
        return stored;
    }

    private static ObjectNode applyPatch(String contentType, JsonNode current, String body) throws Exception {
        if (contentType != null && contentType.startsWith("application/json-patch")) {
            return (ObjectNode) JsonPatch.apply(JSON.readTree(body), current);
        }
        JsonNode patch =
                contentType != null && contentType.contains("yaml") ? YAML.readTree(body) : JSON.readTree(body);
        ObjectNode target = current.deepCopy();
        merge(target, patch);
        return target;
    }

    /** RFC 7386 JSON merge patch (strategic merge and apply are approximated by it, as the storage does). */
    private static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.get(e.getKey()) instanceof ObjectNode t) {
                merge(t, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** kube-apiserver's Secret strategy: stringData overwrites data's keys (base64), and is not stored. */
    private static void mergeStringData(ObjectNode secret) {
        ObjectNode data = secret.with("data");
        secret.path("stringData")
                .fields()
                .forEachRemaining(e -> data.put(
                        e.getKey(),
                        Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        secret.remove("stringData");
    }

    /** dryRun=All: what would be stored, nothing stored. */
    private MockResponse dryRunAnswer(ObjectNode result, JsonNode current, boolean create) {
        ObjectNode meta = result.with("metadata");
        if (create) {
            meta.put("uid", UUID.randomUUID().toString());
            meta.put(
                    "creationTimestamp",
                    Instant.now(clock)
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString());
            meta.put("generation", 1);
        } else if (current != null) {
            meta.put(
                    "resourceVersion",
                    current.path("metadata").path("resourceVersion").asText());
        }
        return ApiStatus.response(create ? 201 : 200, result);
    }

    private static String collectionOf(String objectPath) {
        return objectPath.substring(0, objectPath.lastIndexOf('/'));
    }

    private static RecordedRequest withBody(
            RecordedRequest r, String method, String pathAndQuery, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        for (String name : List.of("Authorization", "User-Agent", "Accept")) {
            if (r.getHeader(name) != null) {
                headers.add(name, r.getHeader(name));
            }
        }
        headers.add("Content-Type", contentType);
        return new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.valueOf(method),
                pathAndQuery,
                headers.build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The version segment of /api/v1/... or /apis/group/version/... */
    private static String version(String path) {
        String[] s = path.split("/");
        if (s.length > 2 && "api".equals(s[1])) {
            return s[2];
        }
        return s.length > 3 ? s[3] : "";
    }

    private static String param(String query, String name) {
        for (String p : query.split("&")) {
            if (p.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
