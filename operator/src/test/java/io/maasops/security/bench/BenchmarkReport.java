package io.maasops.security.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders BENCHMARKS.md: one table per size, every figure beside its goal (issue 11). */
final class BenchmarkReport {

    static final long READY_GOAL_MS = 60_000;
    static final double PROVISION_REQUESTS_GOAL = 3.0;
    static final double RESYNC_READS_GOAL = 1.0;
    static final long RSS_GOAL_BYTES = 256L * 1024 * 1024;

    private BenchmarkReport() {}

    static String render(
            List<ProvisioningBenchmark.Result> results, List<String> jvmOptions, int threads, int probeConcurrency) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Produced by `mvn -B -q -Pbench package -DskipTests -Dbench.args=\"--sizes 10,100,1000\"` ")
                .append("(class `io.maasops.security.bench.ProvisioningBenchmark`) on ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPU(s), Java ")
                .append(System.getProperty("java.version"))
                .append(", ")
                .append(Instant.now())
                .append(".\n\n");
        md.append("""
        What runs: the operator as its image runs it, `OperatorMain` in a JVM of its own on the runtime
        classpath (main classes and runtime dependencies only), with the Helm chart's default JVM options and
        environment, and its memory limit as the JVM's view of RAM: `%s`; reconcile threads = %d, leader election off.
        The benchmark's JVM (`%s`) holds the doubles the operator talks to over 127.0.0.1: the fabric8 mock
        Kubernetes API (the operator reads it through a kubeconfig), the Vault double, the MAAS API double
        and N simulated region hosts. The hosts sit behind one Apache MINA SSH server that picks the host
        by login name (`SharedSshFront`; a server per host would put 5 threads per region into the
        measurement); each host's `maas config-vault configure` really unwraps the token and logs in to
        the Vault double. Both JVMs share the machine's cores; the doubles' JVM compiles with C1 only,
        as they stand in for servers that would run elsewhere (C2 compiling them cost more CPU than the
        whole operator).

        How each figure is measured:
        - *Time to all Ready*: from creating the VaultIntegration and the N MaasRegions to every one of them
          having `Ready=True` for its current generation (read from what the API double stores, in its own
          process, every 250 ms: a watch would add a serialisation per event to the measured load). The
          objects are built before the clock starts; creating them (N+1 POSTs) is inside the time.
        - *CPU while provisioning*: the operator process's user+system time (`/proc/PID/stat`) and the benchmark
          JVM's (`getProcessCpuTime`: Kubernetes mock, Vault double, SSH server and simulated MAAS) over the same
          window. Both share the machine's cores: the time to Ready is bounded by their sum.
        - *Operator Vault requests*: the operator's own counter `maasops_vault_requests_total` on its
          `/metrics` (one count per VaultGateway operation, all outcomes; `ensure_*` may be two HTTP calls:
          list, then enable when missing). *Per region* counts what region reconciles ask (role, role-id,
          secret-id, and any repair or clean-up); the integration's one-time set-up (health, mounts, MAAS's
          policy) is a fixed cost shown beside it. Requests the simulated regions make themselves (unwrap,
          AppRole login, self-test) are not the operator's; the Vault double's log of all HTTP requests is
          given for comparison.
        - *Logins*: `maasops_vault_logins_total` (the operator's token-auth logins and renewals).
        - *Steady-state resync*: 32 s after all are Ready (past `RecentRoleChecks.FRESH`, within which a role
          the operator just wrote is not read again), the VaultIntegration is annotated (merge patch), which makes every MaasRegion
          reconcile (seen on JOSDK's reconciliation counter). *Writes* are the HTTP requests in the Vault
          double's log during that window that change Vault's state (nobody else writes in a steady state;
          an `ensure_*` that finds its mount only lists); *reads* are the region reconciles' read operations
          on the operator's counter (`VaultOperations`); the integration's own periodic Vault check (health,
          mounts, policy, every few minutes) is listed in the operations line when it falls in the window.
        - *RSS*: `VmRSS` of the operator's process (`/proc/PID/status`) once all N are Ready and the resync
          is done, and `VmHWM` (its peak). *Heap after GC*: `jvm_memory_used_bytes{area="heap"}` right
          after `jcmd PID GC.run`.
        - *Certificate checks*: N `LocalTlsServer` instances (one live TLS endpoint each, a CA-signed
          certificate), each probed once by `tls.EndpointCertificateProbe` from a pool of %d threads; time
          for all N, run after the provisioning part of the same size has been torn down.

        """.formatted(
                chartEnvironment() + String.join(" ", jvmOptions), threads, doublesJvmOptions(), probeConcurrency));
        for (ProvisioningBenchmark.Result r : results) {
            md.append("## ").append(r.regions).append(" regions\n\n");
            if (!r.note.isBlank()) {
                md.append("Note: ").append(r.note.strip()).append("\n\n");
            }
            md.append("| Figure | Measured | Goal | Verdict |\n|---|---|---|---|\n");
            row(
                    md,
                    "Time until all Ready",
                    r.readyMillis < 0
                            ? "not measured"
                            : (r.allReady ? secs(r.readyMillis) : "not all Ready after " + secs(r.readyMillis)),
                    r.regions >= 1000 ? "< 60 s (for 1000)" : "< 60 s (goal stated for 1000)",
                    r.allReady && r.readyMillis < READY_GOAL_MS);
            row(
                    md,
                    "... of which creating the N+1 objects (one POST each, in sequence)",
                    r.createdMillis < 0 ? "n/a" : secs(r.createdMillis),
                    "(informational)",
                    null);
            row(
                    md,
                    "... 50 % / 90 % / 99 % of them Ready after",
                    java.util.Arrays.stream(r.readyPercentileMillis)
                            .mapToObj(ms -> ms < 0 ? "-" : secs(ms))
                            .collect(java.util.stream.Collectors.joining(" / ")),
                    "(informational)",
                    null);
            long regionOps = r.provisionOps.entrySet().stream()
                    .filter(e -> !VaultOperations.isIntegrationSetUp(e.getKey()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            long setUpOps = r.provisionOperatorRequests - regionOps;
            row(
                    md,
                    "CPU while provisioning: operator process / benchmark JVM (doubles)",
                    r.operatorCpuMillis < 0
                            ? "n/a"
                            : secs(r.operatorCpuMillis) + " (" + fmt((double) r.operatorCpuMillis / r.regions)
                                    + " ms per region) / " + secs(r.doublesCpuMillis) + " of "
                                    + secs(2L * r.readyMillis) + " available on 2 cores",
                    "(informational)",
                    null);
            row(
                    md,
                    "MaasRegion reconciles while provisioning (JOSDK's counter)",
                    r.provisionReconciles < 0
                            ? "n/a"
                            : r.provisionReconciles + " (" + fmt((double) r.provisionReconciles / r.regions)
                                    + " per region); VaultIntegration: " + r.provisionIntegrationReconciles,
                    "(informational)",
                    null);
            double perRegion = r.regions == 0 ? 0 : (double) regionOps / r.regions;
            String partial = r.allReady ? "" : " (partial: not all Ready)";
            boolean measured = r.provisionOperatorRequests > 0;
            row(
                    md,
                    "Operator Vault requests per region to provision",
                    measured ? fmt(perRegion) + " (" + regionOps + " in total)" + partial : "n/a",
                    "<= 3",
                    r.allReady && perRegion <= PROVISION_REQUESTS_GOAL);
            row(
                    md,
                    "... plus the integration's one-time set-up (health, mounts, policy)",
                    measured
                            ? setUpOps + " in total (" + fmt((double) r.provisionOperatorRequests / r.regions)
                                    + " per region with it)"
                            : "n/a",
                    "(fixed, informational)",
                    null);
            long minimal = r.provisionOps.getOrDefault("write_role", 0L)
                    + r.provisionOps.getOrDefault("read_role_id", 0L)
                    + r.provisionOps.getOrDefault("create_wrapped_secret_id", 0L);
            row(
                    md,
                    "... of which role write + role-id read + wrapped secret-id, per region",
                    measured ? fmt((double) minimal / r.regions) + partial : "n/a",
                    "3 (the minimum)",
                    r.allReady && minimal == 3L * r.regions);
            row(
                    md,
                    "Operator Vault logins in total",
                    measured ? r.logins + partial : "n/a",
                    "1 per token lifetime",
                    r.allReady && r.logins <= 1);
            row(
                    md,
                    "Steady-state resync: operator Vault writes per region",
                    r.resyncWrites < 0
                            ? "n/a"
                            : fmt((double) r.resyncWrites / r.regions) + " (" + r.resyncWrites + " in total)",
                    "0",
                    r.resyncWrites == 0);
            row(
                    md,
                    "Steady-state resync: operator Vault reads per region (region reconciles)",
                    r.resyncReads < 0
                            ? "n/a"
                            : fmt((double) r.resyncReads / r.regions) + " (" + r.resyncReads + " in total)",
                    "<= 1",
                    r.resyncReads >= 0 && (double) r.resyncReads / r.regions <= RESYNC_READS_GOAL);
            row(
                    md,
                    "Operator process RSS",
                    r.rssBytes <= 0 ? "n/a" : mib(r.rssBytes) + " (peak " + mib(r.rssPeakBytes) + ")",
                    r.regions >= 1000 ? "< 256 MiB (1000 regions)" : "< 256 MiB (goal stated for 1000)",
                    r.rssBytes > 0 && r.rssPeakBytes < RSS_GOAL_BYTES);
            row(
                    md,
                    "Operator heap used after GC",
                    r.heapAfterGcBytes <= 0 ? "n/a" : mib(r.heapAfterGcBytes),
                    "(informational)",
                    null);
            row(
                    md,
                    "Operator threads",
                    r.threadsLive <= 0 ? "n/a" : String.valueOf(r.threadsLive),
                    "(informational)",
                    null);
            row(
                    md,
                    "Certificate checks of N live endpoints",
                    r.certMillis < 0 ? "n/a" : secs(r.certMillis) + ", " + r.certOk + "/" + r.regions + " ok",
                    "all ok, bounded concurrency",
                    r.certMillis >= 0 && r.certOk == r.regions);
            md.append("\n");
            if (!r.provisionOps.isEmpty()) {
                md.append("Operator Vault operations while provisioning (total; per region); the Vault double logged ")
                        .append(r.provisionTotalDoubleRequests)
                        .append(" HTTP requests in all, regions' own included:\n\n");
                md.append("| Operation | Total | Per region |\n|---|---|---|\n");
                for (Map.Entry<String, Long> e : r.provisionOps.entrySet()) {
                    md.append("| `")
                            .append(e.getKey())
                            .append("` | ")
                            .append(e.getValue())
                            .append(" | ")
                            .append(fmt((double) e.getValue() / r.regions))
                            .append(" |\n");
                }
                md.append("\n");
            }
            perRegionTable(
                    md,
                    "The operator's Kubernetes API requests while provisioning (the API double's count by verb and"
                            + " resource; the benchmark's own N+1 creates excluded)",
                    "Request",
                    r.provisionKubeRequests,
                    r.regions);
            perRegionTable(
                    md,
                    "Commands the region hosts ran while provisioning (by program and first argument; SSH exec requests"
                            + " from the operator, and none from anyone else)",
                    "Command",
                    r.provisionCommands,
                    r.regions);
            if (r.resyncWrites >= 0) {
                md.append("Operator Vault operations during the steady-state resync: ")
                        .append(r.resyncOps.isEmpty() ? "none" : r.resyncOps.toString())
                        .append(".\n\n");
            }
        }
        return md.toString();
    }

    private static void perRegionTable(
            StringBuilder md, String title, String column, Map<String, Long> counts, int regions) {
        if (counts.isEmpty()) {
            return;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        md.append(title)
                .append("; ")
                .append(total)
                .append(" in all, ")
                .append(fmt((double) total / regions))
                .append(" per region:\n\n| ")
                .append(column)
                .append(" | Total | Per region |\n|---|---|---|\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> md.append("| `")
                        .append(e.getKey())
                        .append("` | ")
                        .append(e.getValue())
                        .append(" | ")
                        .append(fmt((double) e.getValue() / regions))
                        .append(" |\n"));
        md.append("\n");
    }

    /** The benchmark JVM's own options, without system properties (paths). */
    private static String doublesJvmOptions() {
        String options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-D"))
                .collect(java.util.stream.Collectors.joining(" "));
        return options.isEmpty() ? "JVM defaults" : options;
    }

    private static void row(StringBuilder md, String figure, String measured, String goal, Boolean pass) {
        md.append("| ")
                .append(figure)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(goal)
                .append(" | ")
                .append(pass == null ? "-" : pass ? "PASS" : "FAIL")
                .append(" |\n");
    }

    private static String secs(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** "MALLOC_ARENA_MAX=2 " when the chart sets it (see OperatorJvm.environment). */
    private static String chartEnvironment() {
        try {
            StringBuilder out = new StringBuilder();
            OperatorJvm.environment()
                    .forEach((k, v) -> out.append(k).append('=').append(v).append(' '));
            return out.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
