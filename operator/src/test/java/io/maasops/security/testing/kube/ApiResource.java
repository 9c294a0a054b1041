package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One resource type the double serves, as discovery, OpenAPI, Tables and validation need it: a
 * built-in one ({@link BuiltInKinds}, with its fabric8 model class) or one version of a CRD (with
 * its schema and printer columns).
 *
 * @param model the fabric8 class (built-ins), null for custom resources
 * @param schema the CRD version's openAPIV3Schema, null for built-ins
 * @param statusSubresource the CRD version has the status subresource
 */
record ApiResource(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> verbs,
        Class<? extends HasMetadata> model,
        List<Column> columns,
        List<String> subresourceNames,
        JsonNode schema,
        boolean statusSubresource) {

    ApiResource(
            String group,
            String version,
            String plural,
            String singular,
            String kind,
            boolean namespaced,
            List<String> shortNames,
            List<String> categories,
            List<String> verbs,
            Class<? extends HasMetadata> model,
            List<Column> columns,
            List<String> subresourceNames) {
        this(
                group,
                version,
                plural,
                singular,
                kind,
                namespaced,
                shortNames,
                categories,
                verbs,
                model,
                columns,
                subresourceNames,
                null,
                false);
    }

    /**
     * A Table column: CRD additionalPrinterColumns (jsonPath) or a built-in printer's (value).
     */
    record Column(
            String name,
            String type,
            String format,
            String description,
            int priority,
            String jsonPath,
            Function<JsonNode, Object> value) {}

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    boolean custom() {
        return schema != null;
    }

    /** "api/v1" or "apis/group/version": the OpenAPI v3 path of the group-version. */
    String openApiPath() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    /** The served versions of a CRD (JSON, as stored), generically: names, scope, columns and schema from the CRD. */
    static List<ApiResource> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        List<ApiResource> out = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : v.path("additionalPrinterColumns")) {
                columns.add(new Column(
                        c.path("name").asText(),
                        c.path("type").asText("string"),
                        c.path("format").asText(""),
                        c.path("description")
                                .asText("Custom resource definition column (in JSONPath format): "
                                        + c.path("jsonPath").asText()),
                        c.path("priority").asInt(0),
                        c.path("jsonPath").asText(),
                        null));
            }
            boolean status = v.path("subresources").has("status");
            List<String> subs = status ? List.of("status") : List.of();
            out.add(new ApiResource(
                    spec.path("group").asText(),
                    v.path("name").asText(),
                    names.path("plural").asText(),
                    names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                    names.path("kind").asText(),
                    "Namespaced".equals(spec.path("scope").asText()),
                    strings(names.path("shortNames")),
                    strings(names.path("categories")),
                    BuiltInKinds.ALL_VERBS,
                    null,
                    columns,
                    subs,
                    v.path("schema").path("openAPIV3Schema"),
                    status));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
