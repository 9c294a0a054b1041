import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finishes the CRDs fabric8's generator wrote, with two things it drops (crd-generator 7.5.2):
 * <ul>
 *   <li>printer columns in the order the kind's class declares them (the generator sorts them by
 *       jsonPath, which puts AGE first and READY last; kubectl prints them in the CRD's order);</li>
 *   <li>the kind's own description (the class's javadoc), which {@code kubectl explain KIND} shows;
 *       the generator only carries field descriptions.</li>
 * </ul>
 * Run by the build at process-classes on the generated files in place, as a single-file program
 * (java CrdPresentation.java SOURCE_DIR CRD_DIR [COPY_DIRS]), so it never becomes part of the operator;
 * COPY_DIRS (separated like a class path) receive copies of the finished files (-Drefresh-crds).
 * Text in, text out: the generator's YAML layout is kept byte for byte apart from these two changes.
 */
public class CrdPresentation {

  private static final Pattern KIND = Pattern.compile("@Kind\\(\"(\\w+)\"\\)");
  private static final Pattern COLUMN = Pattern.compile("@AdditionalPrinterColumn\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(?:@|public)", Pattern.DOTALL);

  public static void main(String[] args) throws IOException {
    Path sources = Path.of(args[0]);
    Path crds = Path.of(args[1]);
    int done = 0;
    try (var files = Files.list(sources)) {
      for (Path source : files.sorted().toList()) {
        String java = Files.readString(source);
        Matcher kind = KIND.matcher(java);
        if (!kind.find()) {
          continue;
        }
        Path crd = findCrd(crds, kind.group(1));
        String yaml = Files.readString(crd);
        String finished = withDescription(withColumnOrder(yaml, columns(java)), description(java));
        Files.writeString(crd, finished);
        done++;
      }
    }
    if (done == 0) {
      throw new IllegalStateException("no kind found under " + sources);
    }
    String copyTo = args.length > 2 ? args[2].strip() : "";
    for (String dir : copyTo.isEmpty() ? new String[0] : copyTo.split(java.io.File.pathSeparator)) {
      try (var files = Files.list(crds)) {
        for (Path crd : files.toList()) {
          Files.copy(crd, Path.of(dir).resolve(crd.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static List<String> columns(String java) {
    List<String> names = new ArrayList<>();
    Matcher m = COLUMN.matcher(java);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The class javadoc as one line: leading stars, tags and line breaks removed. */
  static String description(String java) {
    Matcher m = JAVADOC.matcher(java);
    if (!m.find()) {
      throw new IllegalStateException("the kind's class has no javadoc to describe it");
    }
    String text = m.group(1).replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("\\{@\\w+\\s+([^}]*)}", "$1");
    return text.replaceAll("\\s+", " ").strip();
  }

  static Path findCrd(Path dir, String kind) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (Files.readString(p).contains("\n    kind: \"" + kind + "\"\n")) {
          return p;
        }
      }
    }
    throw new IllegalStateException("no generated CRD for kind " + kind + " in " + dir);
  }

  /** Reorders the blocks under additionalPrinterColumns (each starts with "    - jsonPath:"). */
  static String withColumnOrder(String yaml, List<String> order) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int start = lines.indexOf("  - additionalPrinterColumns:") + 1;
    if (start == 0) {
      throw new IllegalStateException("no additionalPrinterColumns in the generated CRD");
    }
    List<List<String>> blocks = new ArrayList<>();
    int i = start;
    while (i < lines.size() && lines.get(i).startsWith("    - jsonPath:")) {
      List<String> block = new ArrayList<>();
      block.add(lines.get(i++));
      while (i < lines.size() && lines.get(i).startsWith("      ")) {
        block.add(lines.get(i++));
      }
      blocks.add(block);
    }
    if (blocks.size() != order.size()) {
      throw new IllegalStateException("the CRD has " + blocks.size() + " printer columns, the class declares " + order);
    }
    List<String> sorted = new ArrayList<>();
    for (String name : order) {
      List<String> block = blocks.stream().filter(b -> b.contains("      name: \"" + name + "\"")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no printer column " + name + " in the generated CRD"));
      sorted.addAll(block);
    }
    List<String> out = new ArrayList<>(lines.subList(0, start));
    out.addAll(sorted);
    out.addAll(lines.subList(i, lines.size()));
    return String.join("\n", out) + (yaml.endsWith("\n") ? "\n" : "");
  }

  /** Puts the kind's description first under openAPIV3Schema (replacing one a previous run wrote). */
  static String withDescription(String yaml, String description) {
    String anchor = "      openAPIV3Schema:\n";
    int at = yaml.indexOf(anchor);
    if (at < 0) {
      throw new IllegalStateException("no openAPIV3Schema in the generated CRD");
    }
    int after = at + anchor.length();
    String line = "        description: \"" + description.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
    String rest = yaml.substring(after);
    if (rest.startsWith("        description: ")) {
      rest = rest.substring(rest.indexOf('\n') + 1);
    }
    return yaml.substring(0, after) + line + rest;
  }
}
