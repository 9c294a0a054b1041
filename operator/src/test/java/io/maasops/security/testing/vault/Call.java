package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One parsed request. {@code path} is relative to /v1/ and, for LIST, ends in '/' (docs/reference/vault-api.md §1.2);
 * {@code operation} is Vault's logical operation: read, list, update (POST/PUT), delete, patch.
 * {@code query} holds the first value of each query key; {@code body} is what the engines read (a form body as
 * strings); {@code data} is Vault's req.Data with Go value types, what the ACL checks ({@link RequestData}).
 */
record Call(
        String httpMethod,
        String operation,
        String path,
        Map<String, String> query,
        ObjectNode body,
        Map<String, Object> data,
        String token,
        String remoteAddress,
        String wrapTtl,
        String namespace) {

    String route() {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    String text(String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    boolean has(String field) {
        return body.has(field) && !body.get(field).isNull();
    }
}
