package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a custom resource against the generated CRDs as an API server would: the OpenAPI
 * schema (with JSON Schema), unknown fields (like `kubectl apply --validate=strict`), and every
 * x-kubernetes-validations CEL rule (with cel-java). The mock API server does none of this.
 */
public final class SchemaValidator {

    private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final Map<String, JsonNode> schemasByKind = new LinkedHashMap<>();

    public SchemaValidator(List<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            var version = crd.getSpec().getVersions().get(0);
            schemasByKind.put(
                    crd.getSpec().getGroup() + "/" + version.getName() + "/"
                            + crd.getSpec().getNames().getKind(),
                    Serialization.jsonMapper().valueToTree(version.getSchema().getOpenAPIV3Schema()));
        }
    }

    public static SchemaValidator forGeneratedCrds() {
        return new SchemaValidator(KubeApiDouble.generatedCrds());
    }

    /** @return the problems, empty when the object would be accepted */
    public List<String> validate(JsonNode object) {
        String kind =
                object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        JsonNode schema = schemasByKind.get(kind);
        if (schema == null) {
            return List.of("no CRD for " + kind);
        }
        List<String> problems = new ArrayList<>();
        JsonNode strict = strict(schema.deepCopy());
        for (ValidationMessage m : JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(strict)
                .validate(object)) {
            problems.add(m.getMessage());
        }
        if (problems.isEmpty()) {
            cel(schema, object, "", problems);
        }
        return problems;
    }

    /** Unknown fields are errors below spec (metadata is free-form in CRD schemas). */
    private static JsonNode strict(JsonNode schema) {
        JsonNode spec = schema.path("properties").path("spec");
        if (spec instanceof ObjectNode o) {
            closeObjects(o);
        }
        return schema;
    }

    private static void closeObjects(ObjectNode node) {
        if (node.has("properties")) {
            node.put("additionalProperties", false);
            node.get("properties").forEach(child -> {
                if (child instanceof ObjectNode c) {
                    closeObjects(c);
                }
            });
        }
        if (node.get("items") instanceof ObjectNode items) {
            closeObjects(items);
        }
    }

    private static void cel(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expr = rule.path("rule").asText();
            try {
                CelAbstractSyntaxTree ast = CEL.compile(expr).getAst();
                Object result = RUNTIME.createProgram(ast).eval(Map.of("self", CrdValidation.toCel(value)));
                if (!Boolean.TRUE.equals(result)) {
                    problems.add((path.isEmpty() ? "<root>" : path) + ": "
                            + rule.path("message").asText(expr));
                }
            } catch (Exception e) {
                problems.add((path.isEmpty() ? "<root>" : path) + ": rule '" + expr + "' failed: " + e.getMessage());
            }
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            schema.path("properties").fields();
                    it.hasNext(); ) {
                var e = it.next();
                cel(e.getValue(), value.get(e.getKey()), path + "." + e.getKey(), problems);
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                cel(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }
}
