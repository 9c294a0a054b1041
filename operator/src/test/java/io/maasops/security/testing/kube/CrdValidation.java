package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What kube-apiserver does with a custom resource on create and update, from its CRD's structural
 * schema: unknown fields are pruned (or, with fieldValidation=Strict, refused: "strict decoding
 * error: unknown field ..."), defaults applied, then the object validated against the schema (the
 * messages of kube-openapi as apiextensions-apiserver turns them into field errors) and its
 * x-kubernetes-validations CEL rules; refusals are 422 Invalid with kube-apiserver's message,
 * "MaasRegion.security.maasops.io \"x\" is invalid: spec.access: Invalid value: \"object\": ...".
 */
final class CrdValidation {

    private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** One field error (apimachinery's field.Error): type as in its String(), the field path, and the body after the type. */
    record FieldError(String reason, String typeText, String field, String body) {
        String errorBody() {
            return body.isEmpty() ? typeText : typeText + ": " + body;
        }

        String error() {
            return field + ": " + errorBody();
        }
    }

    private CrdValidation() {}

    /** The unknown fields of {@code object} ("spec.foo"), as strict decoding names them; removes them when {@code prune}. */
    static List<String> unknownFields(JsonNode schema, ObjectNode object, boolean prune) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.equals("apiVersion") || f.equals("kind") || f.equals("metadata")) {
                continue;
            }
            JsonNode s = schema.path("properties").path(f);
            if (s.isMissingNode()) {
                unknown.add(f);
                if (prune) {
                    it.remove();
                }
            } else {
                walkUnknown(s, object.get(f), f, unknown, prune);
            }
        }
        return unknown;
    }

    private static void walkUnknown(JsonNode schema, JsonNode value, String path, List<String> unknown, boolean prune) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value instanceof ObjectNode o) {
            if (schema.has("additionalProperties")
                    && !schema.path("additionalProperties").isBoolean()) {
                o.fields()
                        .forEachRemaining(e -> walkUnknown(
                                schema.get("additionalProperties"),
                                e.getValue(),
                                path + "." + e.getKey(),
                                unknown,
                                prune));
                return;
            }
            if (!schema.has("properties") && schema.path("additionalProperties").asBoolean(false)) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode s = schema.path("properties").path(e.getKey());
                if (s.isMissingNode()) {
                    unknown.add(path + "." + e.getKey());
                    if (prune) {
                        it.remove();
                    }
                } else {
                    walkUnknown(s, e.getValue(), path + "." + e.getKey(), unknown, prune);
                }
            }
        } else if (value instanceof ArrayNode a && schema.has("items")) {
            for (int i = 0; i < a.size(); i++) {
                walkUnknown(schema.get("items"), a.get(i), path + "[" + i + "]", unknown, prune);
            }
        }
    }

    /**
     * apiextensions' PruneNonNullableNullsWithoutDefaults: a null where the schema is not nullable
     * (and has no default) is dropped, e.g. the "status": null a merge patch can leave behind.
     */
    static void pruneNulls(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode s = schema.path("properties").path(e.getKey());
                if (s.isMissingNode() && schema.get("additionalProperties") instanceof ObjectNode additional) {
                    s = additional;
                }
                if (e.getValue().isNull()
                        && !s.isMissingNode()
                        && !s.path("nullable").asBoolean(false)
                        && !s.has("default")) {
                    it.remove();
                } else if (!s.isMissingNode()) {
                    pruneNulls(s, e.getValue());
                }
            }
        } else if (value instanceof ArrayNode a && schema.has("items")) {
            a.forEach(item -> pruneNulls(schema.get("items"), item));
        }
    }

    /** Structural defaulting: a missing property with a default gets it, wherever its parent object is present. */
    static void applyDefaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            schema.path("properties").fields();
                    it.hasNext(); ) {
                var e = it.next();
                if (!o.has(e.getKey()) && e.getValue().has("default")) {
                    o.set(e.getKey(), e.getValue().get("default").deepCopy());
                }
                if (o.has(e.getKey())) {
                    applyDefaults(e.getValue(), o.get(e.getKey()));
                }
            }
        } else if (value instanceof ArrayNode a && schema.has("items")) {
            a.forEach(item -> applyDefaults(schema.get("items"), item));
        }
    }

    /** Schema, metadata.name and CEL errors, in kube-apiserver's order (CEL only when the schema is satisfied). */
    /**
     * Validation ratcheting (KEP-4008, on by default since Kubernetes 1.30, GA in 1.33): on an update,
     * an error on a value the update did not change is dropped, so an object stored under a looser CRD
     * can still get a finalizer or a status. Errors that name no field stay.
     */
    static List<FieldError> ratchet(List<FieldError> errors, JsonNode object, JsonNode old) {
        if (old == null) {
            return errors;
        }
        return errors.stream()
                .filter(e -> {
                    JsonNode now = at(object, e.field());
                    return now == null || !now.equals(at(old, e.field()));
                })
                .toList();
    }

    /** The value at a field path as errors name it ({@code spec.a.b[0].c}); null when absent or unparseable. */
    static JsonNode at(JsonNode root, String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        JsonNode n = root;
        for (String part : field.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            n = n.get(name);
            while (n != null && bracket >= 0) {
                int end = part.indexOf(']', bracket);
                if (end < 0) {
                    return null;
                }
                String index = part.substring(bracket + 1, end);
                n = index.chars().allMatch(Character::isDigit) && !index.isEmpty()
                        ? n.get(Integer.parseInt(index))
                        : n.get(index);
                bracket = part.indexOf('[', end);
            }
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    static List<FieldError> validate(JsonNode schema, JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        String name = object.path("metadata").path("name").asText("");
        if (!name.isEmpty()
                && (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches())) {
            errors.add(new FieldError(
                    "FieldValueInvalid",
                    "Invalid value",
                    "metadata.name",
                    quote(name)
                            + ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                            + "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("metadata")
                    || e.getKey().equals("apiVersion")
                    || e.getKey().equals("kind")) {
                continue;
            }
            if (object.has(e.getKey())) {
                schemaErrors(e.getValue(), object.get(e.getKey()), e.getKey(), errors);
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!object.has(required.asText())) {
                errors.add(new FieldError("FieldValueRequired", "Required value", required.asText(), ""));
            }
        }
        if (errors.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            schema.path("properties").fields();
                    it.hasNext(); ) {
                var e = it.next();
                if (object.has(e.getKey()) && !e.getKey().equals("metadata")) {
                    cel(
                            e.getValue(),
                            object.get(e.getKey()),
                            old == null ? null : old.get(e.getKey()),
                            e.getKey(),
                            errors);
                }
            }
        }
        return errors;
    }

    private static void schemaErrors(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(typeError(schema, "null", path));
            }
            return;
        }
        String type = schema.path("type").asText("");
        String actual = typeName(value);
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !value.canConvertToExactIntegral()) {
                errors.add(typeError(schema, actual, path));
            }
            return;
        }
        if (!type.isEmpty() && !matchesType(type, value)) {
            errors.add(typeError(schema, actual, path));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            List<String> allowed = new ArrayList<>();
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
                allowed.add(e.isTextual() ? quote(e.asText()) : quote(e.toString()));
            }
            if (!found) {
                errors.add(new FieldError(
                        "FieldValueNotSupported",
                        "Unsupported value",
                        path,
                        goValue(value) + ": supported values: " + String.join(", ", allowed)));
            }
        }
        if (value.isTextual()) {
            String s = value.asText();
            int length = s.codePointCount(0, s.length());
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                errors.add(new FieldError(
                        "FieldValueTooLong",
                        "Too long",
                        path,
                        "may not be more than " + schema.get("maxLength").asInt() + " bytes"));
            }
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                errors.add(invalid(
                        path,
                        value,
                        path + " in body should be at least "
                                + schema.get("minLength").asInt() + " chars long"));
            }
            if (schema.has("pattern")) {
                String pattern = schema.get("pattern").asText();
                if (!PATTERNS.computeIfAbsent(pattern, Pattern::compile)
                        .matcher(s)
                        .find()) {
                    errors.add(invalid(path, value, path + " in body should match '" + pattern + "'"));
                }
            }
        }
        if (value.isNumber()) {
            BigDecimal v = value.decimalValue();
            if (schema.has("minimum")) {
                BigDecimal min = schema.get("minimum").decimalValue();
                boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
                if (exclusive ? v.compareTo(min) <= 0 : v.compareTo(min) < 0) {
                    errors.add(invalid(
                            path,
                            value,
                            path + " in body should be greater than " + (exclusive ? "" : "or equal to ")
                                    + number(min)));
                }
            }
            if (schema.has("maximum")) {
                BigDecimal max = schema.get("maximum").decimalValue();
                boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
                if (exclusive ? v.compareTo(max) >= 0 : v.compareTo(max) > 0) {
                    errors.add(invalid(
                            path,
                            value,
                            path + " in body should be less than " + (exclusive ? "" : "or equal to ") + number(max)));
                }
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                errors.add(new FieldError(
                        "FieldValueTooMany",
                        "Too many",
                        path,
                        value.size() + ": must have at most "
                                + schema.get("maxItems").asInt() + " items"));
            }
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                errors.add(invalid(
                        path,
                        value,
                        path + " in body should have at least "
                                + schema.get("minItems").asInt() + " items"));
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    schemaErrors(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    errors.add(
                            new FieldError("FieldValueRequired", "Required value", path + "." + required.asText(), ""));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode s = schema.path("properties").path(e.getKey());
                if (!s.isMissingNode()) {
                    schemaErrors(s, e.getValue(), path + "." + e.getKey(), errors);
                } else if (schema.get("additionalProperties") instanceof ObjectNode additional) {
                    schemaErrors(additional, e.getValue(), path + "." + e.getKey(), errors);
                }
            }
        }
    }

    private static void cel(JsonNode schema, JsonNode value, JsonNode old, String path, List<FieldError> errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expr = rule.path("rule").asText();
            boolean transition = expr.contains("oldSelf");
            if (transition && old == null) {
                continue; // transition rules only run on update
            }
            String field = path + rule.path("fieldPath").asText("");
            try {
                CelRuntime.Program program = PROGRAMS.computeIfAbsent(expr, x -> {
                    try {
                        CelAbstractSyntaxTree ast = CEL.compile(x).getAst();
                        return RUNTIME.createProgram(ast);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Object result = program.eval(
                        transition
                                ? Map.of("self", toCel(value), "oldSelf", toCel(old))
                                : Map.of("self", toCel(value)));
                if (!Boolean.TRUE.equals(result)) {
                    String message = rule.has("message") ? rule.get("message").asText() : "failed rule: " + expr;
                    errors.add(ruleError(
                            rule.path("reason").asText("FieldValueInvalid"),
                            field,
                            schema.path("type").asText(""),
                            message));
                }
            } catch (Exception e) {
                errors.add(new FieldError(
                        "InternalError",
                        "Internal error",
                        field,
                        "rule " + expr + " could not be evaluated: " + e.getMessage()));
            }
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            schema.path("properties").fields();
                    it.hasNext(); ) {
                var e = it.next();
                cel(
                        e.getValue(),
                        value.get(e.getKey()),
                        old == null ? null : old.get(e.getKey()),
                        path + "." + e.getKey(),
                        errors);
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                cel(schema.get("items"), value.get(i), null, path + "[" + i + "]", errors);
            }
        }
    }

    private static FieldError ruleError(String reason, String field, String type, String message) {
        return switch (reason) {
            case "FieldValueRequired" -> new FieldError(reason, "Required value", field, message);
            case "FieldValueForbidden" -> new FieldError(reason, "Forbidden", field, message);
            case "FieldValueDuplicate" ->
                new FieldError(reason, "Duplicate value", field, quote(type) + ": " + message);
            default -> new FieldError("FieldValueInvalid", "Invalid value", field, quote(type) + ": " + message);
        };
    }

    private static FieldError invalid(String path, JsonNode value, String detail) {
        return new FieldError("FieldValueInvalid", "Invalid value", path, goValue(value) + ": " + detail);
    }

    private static FieldError typeError(JsonNode schema, String actual, String path) {
        String expected = schema.path("type").asText("");
        return new FieldError(
                "FieldValueTypeInvalid",
                "Invalid value",
                path,
                quote(actual) + ": " + path + " in body must be of type " + expected + ": " + quote(actual));
    }

    private static boolean matchesType(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" ->
                v.isIntegralNumber()
                        || (v.isNumber()
                                && v.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> true;
        };
    }

    private static String typeName(JsonNode v) {
        if (v.isObject()) {
            return "object";
        } else if (v.isArray()) {
            return "array";
        } else if (v.isTextual()) {
            return "string";
        } else if (v.isIntegralNumber()) {
            return "integer";
        } else if (v.isNumber()) {
            return "number";
        } else if (v.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    /** Go's %v / %q of a decoded JSON value, as field errors print bad values. */
    private static String goValue(JsonNode v) {
        if (v.isTextual()) {
            return quote(v.asText());
        }
        if (v.isNumber()) {
            return number(v.decimalValue());
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return v.toString();
    }

    private static String number(BigDecimal n) {
        BigDecimal s = n.stripTrailingZeros();
        return s.scale() <= 0 ? s.toBigInteger().toString() : s.toPlainString();
    }

    /** Go's %q for the strings field errors quote. */
    static String quote(String s) {
        return jsonString(s);
    }

    private static String jsonString(String s) {
        try {
            return Serialization.jsonMapper().writeValueAsString(s);
        } catch (Exception e) {
            return "\"" + s + "\"";
        }
    }

    /** JSON to the Java values CEL expects (integers as long). */
    static Object toCel(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            v.fields().forEachRemaining(e -> m.put(e.getKey(), toCel(e.getValue())));
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toCel(x)));
            return l;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }

    /** apierrors.NewInvalid as JSON: 422, "Kind.group \"name\" is invalid: e" or "...: [e1, e2]", with the causes. */
    static ObjectNode invalidStatus(String group, String kind, String name, List<FieldError> errors) {
        String aggregate = errors.size() == 1
                ? errors.get(0).error()
                : "[" + String.join(", ", errors.stream().map(FieldError::error).toList()) + "]";
        ObjectNode details = Serialization.jsonMapper().createObjectNode();
        details.put("name", name).put("group", group).put("kind", kind);
        ArrayNode causes = details.putArray("causes");
        for (FieldError e : errors) {
            causes.addObject()
                    .put("reason", e.reason())
                    .put("message", e.errorBody())
                    .put("field", e.field());
        }
        return ApiStatus.failure(
                422,
                "Invalid",
                kind + (group.isEmpty() ? "" : "." + group) + " \"" + name + "\" is invalid: " + aggregate,
                details);
    }
}
