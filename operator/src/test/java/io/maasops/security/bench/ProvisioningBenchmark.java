package io.maasops.security.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.tls.LocalTlsServer;
import io.maasops.security.testing.tls.TestCertificates;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.tls.EndpointCertificateProbe;
import io.maasops.security.tls.TrustAnchors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 11's benchmark: N simulated region hosts provisioned by the operator, one size after
 * another; writes BENCHMARKS.md with every figure beside its goal. Not a test: run it with
 * {@code mvn -B -q -Pbench package -DskipTests -Dbench.args="--sizes 10,100,1000"}.
 *
 * <p>The operator runs as its image runs it, in a process of its own ({@link OperatorProcess},
 * {@link OperatorJvm}): its RSS and heap are its own, and its Vault requests are read off its
 * {@code /metrics} ({@code maasops_vault_requests_total}, {@code maasops_vault_logins_total}). The
 * doubles stay in this JVM; the region hosts share one SSH server ({@code SharedSshFront}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Provisioning benchmark against the doubles; writes BENCHMARKS.md.")
public final class ProvisioningBenchmark implements Callable<Integer> {

    static final String INTEGRATION = "maas";

    @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000", description = "Region counts, one run each.")
    List<Integer> sizes;

    @Option(
            names = "--threads",
            defaultValue = "10",
            description = "Operator reconcile threads (the chart's default is 10).")
    int threads;

    @Option(names = "--timeout", defaultValue = "300s", description = "Longest wait for all Ready, per size.")
    String timeout;

    @Option(names = "--probe-concurrency", defaultValue = "16", description = "Certificate probes in flight at once.")
    int probeConcurrency;

    @Option(
            names = "--operator-jvm-option",
            description = "Extra JVM option for the operator's process (repeatable), e.g. a profiler.")
    List<String> extraJvmOptions = new ArrayList<>();

    @Option(names = "--output", defaultValue = "BENCHMARKS.md", description = "Where the report goes.")
    Path output;

    public static void main(String[] args) {
        // quieten the mock API server's per-request INFO lines even when started without the bench
        // profile's logging properties (e.g. from an IDE)
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        System.exit(new CommandLine(new ProvisioningBenchmark()).execute(args));
    }

    /** One size's figures; -1 / null where a step could not run (the reason is in {@code note}). */
    static final class Result {
        int regions;
        long readyMillis = -1;
        /** Milliseconds until 50, 90 and 99 % of the N+1 resources were Ready (-1: not reached). */
        long[] readyPercentileMillis = {-1, -1, -1};

        boolean allReady;
        Map<String, Long> provisionOps = new TreeMap<>();
        long provisionOperatorRequests;
        long provisionReconciles = -1;
        long provisionIntegrationReconciles = -1;
        long createdMillis = -1;
        long provisionTotalDoubleRequests;
        long logins;
        long resyncWrites = -1;
        long resyncReads = -1;
        Map<String, Long> resyncOps = new TreeMap<>();
        /** The operator's Kubernetes API requests while provisioning, by verb and resource. */
        Map<String, Long> provisionKubeRequests = new TreeMap<>();
        /** Commands the region hosts received while provisioning, by program (first two words). */
        Map<String, Long> provisionCommands = new TreeMap<>();

        long heapAfterGcBytes;
        long rssBytes;
        long rssPeakBytes;
        long operatorCpuMillis = -1;
        long doublesCpuMillis = -1;
        long operatorPid;
        int threadsLive;
        long certMillis = -1;
        int certOk;
        String note = "";
    }

    @Override
    public Integer call() throws Exception {
        Duration limit = io.maasops.security.util.Durations.parse(timeout);
        List<Result> results = new ArrayList<>();
        for (int n : sizes) {
            System.out.println("bench: " + n + " regions ...");
            Result r;
            try {
                r = runSize(n, limit);
            } catch (Throwable e) { // an OutOfMemoryError or a host that cannot start is a result too
                r = new Result();
                r.regions = n;
                r.note = "did not complete: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            results.add(r);
            System.out.println("bench: " + n + " regions: " + summary(r));
            System.gc();
        }
        Path out = output.isAbsolute()
                ? output
                : Path.of(System.getProperty("user.dir")).resolve(output);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, BenchmarkReport.render(results, jvmOptions(), threads, probeConcurrency));
        System.out.println("bench: wrote " + out);
        return 0;
    }

    private List<String> jvmOptions() throws IOException {
        List<String> all = new ArrayList<>(OperatorJvm.options());
        all.addAll(extraJvmOptions);
        return all;
    }

    private static String summary(Result r) {
        return r.allReady
                ? "Ready in " + r.readyMillis + " ms, " + r.provisionOperatorRequests + " operator Vault requests"
                : "NOT all Ready " + r.note;
    }

    Result runSize(int n, Duration limit) throws Exception {
        Result r = new Result();
        r.regions = n;
        String ns = "bench";
        Path work = Files.createDirectories(Path.of("operator", "target", "bench"));
        try (KubeApiDouble api = KubeApiDouble.start();
                MaasTestbed testbed = MaasTestbed.startSharedSsh(n);
                KubernetesClient k8s = benchClient(api)) {
            for (String name : List.of(ns)) { // the release namespace is there already
                k8s.namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                        .create();
            }
            testbed.applySecrets(k8s, ns);
            // the operator as the chart installs it: its ServiceAccount, with the chart's RBAC
            Path kubeconfig = api.writeOperatorKubeconfig(work.resolve("kubeconfig-" + n));
            try (ReadyTracker ready = new ReadyTracker(api, ns);
                    OperatorProcess operator = OperatorProcess.start(
                            OperatorJvm.classpath(),
                            jvmOptions(),
                            kubeconfig,
                            threads,
                            work.resolve("operator-" + n + ".log"),
                            Duration.ofSeconds(60))) {
                r.operatorPid = operator.pid();
                testbed.vault().clearRequests();
                api.resetRecordedAccess();
                int[] commandsBefore = testbed.hosts().stream()
                        .mapToInt(h -> h.commandLog().size())
                        .toArray();
                var os = (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long operatorCpuStart = operator.cpuMillis();
                long benchCpuStart = os.getProcessCpuTime() / 1_000_000;
                // the objects are built before the clock starts: what is timed is what `kubectl apply` would send
                var integration = testbed.integration(INTEGRATION, ns);
                List<MaasRegion> regions = testbed.hosts().stream()
                        .map(h -> testbed.region(h.hostname(), INTEGRATION))
                        .toList();
                long start = System.nanoTime();
                k8s.resource(integration).inNamespace(ns).create();
                for (MaasRegion region : regions) {
                    k8s.resource(region).inNamespace(ns).create();
                }
                r.createdMillis = (System.nanoTime() - start) / 1_000_000;
                long deadline = start + limit.toNanos();
                int[] percentiles = {50, 90, 99};
                int notReady;
                while ((notReady = ready.notReady(n + 1)) > 0 && System.nanoTime() < deadline) {
                    recordPercentiles(r, percentiles, n + 1 - notReady, n + 1, start);
                    Thread.sleep(250); // polling a wall-clock benchmark (the API double's store), not a test
                }
                recordPercentiles(r, percentiles, n + 1 - notReady, n + 1, start);
                int missing = ready.notReady(n + 1);
                r.allReady = missing == 0;
                r.readyMillis = (System.nanoTime() - start) / 1_000_000;
                r.operatorCpuMillis = operator.cpuMillis() - operatorCpuStart;
                r.doublesCpuMillis = os.getProcessCpuTime() / 1_000_000 - benchCpuStart;
                if (!r.allReady) {
                    r.note = missing + " of " + (n + 1) + " resources not Ready after " + limit.toSeconds() + " s";
                }
                // let trailing reconciles (status echoes) finish before counting
                quiesce(operator);
                r.provisionOps = operatorRequests(operator);
                r.provisionOperatorRequests = r.provisionOps.values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                r.provisionTotalDoubleRequests = testbed.vault().requests().size();
                r.logins = logins(operator);
                r.provisionReconciles = regionReconciles(operator);
                r.provisionIntegrationReconciles = reconciles(operator, "vaultintegration");
                api.requestCounts().forEach((e, c) -> {
                    if (!BENCH_USER_AGENT.equals(e.userAgent())) {
                        r.provisionKubeRequests.merge(e.access().toString(), c, Long::sum);
                    }
                });
                for (int i = 0; i < commandsBefore.length; i++) {
                    List<String> log = testbed.hosts().get(i).commandLog();
                    for (String line : log.subList(commandsBefore[i], log.size())) {
                        r.provisionCommands.merge(program(line), 1L, Long::sum);
                    }
                }

                if (r.allReady) {
                    // a steady state: past the window in which a just-written role is not read again
                    Thread.sleep(io.maasops.security.concern.approle.RecentRoleChecks.FRESH
                            .plusSeconds(2)
                            .toMillis());
                    Map<String, Long> before = operatorRequests(operator);
                    long reconcilesBefore = regionReconciles(operator);
                    int vaultLogBefore = testbed.vault().requests().size();
                    String patch = "{\"metadata\":{\"annotations\":{\"bench.maasops.io/resync\":\"" + System.nanoTime()
                            + "\"}}}";
                    k8s.resources(VaultIntegration.class)
                            .inNamespace(ns)
                            .withName(INTEGRATION)
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                    // every region reconciles once: wait until the reconcile counter has moved by n, then quiesce
                    long resyncDeadline = System.nanoTime() + limit.toNanos();
                    while (System.nanoTime() < resyncDeadline && regionReconciles(operator) - reconcilesBefore < n) {
                        Thread.sleep(50);
                    }
                    long seen = regionReconciles(operator) - reconcilesBefore;
                    quiesce(operator);
                    Map<String, Long> after = operatorRequests(operator);
                    after.forEach((op, c) -> {
                        long d = c - before.getOrDefault(op, 0L);
                        if (d > 0) {
                            r.resyncOps.put(op, d);
                        }
                    });
                    // writes as Vault counts them (HTTP requests that change state): in a steady state nobody else
                    // writes, and an ensure_* that finds its mount only lists
                    r.resyncWrites = testbed.vault().requests().stream()
                            .skip(vaultLogBefore)
                            .filter(ProvisioningBenchmark::changesVault)
                            .count();
                    // region reads; the integration's own periodic Vault check (health, mounts, policy) may fall in
                    // the window too: a fixed cost per integration, shown apart in the operations line
                    r.resyncReads = r.resyncOps.entrySet().stream()
                            .filter(e -> !VaultOperations.isWrite(e.getKey())
                                    && !VaultOperations.isIntegrationSetUp(e.getKey()))
                            .mapToLong(Map.Entry::getValue)
                            .sum();
                    if (seen < n) {
                        r.note += " resync: only " + seen + " region reconciles seen;";
                    }
                }
                r.heapAfterGcBytes = operator.heapAfterGcBytes();
                operator.writeHistogram(work.resolve("operator-" + n + "-heap-histogram.txt"));
                r.rssBytes = operator.procStatus("VmRSS");
                r.rssPeakBytes = operator.procStatus("VmHWM");
                r.threadsLive = (int) operator.procStatus("Threads");
            }
        }
        certificateChecks(r, n);
        return r;
    }

    /** Notes the first time the Ready share reached each percentile: shows whether a tail of stragglers sets the total. */
    private static void recordPercentiles(Result r, int[] percentiles, int ready, int total, long start) {
        for (int i = 0; i < percentiles.length; i++) {
            if (r.readyPercentileMillis[i] < 0 && ready * 100L >= (long) percentiles[i] * total) {
                r.readyPercentileMillis[i] = (System.nanoTime() - start) / 1_000_000;
            }
        }
    }

    /** N live TLS endpoints (one LocalTlsServer each), probed by EndpointCertificateProbe with bounded concurrency. */
    void certificateChecks(Result r, int n) throws Exception {
        Instant now = Instant.now();
        var ca = TestCertificates.ca("Bench CA", now.minus(1, ChronoUnit.DAYS), now.plus(3650, ChronoUnit.DAYS));
        var leaf = TestCertificates.leaf(
                ca, "localhost", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS), "localhost");
        var probe = new EndpointCertificateProbe(
                TrustAnchors.of(List.of(ca.certificate())), Duration.ofSeconds(5), Duration.ofSeconds(10));
        List<LocalTlsServer> servers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(probeConcurrency);
        try {
            for (int i = 0; i < n; i++) {
                servers.add(LocalTlsServer.serving(leaf));
            }
            AtomicInteger ok = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (LocalTlsServer s : servers) {
                futures.add(pool.submit(() -> {
                    probe.probe("127.0.0.1", s.port(), "localhost");
                    ok.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // counted as not ok
                }
            }
            r.certMillis = (System.nanoTime() - start) / 1_000_000;
            r.certOk = ok.get();
        } finally {
            pool.shutdownNow();
            for (LocalTlsServer s : servers) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** A request that changes Vault's state: POST/PUT/DELETE/PATCH except the POSTs that only read (lookups) or log in. */
    static boolean changesVault(VaultDouble.Request r) {
        return r.write() && !r.path().contains("/lookup") && !r.path().endsWith("/login");
    }

    static final String BENCH_USER_AGENT = "maasops-benchmark";

    /** The benchmark's own client: a User-Agent of its own, so that the operator's requests can be counted apart. */
    private static KubernetesClient benchClient(KubeApiDouble api) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                                api.client().getConfiguration())
                        .withUserAgent(BENCH_USER_AGENT)
                        .build())
                .build();
    }

    /**
     * A command line's program and first argument ("maas config-vault", "stat -c"), after {@code sudo} and its
     * options: what kind of command it was.
     */
    static String program(String commandLine) {
        List<String> words = new ArrayList<>(List.of(commandLine.trim().split("\\s+")));
        if (!words.isEmpty() && words.get(0).equals("sudo")) {
            words.remove(0);
            while (!words.isEmpty() && words.get(0).startsWith("-")) {
                words.remove(0);
            }
        }
        return String.join(" ", words.subList(0, Math.min(2, words.size())));
    }

    /** Waits until the operator's Vault request and reconcile counters stood still for 2 s (at most 30 s). */
    static void quiesce(OperatorProcess operator) throws Exception {
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long now = operatorRequests(operator).values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    + regionReconciles(operator);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(2).toNanos()) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** The operator's Vault requests by operation (all outcomes), from its /metrics. */
    static Map<String, Long> operatorRequests(OperatorProcess operator) throws Exception {
        return operator.sumBy(OperatorJvm.prometheusName(OperatorMetrics.VAULT_REQUESTS) + "_total", "operation");
    }

    static long logins(OperatorProcess operator) throws Exception {
        return operator
                .sumBy(OperatorJvm.prometheusName(OperatorMetrics.VAULT_LOGINS) + "_total", "method")
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Reconciliations of MaasRegion resources JOSDK's metrics counted. */
    static long regionReconciles(OperatorProcess operator) throws Exception {
        return reconciles(operator, "maasregion");
    }

    /** Reconciliations JOSDK's metrics counted for the controller whose name contains {@code controller}. */
    static long reconciles(OperatorProcess operator, String controller) throws Exception {
        long sum = 0;
        for (var e : operator.scrape().entrySet()) {
            if (!e.getKey().startsWith("operator_sdk_reconciliations_started")) {
                continue;
            }
            for (var sample : e.getValue().entrySet()) {
                if (sample.getKey().values().stream()
                        .anyMatch(v -> v.toLowerCase().contains(controller))) {
                    sum += Math.round(sample.getValue());
                }
            }
        }
        return sum;
    }
}
