package io.maasops.security.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/bad-input.md is exactly what the two catalogues generate, and there are at least 40 cases in all. */
class BadInputDocsTest {

    static final Path DOC = Path.of("..", "docs", "bad-input.md");

    @Test
    void docsAreGeneratedFromTheCatalogues() throws Exception {
        String generated = BadInputDocs.render();
        if (System.getProperty("refresh-docs") != null) {
            Files.writeString(DOC, generated);
        }
        assertThat(Files.readString(DOC))
                .as("docs/bad-input.md differs from the catalogues; refresh with "
                        + "mvn -B -q -pl operator test -Dtest=BadInputDocsTest -Drefresh-docs")
                .isEqualTo(generated);
        for (var c : SemanticBadInput.CASES) {
            assertThat(generated).contains("| " + c.name() + " |");
        }
        assertThat(BadInputCatalogue.SCHEMA.size() + SemanticBadInput.CASES.size())
                .isGreaterThanOrEqualTo(40);
    }
}
