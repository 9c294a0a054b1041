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
public final class ChartRenderer {

    /** The chart, from operator/ (the tests) or from the repository root (the sandbox). */
    static final Path CHART = Files.isDirectory(Path.of("../helm/maas-security-operator"))
            ? Path.of("../helm/maas-security-operator")
            : Path.of("helm/maas-security-operator");

    static final String RELEASE = "maas-security-operator";
    static final String NAMESPACE = "maas-system";

    private static Path renderable;

    private ChartRenderer() {}

    static synchronized Path renderableCopy() {
        if (renderable == null) {
            Path target = CHART.toAbsolutePath()
                    .normalize()
                    .getParent()
                    .getParent()
                    // one copy per JVM: surefire's forks render at the same time
                    .resolve("operator/target/chart-under-test-"
                            + ProcessHandle.current().pid() + "/maas-security-operator");
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

    /**
     * Set (system property) in long-running processes that must stop on Ctrl-C or SIGTERM, e.g. the
     * sandbox: helm-java's native library is Go, and once the Go runtime is loaded into a JVM the
     * JVM no longer reacts to SIGINT, SIGTERM or SIGQUIT. The chart is then rendered by a short-lived JVM.
     */
    public static final String OUT_OF_PROCESS = "maasops.chart.renderOutOfProcess";

    static String renderYaml(String namespace, Map<String, Object> values) {
        if (Boolean.getBoolean(OUT_OF_PROCESS)) {
            return renderInChildJvm(namespace, values);
        }
        var template = new Helm(renderableCopy()).template().withName(RELEASE).withNamespace(namespace);
        values.forEach(template::set);
        return template.call();
    }

    /** Renders in this JVM and prints the YAML: {@code ChartRenderer NAMESPACE [key=value...]}. */
    public static void main(String[] args) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        System.out.print(renderYaml(args[0], values));
        System.out.flush();
        Runtime.getRuntime().halt(0); // the Go runtime's threads would keep the JVM alive
    }

    private static String renderInChildJvm(String namespace, Map<String, Object> values) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Djna.tmpdir=" + System.getProperty("jna.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp",
                classpath(),
                ChartRenderer.class.getName(),
                namespace));
        values.forEach((k, v) -> cmd.add(k + "=" + v));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "rendering the chart in a child JVM failed: exit " + (p.isAlive() ? "none" : p.exitValue()));
            }
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The test classpath, also under exec:java (Maven's JVM, where it is a class loader's URLs, not java.class.path). */
    private static String classpath() {
        if (ChartRenderer.class.getClassLoader() instanceof java.net.URLClassLoader urls) {
            List<String> paths = new ArrayList<>();
            for (java.net.URL u : urls.getURLs()) {
                try {
                    paths.add(Path.of(u.toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(java.io.File.pathSeparator, paths);
        }
        return System.getProperty("java.class.path");
    }

    public static List<HasMetadata> render(Map<String, Object> values) {
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

    public static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
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
