package io.maasops.security.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.maasops.security.testing.kube.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example is accepted by the generated CRDs; every entry of the bad-input catalogue is refused. */
class SchemaTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    static final SchemaValidator VALIDATOR = SchemaValidator.forGeneratedCrds();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Arguments> exampleDocuments() throws IOException {
        List<Arguments> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
                    var it = YAML.readValues(parser, JsonNode.class);
                    int i = 0;
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isEmpty()) {
                            docs.add(Arguments.of(EXAMPLES.relativize(f) + "#" + i++, doc));
                        }
                    }
                }
            }
        }
        return docs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleDocuments")
    void everyExampleIsValid(String name, JsonNode doc) {
        if (!doc.path("apiVersion").asText().startsWith("security.maasops.io/")) {
            return; // Secrets and other core objects
        }
        assertThat(VALIDATOR.validate(doc)).as(name).isEmpty();
    }

    @Test
    void examplesCoverEveryKindAndEveryRole() throws IOException {
        List<String> kinds = exampleDocuments()
                .map(a -> ((JsonNode) a.get()[1]))
                .map(d -> d.path("kind").asText()
                        + (d.path("spec").has("role")
                                ? ":" + d.path("spec").path("role").asText()
                                : ""))
                .toList();
        assertThat(kinds)
                .contains(
                        "VaultIntegration",
                        "MaasRegion",
                        "RoleBinding:Administrator",
                        "RoleBinding:Operator",
                        "RoleBinding:User",
                        "RoleBinding:Auditor");
    }

    static Stream<Arguments> badInput() {
        return BadInputCatalogue.SCHEMA.stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void schemaRefusesBadInput(String name, BadInputCatalogue.Case c) throws IOException {
        List<String> problems = VALIDATOR.validate(YAML.readTree(c.yaml()));
        assertThat(problems).as(name).isNotEmpty();
        assertThat(String.join("\n", problems)).as(name).containsIgnoringCase(c.expect());
    }
}
