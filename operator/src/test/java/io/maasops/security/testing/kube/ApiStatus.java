package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/** metav1.Status bodies as kube-apiserver writes them (apimachinery's api/errors), and JSON responses. */
final class ApiStatus {

    private ApiStatus() {}

    static ObjectNode failure(int code, String reason, String message, JsonNode details) {
        ObjectNode s = Serialization.jsonMapper().createObjectNode();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason);
        if (details != null) {
            s.set("details", details);
        }
        s.put("code", code);
        return s;
    }

    static MockResponse response(int code, JsonNode body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    static MockResponse failureResponse(int code, String reason, String message) {
        return response(code, failure(code, reason, message, null));
    }

    /** 401 as the authentication filter writes it. */
    static MockResponse unauthorized() {
        return failureResponse(401, "Unauthorized", "Unauthorized");
    }

    /** apierrors.NewBadRequest. */
    static MockResponse badRequest(String message) {
        return failureResponse(400, "BadRequest", message);
    }

    /** 415 as the negotiation filter writes it for a body type the endpoint cannot decode. */
    static MockResponse unsupportedMediaType(String contentType, java.util.List<String> supported) {
        return failureResponse(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + String.join(", ", supported));
    }
}
