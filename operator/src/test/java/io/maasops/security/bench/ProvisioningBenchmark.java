package io.maasops.security.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.bootstrap.MaasSecurityOperator;
import io.maasops.security.bootstrap.OperatorSettings;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.tls.LocalTlsServer;
import io.maasops.security.testing.tls.TestCertificates;
import io.maasops.security.tls.EndpointCertificateProbe;
import io.maasops.security.tls.TrustAnchors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * Issue 11's benchmark: N simulated region hosts (real SSH servers on 127.0.0.1) provisioned by the
 * real operator against the doubles, one size after another in this one process; writes
 * BENCHMARKS.md with every figure beside its goal. Not a test: run it with
 * {@code mvn -B -q -Pbench package -DskipTests -Dbench.args="--sizes 10,100,1000"}.
 *
 * <p>Vault requests are counted from the operator's own {@link OperatorMetrics} counters
 * ({@code maasops.vault.requests}, {@code maasops.vault.logins}); requests the simulated regions
 * make themselves (unwrap, AppRole login, self-test) are the Vault double's log minus those.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Provisioning benchmark against the doubles; writes BENCHMARKS.md.")
public final class ProvisioningBenchmark implements Callable<Integer> {

  static final String INTEGRATION = "maas";

  @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000", description = "Region counts, one run each.")
  List<Integer> sizes;

  @Option(names = "--threads", defaultValue = "10", description = "Operator reconcile threads (the production default is 10).")
  int threads;

  @Option(names = "--timeout", defaultValue = "300s", description = "Longest wait for all Ready, per size.")
  String timeout;

  @Option(names = "--probe-concurrency", defaultValue = "16", description = "Certificate probes in flight at once.")
  int probeConcurrency;

  @Option(names = "--output", defaultValue = "BENCHMARKS.md", description = "Where the report goes.")
  Path output;

  public static void main(String[] args) {
    // exec:java runs inside Maven's JVM, whose java.util.logging is set up before our properties apply:
    // quieten the mock API server's per-request INFO lines here
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    System.exit(new CommandLine(new ProvisioningBenchmark()).execute(args));
  }

  /** One size's figures; -1 / null where a step could not run (the reason is in {@code note}). */
  static final class Result {
    int regions;
    long readyMillis = -1;
    boolean allReady;
    Map<String, Long> provisionOps = new TreeMap<>();
    long provisionOperatorRequests;
    long provisionTotalDoubleRequests;
    long logins;
    long resyncWrites = -1;
    long resyncReads = -1;
    Map<String, Long> resyncOps = new TreeMap<>();
    long heapAfterGcBytes;
    long rssBytes;
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
      } catch (Throwable e) {   // an OutOfMemoryError or a host that cannot start is a result too
        r = new Result();
        r.regions = n;
        r.note = "did not complete: " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      results.add(r);
      System.out.println("bench: " + n + " regions: " + summary(r));
      System.gc();
    }
    Path out = output.isAbsolute() ? output : Path.of(System.getProperty("user.dir")).resolve(output);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, BenchmarkReport.render(results, threads, probeConcurrency));
    System.out.println("bench: wrote " + out);
    return 0;
  }

  private static String summary(Result r) {
    return r.allReady ? "Ready in " + r.readyMillis + " ms, " + r.provisionOperatorRequests + " operator Vault requests" : "NOT all Ready " + r.note;
  }

  Result runSize(int n, Duration limit) throws Exception {
    Result r = new Result();
    r.regions = n;
    String ns = "bench";
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KubeApiDouble api = KubeApiDouble.start(); MaasTestbed testbed = MaasTestbed.start(n)) {
      KubernetesClient k8s = api.client();
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      var base = OperatorSettings.defaults().withLeaderElection(false, "default", false).withHttpPort(0);
      var settings = new OperatorSettings(base.namespaces(), false, base.leaseName(), base.leaseNamespace(), 0,
          threads, false, base.maxReconcileBackoff(), false);
      var assembly = MaasSecurityOperator.assemble(api.operatorClient(), settings, Clock.systemUTC(), registry);
      assembly.operator().start();
      try {
        testbed.applySecrets(k8s, ns);
        testbed.vault().clearRequests();
        long start = System.nanoTime();
        k8s.resource(testbed.integration(INTEGRATION)).inNamespace(ns).create();
        for (RegionHostDouble h : testbed.hosts()) {
          k8s.resource(testbed.region(h.hostname(), INTEGRATION)).inNamespace(ns).create();
        }
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline && notReady(k8s, ns) > 0) {
          Thread.sleep(100);   // polling a wall-clock benchmark, not a test
        }
        int missing = notReady(k8s, ns);
        r.allReady = missing == 0;
        r.readyMillis = (System.nanoTime() - start) / 1_000_000;
        if (!r.allReady) {
          r.note = missing + " of " + (n + 1) + " resources not Ready after " + limit.toSeconds() + " s";
        }
        // let trailing reconciles (status echoes) finish before counting
        quiesce(registry);
        r.provisionOps = operatorRequests(registry);
        r.provisionOperatorRequests = r.provisionOps.values().stream().mapToLong(Long::longValue).sum();
        r.provisionTotalDoubleRequests = testbed.vault().requests().size();
        r.logins = logins(registry);

        if (r.allReady) {
          Map<String, Long> before = operatorRequests(registry);
          long reconcilesBefore = reconciles(registry);
          String patch = "{\"metadata\":{\"annotations\":{\"bench.maasops.io/resync\":\"" + System.nanoTime() + "\"}}}";
          k8s.resources(VaultIntegration.class).inNamespace(ns).withName(INTEGRATION)
              .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
          // every region reconciles once: wait until the reconcile counter has moved by n, then quiesce
          long resyncDeadline = System.nanoTime() + limit.toNanos();
          while (System.nanoTime() < resyncDeadline && reconciles(registry) - reconcilesBefore < n) {
            Thread.sleep(50);
          }
          long seen = reconciles(registry) - reconcilesBefore;
          quiesce(registry);
          Map<String, Long> after = operatorRequests(registry);
          after.forEach((op, c) -> {
            long d = c - before.getOrDefault(op, 0L);
            if (d > 0) {
              r.resyncOps.put(op, d);
            }
          });
          r.resyncWrites = r.resyncOps.entrySet().stream().filter(e -> VaultOperations.isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
          r.resyncReads = r.resyncOps.entrySet().stream().filter(e -> !VaultOperations.isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
          if (seen < n) {
            r.note += " resync: only " + seen + " region reconciles seen;";
          }
        }
        System.gc();
        r.heapAfterGcBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        r.rssBytes = rssBytes();
        r.threadsLive = Thread.activeCount();
      } finally {
        assembly.operator().stop();
        assembly.services().close();
      }
    }
    certificateChecks(r, n);
    return r;
  }

  /** N live TLS endpoints (one LocalTlsServer each), probed by EndpointCertificateProbe with bounded concurrency. */
  void certificateChecks(Result r, int n) throws Exception {
    Instant now = Instant.now();
    var ca = TestCertificates.ca("Bench CA", now.minus(1, ChronoUnit.DAYS), now.plus(3650, ChronoUnit.DAYS));
    var leaf = TestCertificates.leaf(ca, "localhost", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS), "localhost");
    var probe = new EndpointCertificateProbe(TrustAnchors.of(List.of(ca.certificate())), Duration.ofSeconds(5), Duration.ofSeconds(10));
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

  static int notReady(KubernetesClient k8s, String ns) {
    int count = 0;
    for (var type : List.of(VaultIntegration.class, MaasRegion.class)) {
      for (var res : k8s.resources(type).inNamespace(ns).list().getItems()) {
        var s = res.getStatus();
        boolean ready = s != null && res.getMetadata().getGeneration().equals(s.getObservedGeneration())
            && Conditions.isTrue(s.getConditions(), Conditions.READY);
        if (!ready) {
          count++;
        }
      }
    }
    return count;
  }

  /** Waits until the operator's Vault request counter stood still for 2 s (at most 30 s). */
  static void quiesce(SimpleMeterRegistry registry) throws InterruptedException {
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      long now = operatorRequests(registry).values().stream().mapToLong(Long::longValue).sum() + reconciles(registry);
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > Duration.ofSeconds(2).toNanos()) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** The operator's Vault requests by operation (all outcomes). */
  static Map<String, Long> operatorRequests(SimpleMeterRegistry registry) {
    Map<String, Long> out = new TreeMap<>();
    for (Counter c : registry.find(OperatorMetrics.VAULT_REQUESTS).counters()) {
      out.merge(c.getId().getTag("operation"), (long) c.count(), Long::sum);
    }
    return out;
  }

  static long logins(SimpleMeterRegistry registry) {
    return registry.find(OperatorMetrics.VAULT_LOGINS).counters().stream().mapToLong(c -> (long) c.count()).sum();
  }

  /** Reconciliations of MaasRegion resources the JOSDK metrics counted. */
  static long reconciles(SimpleMeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started")
            || m.getId().getName().startsWith("operator.sdk.reconciliations.executions"))
        .filter(m -> m instanceof Counter)
        .filter(m -> m.getId().getTags().stream().anyMatch(t -> t.getValue().toLowerCase().contains("maasregion")))
        .mapToLong(m -> (long) ((Counter) m).count())
        .sum();
  }

  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: reported as 0
    }
    return 0;
  }
}
