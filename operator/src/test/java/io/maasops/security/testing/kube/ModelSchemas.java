package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI schemas of the built-in kinds, derived from the fabric8 model classes (their Jackson
 * properties: the same fields kube-apiserver's schemas have, without its descriptions). Each bean
 * class becomes one named schema, referenced with $ref, named as kube-apiserver names it
 * (io.k8s.api.core.v1.Secret, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...).
 */
final class ModelSchemas {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    private static final java.util.Set<String> META = java.util.Set.of(
            "ObjectMeta",
            "ListMeta",
            "OwnerReference",
            "ManagedFieldsEntry",
            "Status",
            "StatusDetails",
            "StatusCause",
            "Condition",
            "LabelSelector",
            "LabelSelectorRequirement",
            "FieldsV1",
            "Time",
            "MicroTime");

    private ModelSchemas() {}

    /** Adds the schema of {@code type} and every class it refers to, to {@code schemas}; returns its name. */
    static String add(Class<?> type, Map<String, JsonNode> schemas) {
        String name = name(type);
        if (schemas.containsKey(name)) {
            return name;
        }
        ObjectNode s = MAPPER.createObjectNode().put("type", "object");
        schemas.put(name, s); // before the properties: recursive types refer to it
        BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
        ObjectNode props = MAPPER.createObjectNode();
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.getName().equals("additionalProperties") || !p.couldSerialize()) {
                continue;
            }
            sorted.put(p.getName(), property(p.getPrimaryType(), schemas));
        }
        sorted.forEach(props::set);
        if (!props.isEmpty()) {
            s.set("properties", props);
        }
        return name;
    }

    private static JsonNode property(JavaType t, Map<String, JsonNode> schemas) {
        Class<?> raw = t.getRawClass();
        ObjectNode s = MAPPER.createObjectNode();
        if (raw == String.class) {
            s.put("type", "string");
        } else if (raw == Integer.class || raw == int.class) {
            s.put("type", "integer").put("format", "int32");
        } else if (raw == Long.class || raw == long.class) {
            s.put("type", "integer").put("format", "int64");
        } else if (raw == Boolean.class || raw == boolean.class) {
            s.put("type", "boolean");
        } else if (raw == Double.class || raw == Float.class || raw == double.class || raw == float.class) {
            s.put("type", "number").put("format", "double");
        } else if (raw == IntOrString.class) {
            s.put("x-kubernetes-int-or-string", true);
        } else if (raw == Quantity.class) {
            s.put("type", "string");
        } else if (t.isMapLikeType()) {
            s.put("type", "object");
            s.set("additionalProperties", property(t.getContentType(), schemas));
        } else if (t.isCollectionLikeType() || t.isArrayType()) {
            s.put("type", "array");
            s.set("items", property(t.getContentType(), schemas));
        } else if (raw == Object.class
                || JsonNode.class.isAssignableFrom(raw)
                || raw.getName().endsWith(".AnyType")
                || raw.getSimpleName().equals("FieldsV1")
                || raw.getSimpleName().equals("JSONSchemaPropsOrArray")
                || raw.getSimpleName().equals("JSONSchemaPropsOrBool")
                || raw.getSimpleName().equals("JSONSchemaPropsOrStringArray")
                || raw.getSimpleName().equals("JSON")) {
            s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        } else if (raw.getName().startsWith("io.fabric8.")) {
            s.put("$ref", "#/components/schemas/" + add(raw, schemas));
        } else {
            s.put("type", "string");
        }
        return s;
    }

    /** kube-apiserver's definition name for a fabric8 model class. */
    static String name(Class<?> type) {
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (pkg.equals("io.fabric8.kubernetes.api.model") && META.contains(simple)) {
            return "io.k8s.apimachinery.pkg.apis.meta.v1." + simple;
        }
        if (pkg.equals("io.fabric8.kubernetes.api.model")) {
            return "io.k8s.api.core.v1." + simple;
        }
        String rest = pkg.substring("io.fabric8.kubernetes.api.model.".length());
        if (rest.startsWith("apiextensions")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis." + rest + "." + simple;
        }
        if (rest.equals("rbac")) {
            return "io.k8s.api.rbac.v1." + simple;
        }
        return "io.k8s.api." + rest + "." + simple;
    }
}
