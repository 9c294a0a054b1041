package io.maasops.security.chart;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Renders the chart with helm-java (`helm template`) and parses the result into Kubernetes objects.
 *
 * <p>helm-java 0.0.15 renders as Kubernetes v1.20.0 (Helm's built-in default) and has no option to
 * change that, so a chart whose Chart.yaml says {@code kubeVersion: ">=1.25.0-0"} is refused. We
 * therefore render a copy under target/ with that one line removed; {@code ChartTest} checks the
 * real Chart.yaml keeps it, and lint runs on the real chart.
 */
final class ChartRenderer {

  /** The chart, from operator/ (the tests) or from the repository root (the sandbox). */
  static final Path CHART = Files.isDirectory(Path.of("../helm/maas-security-operator"))
      ? Path.of("../helm/maas-security-operator") : Path.of("helm/maas-security-operator");
  static final String RELEASE = "maas-security-operator";
  static final String NAMESPACE = "maas-system";

  private static Path renderable;

  private ChartRenderer() {}

  static synchronized Path renderableCopy() {
    if (renderable == null) {
      Path target = CHART.toAbsolutePath().normalize().getParent().getParent().resolve("operator/target/chart-under-test/maas-security-operator");
      try {
        deleteTree(target);
        try (Stream<Path> files = Files.walk(CHART)) {
          for (Path p : files.toList()) {
            Path dest = target.resolve(CHART.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(dest);
            } else {
              Files.copy(p, dest);
            }
          }
        }
        Path chartYaml = target.resolve("Chart.yaml");
        String withoutKubeVersion = Files.readString(chartYaml).replaceAll("(?m)^kubeVersion:.*\\R", "");
        Files.writeString(chartYaml, withoutKubeVersion);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      renderable = target;
    }
    return renderable;
  }

  static String renderYaml(String namespace, Map<String, Object> values) {
    var template = new Helm(renderableCopy()).template().withName(RELEASE).withNamespace(namespace);
    values.forEach(template::set);
    return template.call();
  }

  static List<HasMetadata> render(Map<String, Object> values) {
    return render(NAMESPACE, values);
  }

  static List<HasMetadata> render(String namespace, Map<String, Object> values) {
    return parse(renderYaml(namespace, values));
  }

  @SuppressWarnings("unchecked")
  static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.stream().filter(Objects::nonNull).forEach(o -> objects.add((HasMetadata) o));
    } else if (parsed != null) {
      objects.add((HasMetadata) parsed);
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = ofType(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
