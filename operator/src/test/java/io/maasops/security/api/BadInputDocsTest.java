package io.maasops.security.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/bad-input.md lists every case of both catalogues, and there are at least 40 in all. */
class BadInputDocsTest {

  @Test
  void docsListEveryCase() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "bad-input.md"));
    for (var c : BadInputCatalogue.SCHEMA) {
      assertThat(doc).as("docs/bad-input.md lists the schema case").contains("| " + c.name() + " |");
    }
    for (var c : SemanticBadInput.CASES) {
      assertThat(doc).as("docs/bad-input.md lists the semantic case").contains("| " + c.name() + " |");
    }
    assertThat(BadInputCatalogue.SCHEMA.size() + SemanticBadInput.CASES.size()).isGreaterThanOrEqualTo(40);
  }
}
