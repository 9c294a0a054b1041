package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The OpenAPI v2 document in the protobuf form client-go asks for (Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf, answered as kube-openapi does with
 * Content-Type application/com.github.proto-openapi.spec.v2.v1.0+protobuf): gnostic's openapi_v2.Document,
 * with the field numbers of its OpenAPIv2.proto. Vendor extensions (x-kubernetes-*) are carried
 * as YAML (JSON text is YAML), as kube-apiserver carries them.
 */
final class OpenApiV2Proto {

    /** What client-go asks for (kube-openapi still accepts this spelling) and what kube-apiserver answers with. */
    static final String REQUESTED_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    static final String MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private OpenApiV2Proto() {}

    static byte[] encode(JsonNode doc) {
        W d = new W();
        d.string(1, doc.path("swagger").asText("2.0"));
        W info = new W();
        info.string(1, doc.path("info").path("title").asText());
        info.string(2, doc.path("info").path("version").asText());
        d.message(2, info);
        W paths = new W();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            var e = it.next();
            W named = new W();
            named.string(1, e.getKey());
            named.message(2, pathItem(e.getValue()));
            paths.message(2, named);
        }
        d.message(8, paths);
        W definitions = new W();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("definitions").fields(); it.hasNext(); ) {
            var e = it.next();
            definitions.message(1, namedSchema(e.getKey(), e.getValue()));
        }
        d.message(9, definitions);
        return d.bytes();
    }

    private static W pathItem(JsonNode p) {
        W w = new W();
        int[] fields = {2, 3, 4, 5, 8};
        String[] methods = {"get", "put", "post", "delete", "patch"};
        for (int i = 0; i < methods.length; i++) {
            if (p.has(methods[i])) {
                w.message(fields[i], operation(p.get(methods[i])));
            }
        }
        for (JsonNode param : p.path("parameters")) {
            w.message(9, parameter(param));
        }
        return w;
    }

    private static W operation(JsonNode op) {
        W w = new W();
        op.path("tags").forEach(t -> w.string(1, t.asText()));
        w.string(3, op.path("description").asText(""));
        w.string(5, op.path("operationId").asText(""));
        op.path("produces").forEach(t -> w.string(6, t.asText()));
        op.path("consumes").forEach(t -> w.string(7, t.asText()));
        for (JsonNode param : op.path("parameters")) {
            w.message(8, parameter(param));
        }
        W responses = new W();
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
            var e = it.next();
            W response = new W();
            response.string(1, e.getValue().path("description").asText(""));
            if (e.getValue().has("schema")) {
                W schemaItem = new W();
                schemaItem.message(1, schema(e.getValue().get("schema")));
                response.message(2, schemaItem);
            }
            W value = new W();
            value.message(1, response);
            W named = new W();
            named.string(1, e.getKey());
            named.message(2, value);
            responses.message(1, named);
        }
        w.message(9, responses);
        extensions(op, 13, w);
        return w;
    }

    /** ParametersItem { parameter: Parameter { body_parameter | non_body_parameter { query | path } } } */
    private static W parameter(JsonNode p) {
        W parameter = new W();
        if ("body".equals(p.path("in").asText())) {
            W body = new W();
            body.string(1, p.path("description").asText(""));
            body.string(2, p.path("name").asText());
            body.string(3, "body");
            body.bool(4, p.path("required").asBoolean(false));
            body.message(5, schema(p.path("schema")));
            parameter.message(1, body);
        } else {
            boolean path = "path".equals(p.path("in").asText());
            W sub = new W();
            sub.bool(1, p.path("required").asBoolean(false));
            sub.string(2, p.path("in").asText());
            sub.string(3, p.path("description").asText(""));
            sub.string(4, p.path("name").asText());
            sub.string(path ? 5 : 6, p.path("type").asText("string"));
            sub.bool(path ? 19 : 20, p.path("uniqueItems").asBoolean(false));
            W nonBody = new W();
            nonBody.message(path ? 4 : 3, sub);
            parameter.message(2, nonBody);
        }
        W item = new W();
        item.message(1, parameter);
        return item;
    }

    private static W namedSchema(String name, JsonNode s) {
        W w = new W();
        w.string(1, name);
        w.message(2, schema(s));
        return w;
    }

    private static W schema(JsonNode s) {
        W w = new W();
        w.string(1, s.path("$ref").asText(""));
        w.string(2, s.path("format").asText(""));
        w.string(4, s.path("description").asText(""));
        if (s.has("default")) {
            w.message(5, any(s.get("default")));
        }
        if (s.has("maximum")) {
            w.dbl(7, s.get("maximum").asDouble());
        }
        w.bool(8, s.path("exclusiveMaximum").asBoolean(false));
        if (s.has("minimum")) {
            w.dbl(9, s.get("minimum").asDouble());
        }
        w.bool(10, s.path("exclusiveMinimum").asBoolean(false));
        w.varint(11, s.path("maxLength").asLong(0));
        w.varint(12, s.path("minLength").asLong(0));
        w.string(13, s.path("pattern").asText(""));
        w.varint(14, s.path("maxItems").asLong(0));
        w.varint(15, s.path("minItems").asLong(0));
        s.path("required").forEach(r -> w.string(19, r.asText()));
        s.path("enum").forEach(e -> w.message(20, any(e)));
        if (s.get("additionalProperties") != null) {
            W additional = new W();
            if (s.get("additionalProperties").isBoolean()) {
                additional.bool(2, s.get("additionalProperties").asBoolean());
            } else {
                additional.message(1, schema(s.get("additionalProperties")));
            }
            w.message(21, additional);
        }
        if (s.has("type")) {
            W type = new W();
            type.string(1, s.get("type").asText());
            w.message(22, type);
        }
        if (s.has("items")) {
            W items = new W();
            items.message(1, schema(s.get("items")));
            w.message(23, items);
        }
        s.path("allOf").forEach(a -> w.message(24, schema(a)));
        if (s.has("properties")) {
            W props = new W();
            s.get("properties").fields().forEachRemaining(e -> props.message(1, namedSchema(e.getKey(), e.getValue())));
            w.message(25, props);
        }
        extensions(s, 31, w);
        return w;
    }

    private static void extensions(JsonNode node, int field, W w) {
        node.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("x-")) {
                W named = new W();
                named.string(1, e.getKey());
                named.message(2, any(e.getValue()));
                w.message(field, named);
            }
        });
    }

    /** gnostic Any { yaml = 2 }: the value as YAML text (JSON is YAML). */
    private static W any(JsonNode value) {
        W w = new W();
        w.string(2, value.isTextual() ? value.asText() : value.toString());
        return w;
    }

    /** A protobuf message being written (proto3: default values are omitted). */
    private static final class W {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void string(int field, String s) {
            if (s != null && !s.isEmpty()) {
                bytes(field, s.getBytes(StandardCharsets.UTF_8));
            }
        }

        void bool(int field, boolean b) {
            if (b) {
                tag(field, 0);
                raw(1);
            }
        }

        void varint(int field, long v) {
            if (v != 0) {
                tag(field, 0);
                raw(v);
            }
        }

        void dbl(int field, double d) {
            tag(field, 1);
            long bits = Double.doubleToLongBits(d);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
        }

        void message(int field, W m) {
            bytes(field, m.bytes());
        }

        void bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
