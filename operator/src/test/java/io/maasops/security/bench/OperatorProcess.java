package io.maasops.security.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its image runs it: {@code io.maasops.security.bootstrap.OperatorMain} in a JVM of
 * its own, on the runtime classpath only (main classes and runtime dependencies, no test doubles),
 * with the JVM options the Helm chart sets by default, pointed at the benchmark's Kubernetes API
 * double by a kubeconfig. Its memory is then its own: RSS and heap are read off this process,
 * Vault request counts off its {@code /metrics}.
 */
final class OperatorProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the operator and waits until {@code /readyz} answers 200.
     *
     * @param classpath the runtime classpath (main classes first)
     * @param jvmOptions options before the main class, e.g. the chart's JAVA_TOOL_OPTIONS
     */
    static OperatorProcess start(
            String classpath,
            List<String> jvmOptions,
            Path kubeconfig,
            int reconcileThreads,
            Path log,
            Duration readyWithin)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dmaasops.log.level=info");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("io.maasops.security.bootstrap.OperatorMain");
        cmd.add("--no-leader-election");
        // where the VaultIntegration's token Secret is (the chart: the release namespace)
        cmd.add("--cluster-resource-namespace=" + io.maasops.security.testing.MaasTestbed.OPERATOR_NAMESPACE);
        cmd.add("--http-port=" + port);
        cmd.add("--reconcile-threads=" + reconcileThreads);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        // the chart's, not whatever the benchmark's shell has
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().putAll(OperatorJvm.environment());
        OperatorProcess op = new OperatorProcess(pb.start(), port, log);
        long deadline = System.nanoTime() + readyWithin.toNanos();
        while (System.nanoTime() < deadline) {
            if (!op.process.isAlive()) {
                throw new IllegalStateException(
                        "operator process exited with " + op.process.exitValue() + "; see " + log);
            }
            if (op.status("/readyz") == 200) {
                return op;
            }
            TimeUnit.MILLISECONDS.sleep(100); // a benchmark's wall-clock wait, not a test
        }
        op.close();
        throw new IllegalStateException("operator not ready within " + readyWithin + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** One scrape of {@code /metrics}: sample name → labels → value. */
    Map<String, Map<Map<String, String>, Double>> scrape() throws IOException, InterruptedException {
        Map<String, Map<Map<String, String>, Double>> out = new TreeMap<>();
        for (String line : get("/metrics").split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new java.util.LinkedHashMap<>())
                    .put(labels, Double.parseDouble(m.group(4)));
        }
        return out;
    }

    /** Every sample of {@code /metrics} whose name is {@code name}, keyed by its labels. */
    Map<Map<String, String>, Double> samples(String name) throws IOException, InterruptedException {
        return scrape().getOrDefault(name, Map.of());
    }

    /** Sum of the samples of {@code name}, grouped by the value of label {@code by}. */
    Map<String, Long> sumBy(String name, String by) throws IOException, InterruptedException {
        Map<String, Long> out = new TreeMap<>();
        samples(name).forEach((labels, v) -> out.merge(labels.getOrDefault(by, ""), Math.round(v), Long::sum));
        return out;
    }

    /** Heap in use right after a full GC (jcmd GC.run, then the JVM's own gauge). */
    long heapAfterGcBytes() throws IOException, InterruptedException {
        jcmd(null, "GC.run");
        double sum = 0;
        for (var e : samples("jvm_memory_used_bytes").entrySet()) {
            if ("heap".equals(e.getKey().get("area"))) {
                sum += e.getValue();
            }
        }
        return (long) sum;
    }

    /** Writes {@code jcmd PID GC.class_histogram} (after a full GC) to {@code file}: where the heap goes. */
    void writeHistogram(Path file) throws IOException, InterruptedException {
        jcmd(file, "GC.class_histogram");
        // with -XX:NativeMemoryTracking=summary: where the rest of the RSS goes (metaspace, code, threads, GC)
        jcmd(
                file.resolveSibling(file.getFileName().toString().replace("heap-histogram", "native-memory")),
                "VM.native_memory",
                "summary");
    }

    /** Runs {@code jcmd PID command...}, its output to {@code out} (discarded when null), for at most 60 s. */
    private void jcmd(Path out, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(process.pid())));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        pb.start().waitFor(60, TimeUnit.SECONDS);
    }

    /** CPU time (user + system) the operator's process has used so far, from /proc/PID/stat. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    /** A field of /proc/PID/status in bytes (kB fields) or as a count. */
    long procStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                long v = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return line.endsWith("kB") ? v * 1024 : v;
            }
        }
        return -1;
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The HTTP status of {@code path}, 0 while nothing listens. */
    private int status(String path) throws InterruptedException {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the operator's shutdown hook stops it cleanly
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
