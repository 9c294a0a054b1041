package io.maasops.security.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the benchmark starts the operator's JVM: the runtime classpath Maven resolved (main classes
 * and runtime-scope dependencies: what the image holds) and the JVM options of the Helm chart's
 * defaults ({@code operator.javaToolOptions}), with {@code -XX:MaxRAM} set to the chart's memory
 * limit so heap ergonomics see what they would see in the pod.
 */
final class OperatorJvm {

    static final Path VALUES = Path.of("helm", "maas-security-operator", "values.yaml");

    private OperatorJvm() {}

    /** target/classes + the file written by dependency:build-classpath (set by the bench profile). */
    static String classpath() throws IOException {
        String classes = System.getProperty("bench.mainClasses");
        String file = System.getProperty("bench.runtimeClasspathFile");
        if (classes == null || file == null) {
            throw new IllegalStateException(
                    "run through the bench profile: it sets bench.mainClasses and bench.runtimeClasspathFile");
        }
        return classes
                + java.io.File.pathSeparator
                + Files.readString(Path.of(file)).trim();
    }

    /** -XX:MaxRAM=(chart memory limit) followed by the chart's default JAVA_TOOL_OPTIONS. */
    static List<String> options() throws IOException {
        JsonNode values = new YAMLMapper().readTree(VALUES.toFile());
        List<String> out = new ArrayList<>();
        String limit = values.path("resources").path("limits").path("memory").asText("");
        if (limit.endsWith("Mi")) {
            out.add("-XX:MaxRAM=" + limit.substring(0, limit.length() - 2) + "m");
        } else if (limit.endsWith("Gi")) {
            out.add("-XX:MaxRAM=" + limit.substring(0, limit.length() - 2) + "g");
        }
        String tool = values.path("operator").path("javaToolOptions").asText("");
        Arrays.stream(tool.trim().split("\\s+")).filter(o -> !o.isEmpty()).forEach(out::add);
        return out;
    }

    /** The chart's environment for the JVM beyond its options: MALLOC_ARENA_MAX ({@code operator.mallocArenaMax}). */
    static java.util.Map<String, String> environment() throws IOException {
        JsonNode values = new YAMLMapper().readTree(VALUES.toFile());
        String arenas = values.path("operator").path("mallocArenaMax").asText("");
        return arenas.isEmpty() ? java.util.Map.of() : java.util.Map.of("MALLOC_ARENA_MAX", arenas);
    }

    /** Micrometer's Prometheus name of a dotted meter name. */
    static String prometheusName(String meter) {
        return meter.replace('.', '_');
    }
}
