package io.maasops.security.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The facts the code relies on live in the repository (issue 18): every citation of a reference document names
 * {@code docs/reference/<file>.md}, that file exists, and each {@code §n} cited after it is a numbered heading
 * there. Nothing points outside the repository ({@code ../shared}) or at the workspace documents' old names.
 */
class ReferenceCitationTest {

    static final Path REPO = Path.of("..");
    static final Path REFERENCE = REPO.resolve("docs/reference");
    /** Where citations are checked: the sources, the chart, the docs and the README. */
    static final List<String> SCANNED = List.of("operator/src", "helm", "docs", "README.md");

    static final Set<String> TEXT =
            Set.of("java", "md", "yaml", "yml", "tpl", "txt", "hcl", "lua", "json", "properties");

    /** Names of the workspace documents that never were in the repository (split so this file does not cite them). */
    static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared|shared/reference|josdk-" + "notes|vault-policy-"
            + "parameters|(?<![\\w/-])maas-internals(?![\\w.-])");
    /** A reference document's name, with or without its directory. */
    static final Pattern NAME = Pattern.compile(
            "(?<![\\w-])(vault-api|maas-internals|josdk|vault-acl-parameters|maas-versions)\\.md(?![\\w-])|(?<![\\w/-])vault-api(?![\\w.-])");
    /** {@code docs/reference/x.md} and the section list that follows it: "§2.1", "§2–§5, §7", "§1.2 and §8". */
    static final Pattern CITATION =
            Pattern.compile("docs/reference/([\\w-]+\\.md)((?:\\s*(?:,|and|[–-])?\\s*§\\d+(?:\\.\\d+)*)*)");

    static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)*)");
    /** A numbered heading: "## 6.", "### 6.2 ...". */
    static final Pattern HEADING = Pattern.compile("^#{2,4} (\\d+(?:\\.\\d+)*)[. ]", Pattern.MULTILINE);

    @Test
    void everyReferenceCitationPointsIntoDocsReferenceAtASectionThatExists() throws IOException {
        List<String> wrong = new ArrayList<>();
        Map<String, Set<String>> sections = new TreeMap<>();
        int citations = 0;
        for (Path file : scannedFiles()) {
            String rel = REPO.relativize(file).toString().replace('\\', '/');
            String text = Files.readString(file, StandardCharsets.UTF_8);
            boolean inReference = rel.startsWith("docs/reference/");
            for (int n : lines(text, OUTSIDE)) {
                wrong.add(rel + ":" + n + ": cites a document outside docs/reference/");
            }
            Matcher name = NAME.matcher(text);
            while (name.find()) {
                boolean prefixed = text.startsWith("docs/reference/", Math.max(0, name.start() - 15));
                if (!prefixed && !inReference) {
                    wrong.add(rel + ":" + lineOf(text, name.start()) + ": '" + name.group()
                            + "' without docs/reference/");
                }
            }
            Matcher c = CITATION.matcher(text);
            while (c.find()) {
                citations++;
                String doc = c.group(1);
                Set<String> known = sections.computeIfAbsent(doc, ReferenceCitationTest::sectionsOf);
                if (known == null) {
                    wrong.add(rel + ":" + lineOf(text, c.start()) + ": docs/reference/" + doc + " does not exist");
                    sections.remove(doc);
                    continue;
                }
                Matcher s = SECTION.matcher(c.group(2));
                while (s.find()) {
                    if (!known.contains(s.group(1))) {
                        wrong.add(rel + ":" + lineOf(text, c.start()) + ": docs/reference/" + doc + " has no §"
                                + s.group(1));
                    }
                }
            }
        }
        assertThat(citations).as("citations found").isGreaterThan(50);
        assertThat(wrong).isEmpty();
    }

    @Test
    void theCheckSeesEachKindOfWrongCitation() {
        assertThat(OUTSIDE.matcher("see ../shared/reference/x.md").find()).isTrue();
        assertThat(OUTSIDE.matcher("(maas-internals §5)").find()).isTrue();
        assertThat(OUTSIDE.matcher("docs/reference/maas-internals.md §5").find())
                .isFalse();
        assertThat(NAME.matcher("(vault-api rules: exact)").find()).isTrue();
        Matcher c = CITATION.matcher("(docs/reference/vault-api.md §2–§5, §7 and §10.4).");
        assertThat(c.find()).isTrue();
        assertThat(SECTION.matcher(c.group(2)).results().map(m -> m.group(1))).containsExactly("2", "5", "7", "10.4");
        assertThat(sectionsOf("vault-api.md")).contains("1", "1.2", "6.3", "10");
    }

    /** The numbered headings of docs/reference/{doc} and their prefixes, or null when it does not exist. */
    static Set<String> sectionsOf(String doc) {
        Path file = REFERENCE.resolve(doc);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Set<String> found = new HashSet<>();
            HEADING.matcher(Files.readString(file, StandardCharsets.UTF_8))
                    .results()
                    .forEach(m -> found.add(m.group(1)));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> scannedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : SCANNED) {
            Path p = REPO.resolve(root);
            if (Files.isRegularFile(p)) {
                files.add(p);
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> TEXT.contains(extension(f)))
                        .filter(f -> !f.getFileName().toString().equals("ReferenceCitationTest.java"))
                        .forEach(files::add);
            }
        }
        return files;
    }

    static String extension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    static List<Integer> lines(String text, Pattern p) {
        List<Integer> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(lineOf(text, m.start()));
        }
        return out;
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
