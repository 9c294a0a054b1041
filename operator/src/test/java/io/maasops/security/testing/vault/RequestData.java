package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Vault's {@code req.Data} for one HTTP request, which is what the ACL's parameter constraints see
 * (docs/reference/vault-acl-parameters.md §2; OpenBao {@code internal/http/logical.go} buildLogicalRequestNoAuth,
 * {@code handler.go} parseQuery, parseFormRequest, isForm): POST/PUT → the body only (JSON, or a form whose repeated
 * keys are joined with ","), query strings ignored; GET, DELETE, LIST → the query string.
 */
final class RequestData {
    private RequestData() {}

    /**
     * url.ParseQuery as {@code r.URL.Query()} uses it: '&amp;'-separated, '+' and %XX decoded, repeated keys kept in
     * order; a malformed pair (bad escape, ';') is dropped.
     */
    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        parsePairs(raw, out, false);
        return out;
    }

    /** handler.go parseQuery: one value → string, several → []string; the reserved "help" key is skipped. */
    static Map<String, Object> fromQuery(Map<String, List<String>> query) {
        Map<String, Object> out = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (k.equals("help") || v.isEmpty()) {
                return;
            }
            out.put(k, v.size() == 1 ? v.get(0) : new ParameterValues.StringSlice(List.copyOf(v)));
        });
        return out;
    }

    /**
     * handler.go isForm: the Content-Type is application/x-www-form-urlencoded (parameters allowed) and the first
     * non-whitespace byte of the first 512 is not '{' or '['.
     */
    static boolean isForm(byte[] body, String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/x-www-form-urlencoded")) {
            return false;
        }
        for (int i = 0; i < Math.min(512, body.length); i++) {
            byte c = body[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            return c != '{' && c != '[';
        }
        return true;
    }

    /**
     * handler.go parseFormRequest: repeated keys joined with "," into one string.
     *
     * @throws IllegalArgumentException when Go's ParseForm fails (bad escape, ';' separator)
     */
    static Map<String, String> form(String raw) {
        Map<String, List<String>> pairs = new LinkedHashMap<>();
        parsePairs(raw, pairs, true);
        Map<String, String> out = new LinkedHashMap<>();
        pairs.forEach((k, v) -> out.put(k, String.join(",", v)));
        return out;
    }

    /** A form as the body the engines read: every value a JSON string. */
    static ObjectNode formBody(Map<String, String> form) {
        ObjectNode n = Reply.JSON.createObjectNode();
        form.forEach(n::put);
        return n;
    }

    /** A JSON object body decoded with UseNumber (see {@link ParameterValues#fromJson}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fromJson(ObjectNode body) {
        return (Map<String, Object>) ParameterValues.fromJson(body);
    }

    private static void parsePairs(String raw, Map<String, List<String>> out, boolean strict) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            try {
                if (pair.contains(";")) {
                    throw new IllegalArgumentException("invalid semicolon separator in query");
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                if (strict) {
                    throw e;
                }
            }
        }
    }
}
