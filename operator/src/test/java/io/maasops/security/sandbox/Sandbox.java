package io.maasops.security.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.bootstrap.MaasSecurityOperator;
import io.maasops.security.bootstrap.OperatorSettings;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.region.RegionHostDouble;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator with every double in one process: a Kubernetes API (fabric8 mock, CRUD), a Vault,
 * a MAAS API and simulated MAAS region hosts over SSH, all on 127.0.0.1. Applies
 * examples/quick-start/, waits until every custom resource is Ready and prints what it did.
 * Test scope on purpose: the operator image never contains the doubles.
 */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description =
                "Runs maas-security-operator against simulated Kubernetes, Vault, MAAS and region hosts on 127.0.0.1.")
public final class Sandbox implements Callable<Integer> {

    /** The quick start's namespace for MaasRegions (the one its VaultIntegration allows). */
    static final String NAMESPACE = "maas";

    static final String INTEGRATION = "maas";

    @Option(names = "--regions", defaultValue = "3", description = "Simulated region hosts (default 3).")
    int regions;

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            description = "How long to wait for every resource to be Ready (default 120s).")
    String timeout;

    @Option(names = "--serve", description = "Keep running after convergence until interrupted (Ctrl-C).")
    boolean serve;

    @Option(
            names = "--state-dir",
            defaultValue = "target/sandbox",
            description = "Where kubeconfig and sandbox.env are written.")
    Path stateDir;

    @Option(
            names = "--examples",
            defaultValue = "examples/quick-start",
            description = "The quick-start folder to apply.")
    Path examples;

    @Option(
            names = "--port",
            defaultValue = "0",
            description = "Port of the sandbox Kubernetes API (default: a free one).")
    int port;

    static final String SPARE = "region-extra";

    private final PrintStream out = System.out;
    private JsonNode regionTemplate;

    public static void main(String[] args) {
        // stays stoppable with Ctrl-C: helm's Go runtime, once loaded, would take the JVM's signals
        System.setProperty(io.maasops.security.chart.ChartRenderer.OUT_OF_PROCESS, "true");
        System.exit(new CommandLine(new Sandbox()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (Running r = launch()) {
            if (!r.notReady().isEmpty()) {
                out.println("sandbox: NOT CONVERGED within " + timeout + ": " + String.join(", ", r.notReady()));
                return 1;
            }
            out.println("sandbox: every resource is Ready.");
            if (serve) {
                Path extra = r.addSpareRegion();
                out.println("sandbox: a new region host " + SPARE + " joined MAAS (ssh 127.0.0.1:"
                        + r.testbed().host(SPARE).port() + "); declare it with");
                out.println("           kubectl --kubeconfig " + r.kubeconfig() + " apply -f " + extra);
                out.println("sandbox: serving; try  kubectl --kubeconfig " + r.kubeconfig()
                        + " get maas -A  (Ctrl-C to stop)");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            }
            return 0;
        }
    }

    /** A started sandbox: the doubles, the operator (under the chart's RBAC) and the state files. */
    public final class Running implements AutoCloseable {
        private final KubeApiDouble api;
        private final MaasTestbed testbed;
        private final MaasSecurityOperator.Assembly assembly;
        private List<String> notReady = List.of();

        private Running(KubeApiDouble api, MaasTestbed testbed, MaasSecurityOperator.Assembly assembly) {
            this.api = api;
            this.testbed = testbed;
            this.assembly = assembly;
        }

        public KubeApiDouble api() {
            return api;
        }

        public MaasTestbed testbed() {
            return testbed;
        }

        /** The custom resources not Ready when the wait ended (empty: converged). */
        public List<String> notReady() {
            return notReady;
        }

        public Path kubeconfig() {
            return stateDir.resolve("kubeconfig");
        }

        /**
         * A region that joins MAAS now, with no MaasRegion yet (what --serve adds): the integration
         * reports it, and applying the MaasRegion written to extra-region.yaml configures it.
         */
        public Path addSpareRegion() throws IOException {
            RegionHostDouble spare = testbed.addRegionHost(SPARE, io.maasops.security.regionhost.MaasPackaging.SNAP);
            testbed.applySecrets(api.client(), NAMESPACE); // known_hosts now includes the new host's key
            Path extra = stateDir.resolve("extra-region.yaml");
            Files.writeString(
                    extra,
                    new ObjectMapper(new YAMLFactory()).writeValueAsString(pointAt(regionTemplate, spare, testbed)));
            return extra;
        }

        @Override
        public void close() {
            try {
                assembly.stop(api.operatorClient());
            } finally {
                testbed.close();
                api.close();
            }
        }
    }

    /** Starts every double and the operator, applies the quick-start, waits for Ready (up to --timeout), prints the summary. */
    public Running launch() throws Exception {
        if (regions < 1 || regions > 200) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--regions must be 1..200");
        }
        Duration limit = io.maasops.security.util.Durations.parse(timeout);
        // the mock API server logs every request through java.util.logging at INFO
        java.util.logging.LogManager.getLogManager()
                .readConfiguration(
                        new java.io.ByteArrayInputStream("handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Path examplesDir = locate(examples);
        out.println(
                "sandbox: starting Kubernetes API, Vault, MAAS API and " + regions + " region host(s) on 127.0.0.1");
        KubeApiDouble api = KubeApiDouble.start(port);
        MaasTestbed testbed = MaasTestbed.start(regions);
        KubernetesClient k8s = api.client();
        var settings = OperatorSettings.defaults()
                .withLeaderElection(true, KubeApiDouble.RELEASE_NAMESPACE, false)
                .withHttpPort(0)
                .withClusterResourceNamespace(KubeApiDouble.RELEASE_NAMESPACE);
        var assembly = MaasSecurityOperator.assemble(
                api.operatorClient(), settings, Clock.systemUTC(), new SimpleMeterRegistry());
        Running running = new Running(api, testbed, assembly);
        try {
            assembly.operator().start();
            List<String> applied = apply(k8s, testbed, examplesDir);
            writeState(api, testbed);
            out.println("sandbox: applied " + String.join(", ", applied) + " from " + examplesDir);
            try {
                org.awaitility.Awaitility.await()
                        .atMost(limit)
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> notReady(k8s).isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported by name
            }
            running.notReady = notReady(k8s);
            summary(k8s, testbed);
            return running;
        } catch (Exception | Error e) {
            running.close();
            throw e;
        }
    }

    /** Applies the quick-start, pointed at the simulated hosts, Vault and MAAS API. */
    List<String> apply(KubernetesClient k8s, MaasTestbed testbed, Path dir) throws IOException {
        for (String ns : List.of(MaasTestbed.OPERATOR_NAMESPACE, NAMESPACE)) {
            k8s.namespaces()
                    .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .createOr(o -> o.update());
        }
        testbed.applySecrets(k8s, NAMESPACE);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                        if (d != null && !d.isEmpty()) {
                            docs.add(d);
                        }
                    });
                }
            }
        }
        regionTemplate = docs.stream()
                .filter(d -> "MaasRegion".equals(d.path("kind").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(dir + " has no MaasRegion"));
        List<String> applied = new ArrayList<>();
        int regionIndex = 0;
        for (JsonNode doc : docs) {
            switch (doc.path("kind").asText()) {
                case "Secret" -> {} // the sandbox's own Secrets replace the placeholders
                case "VaultIntegration" -> {
                    ObjectNode vi = doc.deepCopy();
                    ObjectNode vault = (ObjectNode) vi.path("spec").path("vault");
                    vault.put("address", testbed.vault().address().toString());
                    // the sandbox's doubles speak plain http on 127.0.0.1: allowed here, and the
                    // InsecureTransport condition says so
                    vault.put("allowInsecureHttp", true);
                    ObjectNode tenancy = (ObjectNode) vi.path("spec").path("tenancy");
                    tenancy.putArray("allowedSshHosts").add("127.0.0.1");
                    tenancy.putArray("allowedMaasApiUrls")
                            .add(testbed.api().baseUrl().toString());
                    tenancy.put("allowInsecureMaasApi", true);
                    create(k8s, vi, VaultIntegration.class, applied);
                }
                case "MaasRegion" -> {
                    if (regionIndex < testbed.hosts().size()) {
                        create(
                                k8s,
                                pointAt(doc, testbed.hosts().get(regionIndex++), testbed),
                                MaasRegion.class,
                                applied);
                    }
                }
                case "RoleBinding" -> create(k8s, doc, RoleBinding.class, applied);
                case "Namespace" -> {} // created above
                default ->
                    k8s.resource(Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class))
                            .inNamespace(NAMESPACE)
                            .createOr(o -> o.update());
            }
        }
        while (regionIndex < testbed.hosts().size()) { // --regions beyond the quick-start's three
            RegionHostDouble host = testbed.hosts().get(regionIndex++);
            ObjectNode extra = regionTemplate.deepCopy();
            ((ObjectNode) extra.path("metadata")).put("name", host.hostname());
            create(k8s, pointAt(extra, host, testbed), MaasRegion.class, applied);
        }
        return applied;
    }

    private static ObjectNode pointAt(JsonNode region, RegionHostDouble host, MaasTestbed testbed) {
        ObjectNode r = region.deepCopy();
        ((ObjectNode) r.path("metadata")).put("name", host.hostname());
        ObjectNode spec = (ObjectNode) r.path("spec");
        spec.put("hostname", host.hostname());
        ObjectNode ssh = (ObjectNode) spec.path("access").path("ssh");
        ssh.put("host", host.host());
        ssh.put("port", host.port());
        ObjectNode api = spec.putObject("api");
        api.put("url", testbed.api().baseUrl().toString());
        api.putObject("apiKeySecretRef").put("name", MaasTestbed.API_KEY_SECRET).put("key", "api-key");
        return r;
    }

    private static <T extends CustomResource<?, ?>> void create(
            KubernetesClient k8s, JsonNode doc, Class<T> type, List<String> applied) {
        T resource = Serialization.jsonMapper().convertValue(doc, type);
        if (resource instanceof io.fabric8.kubernetes.api.model.Namespaced) {
            k8s.resources(type).inNamespace(NAMESPACE).resource(resource).createOr(o -> o.update());
        } else {
            k8s.resources(type).resource(resource).createOr(o -> o.update());
        }
        applied.add(resource.getKind() + "/" + resource.getMetadata().getName());
    }

    /** The sandbox's resources of a kind: cluster-scoped ones, or those of {@link #NAMESPACE}. */
    private static <T extends CustomResource<?, ? extends ResourceStatus>> List<T> list(
            KubernetesClient k8s, Class<T> type) {
        return io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(type)
                ? k8s.resources(type).inNamespace(NAMESPACE).list().getItems()
                : k8s.resources(type).list().getItems();
    }

    /** Every custom resource that is not Ready for its current generation. */
    static List<String> notReady(KubernetesClient k8s) {
        List<String> out = new ArrayList<>();
        for (var type : List.of(VaultIntegration.class, MaasRegion.class, RoleBinding.class)) {
            for (CustomResource<?, ? extends ResourceStatus> r : list(k8s, type)) {
                var s = r.getStatus();
                boolean ready = s != null
                        && r.getMetadata().getGeneration().equals(s.getObservedGeneration())
                        && Conditions.isTrue(s.getConditions(), Conditions.READY);
                if (!ready) {
                    out.add(r.getKind() + "/" + r.getMetadata().getName()
                            + Conditions.find(s == null ? null : s.getConditions(), Conditions.READY)
                                    .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")")
                                    .orElse(" (no status yet)"));
                }
            }
        }
        return out;
    }

    void summary(KubernetesClient k8s, MaasTestbed testbed) {
        out.println();
        out.println(
                "== custom resources (VaultIntegrations are cluster-scoped; the rest in namespace " + NAMESPACE + ")");
        for (var type : List.of(VaultIntegration.class, MaasRegion.class, RoleBinding.class)) {
            for (CustomResource<?, ? extends ResourceStatus> r : list(k8s, type)) {
                out.println(r.getKind() + "/" + r.getMetadata().getName());
                if (r.getStatus() != null) {
                    r.getStatus()
                            .getConditions()
                            .forEach(c -> out.printf(
                                    "  %-20s %-7s %-24s %s%n",
                                    c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
                }
            }
        }
        out.println();
        out.println("== security posture (status.posture of each VaultIntegration; docs/posture.md)");
        for (VaultIntegration vi : k8s.resources(VaultIntegration.class).list().getItems()) {
            var st = vi.getStatus();
            out.println("  " + vi.getMetadata().getName() + ": "
                    + (st == null || st.getPostureSummary() == null ? "not evaluated yet" : st.getPostureSummary()));
            if (st != null && st.getPosture() != null) {
                st.getPosture()
                        .forEach(c -> out.printf(
                                "    %-18s %-13s %-22s %s%n",
                                c.getCheck(), c.getResult(), c.getReason(), c.getMessage()));
            }
        }
        var vault = testbed.vault();
        out.println();
        out.println("== Vault (" + vault.address() + ")");
        out.println("  auth methods: " + vault.authMethods());
        out.println("  mounts:       " + vault.mounts());
        out.println("  roles:        " + vault.roleNames("approle"));
        String policyName = io.maasops.security.contract.Names.DEFAULT_POLICY;
        vault.policy(policyName).ifPresent(p -> {
            out.println("  policy " + policyName + " (the regions', written by the Vault admin):");
            p.lines().forEach(l -> out.println("    " + l));
        });
        out.println("  the operator logs in with a token holding only policy " + MaasTestbed.OPERATOR_POLICY
                + " (docs/vault-operator-policy.hcl)");
        out.println();
        out.println("== region hosts");
        for (RegionHostDouble h : testbed.hosts()) {
            Map<String, Object> conf = new TreeMap<>(h.regiondConf());
            List<String> vaultKeys =
                    conf.keySet().stream().filter(k -> k.startsWith("vault_")).toList();
            out.println("  " + h.hostname() + " (ssh 127.0.0.1:" + h.port() + ", " + h.installation()
                    + "): regiond.conf vault keys " + vaultKeys
                    + (conf.containsKey("vault_url") ? ", vault_url=" + conf.get("vault_url") : ""));
            for (String path : h.installation().defaultConfigFiles()) {
                out.println("    " + path + "  " + h.fileMode(path) + " " + h.fileOwnerGroup(path));
            }
        }
        out.println();
    }

    void writeState(KubeApiDouble api, MaasTestbed testbed) throws IOException {
        Files.createDirectories(stateDir);
        api.writeKubeconfig(stateDir.resolve("kubeconfig"));
        StringBuilder env = new StringBuilder();
        env.append("VAULT_ADDR=").append(testbed.vault().address()).append('\n');
        env.append("VAULT_TOKEN=").append(testbed.vault().rootToken()).append('\n');
        env.append("VAULT_UNSEAL_KEY=").append(testbed.vault().unsealKey()).append('\n');
        env.append("MAAS_URL=").append(testbed.api().baseUrl()).append('\n');
        env.append("MAAS_API_KEY=").append(testbed.api().apiKey()).append('\n');
        env.append("KUBECONFIG=")
                .append(stateDir.resolve("kubeconfig").toAbsolutePath())
                .append('\n');
        for (RegionHostDouble h : testbed.hosts()) {
            String k = h.hostname().toUpperCase().replace('-', '_');
            env.append(k).append("_SSH_HOST=").append(h.host()).append('\n');
            env.append(k).append("_SSH_PORT=").append(h.port()).append('\n');
        }
        env.append("SSH_KEY_SECRET=").append(MaasTestbed.SSH_KEY_SECRET).append('\n');
        env.append("KNOWN_HOSTS_SECRET=").append(MaasTestbed.KNOWN_HOSTS_SECRET).append('\n');
        Path file = stateDir.resolve("sandbox.env");
        Files.writeString(file, env.toString());
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        out.println("sandbox: wrote " + stateDir.resolve("kubeconfig") + " and " + file
                + " (sandbox-only credentials, mode 600)");
    }

    /** Finds the examples folder from the repository root or from operator/. */
    static Path locate(Path examples) {
        if (Files.isDirectory(examples)) {
            return examples;
        }
        Path up = Path.of("..").resolve(examples);
        if (Files.isDirectory(up)) {
            return up;
        }
        throw new IllegalArgumentException("no " + examples + " folder (run from the repository root)");
    }
}
