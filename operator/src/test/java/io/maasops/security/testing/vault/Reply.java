package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One HTTP answer of the double: status plus JSON body (null = no body). */
record Reply(int status, JsonNode body) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Reply noContent() {
        return new Reply(204, null);
    }

    static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    /** {@code {"errors":[...]}} — docs/reference/vault-api.md §1.2. */
    static Reply error(int status, String... messages) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode errs = n.putArray("errors");
        for (String m : messages) {
            errs.add(m);
        }
        return new Reply(status, n);
    }

    /** A bare Go error on an authenticated request, wrapped by go-multierror (§1.2). */
    static Reply multiError(int status, String message) {
        return error(status, "1 error occurred:\n\t* " + message + "\n\n");
    }

    static Reply notFoundEmpty() {
        return error(404);
    }

    static Reply permissionDenied() {
        return multiError(403, "permission denied");
    }

    /** Recent Vault's answer for an invalid, expired or revoked token (§1.2). */
    static Reply invalidToken() {
        return error(403, "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n");
    }

    static Reply sealed() {
        return error(503, "Vault is sealed");
    }

    boolean isEnvelope() {
        return body != null && body.has("request_id");
    }
}
