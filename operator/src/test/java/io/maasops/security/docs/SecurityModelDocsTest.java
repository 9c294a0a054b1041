package io.maasops.security.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's security claims are docs/security-model.md's "In brief", word for word, and every
 * test that page names as proof exists.
 */
class SecurityModelDocsTest {

    static final Path ROOT = Path.of("..");

    @Test
    void readmeRepeatsTheSecurityModelWordForWord() throws Exception {
        String model = Files.readString(ROOT.resolve("docs/security-model.md"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        String brief = model.substring(model.indexOf("## In brief"), model.indexOf("## Actors"));
        List<String> claims = new ArrayList<>();
        for (String line : brief.split("\n")) {
            if (line.matches("\\d+\\. .*")) {
                claims.add(line);
            }
        }
        assertThat(claims).hasSizeGreaterThanOrEqualTo(7);
        for (String claim : claims) {
            assertThat(readme).as("README repeats: " + claim).contains(claim);
        }
        assertThat(readme).contains("docs/security-model.md");
    }

    @Test
    void everyTestTheSecurityModelCitesExists() throws Exception {
        String model = Files.readString(ROOT.resolve("docs/security-model.md"));
        Matcher m = Pattern.compile(
                        "`((?:e2e|vault|chart|api|controller|concern|regionhost|reliability|maas|tls|util)(?:/[a-z]+)?/[A-Z][A-Za-z]+)(?:#([A-Za-z0-9_]+)…?)?`")
                .matcher(model);
        int cited = 0;
        while (m.find()) {
            Path source = Path.of("src/test/java/io/maasops/security", m.group(1) + ".java");
            assertThat(source).as("cited in docs/security-model.md").exists();
            if (m.group(2) != null) {
                assertThat(Files.readString(source)).as(m.group(0)).contains("void " + m.group(2));
            }
            cited++;
        }
        assertThat(cited).isGreaterThanOrEqualTo(10);
    }
}
