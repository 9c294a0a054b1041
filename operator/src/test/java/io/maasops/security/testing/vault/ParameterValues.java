package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request and policy values with the Go types Vault compares, and Vault's value matching for
 * {@code allowed_parameters}/{@code denied_parameters} (docs/reference/vault-acl-parameters.md §6; OpenBao
 * {@code internal/vault/policy/acl.go} valueInParameterList/valueInSlice; Vault {@code vault/acl.go}
 * valueInAllowedParameterList/valueInDeniedParameterList).
 *
 * <p>Java stand-ins for Go types: {@code string} = String, {@code bool} = Boolean, {@code nil} = null,
 * {@code []interface{}} = List, {@code map[string]interface{}} = Map, HCL {@code int} = Long, HCL
 * {@code float64} = Double, and the records below for the types that must never equal any of those.
 */
final class ParameterValues {
    private ParameterValues() {}

    /** Go {@code json.Number} (JSON bodies are decoded with UseNumber): never equals a string, int or float. */
    record JsonNumber(String text) {}

    /** Go {@code []string}: a query key given more than once (handler.go parseQuery); not a {@code []interface{}}. */
    record StringSlice(List<String> values) {}

    /** HCL v1's {@code []map[string]interface{}} for an object nested in an object; not a {@code []interface{}}. */
    record HclObjectList(List<Map<String, Object>> maps) {}

    /** A JSON value as {@code jsonutil.DecodeJSONFromReader} (UseNumber) gives it. */
    static Object fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isNumber()) {
            return new JsonNumber(n.asText());
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(fromJson(e)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), fromJson(e.getValue())));
        return out;
    }

    /** go-secure-stdlib strutil.GlobbedStringsMatch: '*' only at either end; below 2 characters it is literal. */
    static boolean globbedStringsMatch(String item, String val) {
        if (item.length() < 2) {
            return val.equals(item);
        }
        boolean prefix = item.startsWith("*");
        boolean suffix = item.endsWith("*");
        if (prefix && suffix) {
            return val.contains(item.substring(1, item.length() - 1));
        } else if (prefix) {
            return val.endsWith(item.substring(1));
        } else if (suffix) {
            return val.startsWith(item.substring(0, item.length() - 1));
        }
        return val.equals(item);
    }

    /** valueInSlice: nil only matches nil; two strings glob-match; anything else needs deep equality. */
    static boolean inSlice(Object v, List<Object> list) {
        for (Object el : list) {
            if (el == null || v == null) {
                if (el == v) {
                    return true;
                }
            } else if (el instanceof String e && v instanceof String s) {
                if (globbedStringsMatch(e, s)) {
                    return true;
                }
            } else if (el.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** An empty list matches every value; then the whole value; Vault ≥ 1.21 then requires every element to match. */
    static boolean allowed(Object v, List<Object> list, ParameterMatching mode) {
        return matches(v, list, mode, true);
    }

    /** An empty list matches every value; then the whole value; Vault ≥ 1.21 then denies when any element matches. */
    static boolean denied(Object v, List<Object> list, ParameterMatching mode) {
        return matches(v, list, mode, false);
    }

    private static boolean matches(Object v, List<Object> list, ParameterMatching mode, boolean everyElement) {
        if (list.isEmpty() || inSlice(v, list)) {
            return true;
        }
        List<?> pieces = mode == ParameterMatching.WHOLE_VALUE ? null : pieces(v);
        if (pieces == null) {
            return false;
        }
        // no element: vacuously allowed (so "" and [] pass an exact allowlist), never denied
        return everyElement
                ? pieces.stream().allMatch(p -> inSlice(p, list))
                : pieces.stream().anyMatch(p -> inSlice(p, list));
    }

    /** Vault ≥ 1.21's elements: a {@code []interface{}}, or a string split like TypeCommaStringSlice; else none. */
    private static List<?> pieces(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof String s) {
            return parseCommaStringSlice(s);
        }
        return null;
    }

    /** parseutil.ParseCommaStringSlice for a string: "" → []; else split on ',' and trim (empty pieces stay). */
    static List<String> parseCommaStringSlice(String s) {
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String p : s.split(",", -1)) {
            out.add(p.trim());
        }
        return out;
    }
}
