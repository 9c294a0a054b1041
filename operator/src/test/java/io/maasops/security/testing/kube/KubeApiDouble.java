package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.maasops.security.chart.ChartRbac;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes API server for tests and the sandbox: the fabric8 mock in CRUD mode on 127.0.0.1,
 * SSA-tolerant, with the operator's generated CRDs installed. Requests are authenticated by bearer
 * token and authorized by RBAC like kube-apiserver's: the operator's client ({@link #operatorClient})
 * is the chart's ServiceAccount with exactly the rules the chart renders (helm template, with the
 * values under test), so a request the chart does not allow is a 403; the test's own client and
 * kubectl are cluster admins. It has no garbage collector. It records the RBAC-relevant access of
 * every request ({@link #recordedAccess}) for RBAC coverage checks.
 */
public final class KubeApiDouble implements AutoCloseable {

    public static final List<String> CRD_FILES = List.of(
            "vaultintegrations.security.maasops.io-v1.yml",
            "maasregions.security.maasops.io-v1.yml",
            "rolebindings.security.maasops.io-v1.yml");

    /** User-Agent of {@link #operatorClient()}: tells the operator's requests from a test's own. */
    public static final String OPERATOR_USER_AGENT = "maas-security-operator-under-test";

    /**
     * Where the chart is installed in the double (helm install --create-namespace): its
     * ServiceAccount, the operator's Lease, and the Secrets VaultIntegrations name.
     */
    public static final String RELEASE_NAMESPACE = "maas-security";
    /** The chart's ServiceAccount (release and Lease name "maas-security-operator"), as kube-apiserver names it. */
    public static final String OPERATOR_USER = "system:serviceaccount:" + RELEASE_NAMESPACE + ":maas-security-operator";

    static final String ADMIN_TOKEN = "kube-double-cluster-admin";
    static final String OPERATOR_TOKEN = "kube-double-operator-serviceaccount";

    private final RequestRecorder recorder = new RequestRecorder();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private NamespacedKubernetesClient operatorClient;
    private final PodExec podExec = new PodExec();

    private final ApiServerDispatcher dispatcher;
    private final String caPem;
    private final TlsFront tls;

    private final Authorizer authorizer;

    private KubeApiDouble(int port, Map<String, Object> chartValues) {
        authorizer = new Authorizer();
        authorizer.addSuperUser(ADMIN_TOKEN, "kube-double-admin");
        authorizer.addUser(OPERATOR_TOKEN, OPERATOR_USER, ChartRbac.chartGrants(RELEASE_NAMESPACE, chartValues));
        dispatcher = new ApiServerDispatcher(recorder, authorizer, podExec);
        server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(), dispatcher, false);
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
        } catch (Exception e) {
            throw new IllegalStateException("mock API server did not start", e);
        }
        // HTTPS in front, as every real API server has: kubectl (client-go) sends credentials only over TLS
        tls = new TlsFront(port, server.getPort(), dispatcher);
        caPem = tls.caPem();
        NamespacedKubernetesClient unauthenticated = server.createClient();
        // clients verify the server's certificate (the mock's own clients would trust any)
        Config admin = new ConfigBuilder(unauthenticated.getConfiguration())
                .withMasterUrl(url())
                .withTrustCerts(false)
                .withCaCertFile(null)
                .withCaCertData(java.util.Base64.getEncoder()
                        .encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .withOauthToken(ADMIN_TOKEN)
                .build();
        unauthenticated.close();
        client = server.createClient(b -> b.withConfig(admin));
        // every cluster has the first four; the release namespace as helm install --create-namespace makes it
        for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease", RELEASE_NAMESPACE)) {
            createNamespace(ns);
        }
        for (CustomResourceDefinition crd : generatedCrds()) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        }
    }

    /** The chart's default values: all namespaces, no pod exec, Secrets read by name only. */
    public static KubeApiDouble start() {
        return new KubeApiDouble(0, Map.of());
    }

    public static KubeApiDouble start(int port) {
        return new KubeApiDouble(port, Map.of());
    }

    /**
     * @param chartValues `helm --set` values the operator's RBAC is rendered with, e.g.
     *     {@code Map.of("podExec.enabled", "true")}
     */
    public static KubeApiDouble start(int port, Map<String, Object> chartValues) {
        return new KubeApiDouble(port, chartValues);
    }

    /**
     * A running, ready pod with one container whose exec runs {@code process}: what the operator
     * reaches for a MaasRegion with {@code spec.access.pod}.
     */
    public void addPod(String namespace, String name, String container, PodExec.ContainerProcess process) {
        podExec.register(namespace, name, container, process);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(container)
                .withImage("maas-region")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName(container)
                .withReady(true)
                .withImage("maas-region")
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    /**
     * A cluster admin's client whose writes skip the CRD's schema and CEL rules: objects as they were
     * stored under an earlier, looser CRD (kube-apiserver does not re-validate stored objects when a
     * CRD changes). For tests of the operator's own checks behind the schema.
     */
    public NamespacedKubernetesClient clientForObjectsOfAnOlderCrd() {
        Config c = new ConfigBuilder(client.getConfiguration())
                .withCustomHeaders(Map.of(ApiServerDispatcher.OLDER_CRD_HEADER, "true"))
                .build();
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(c)
                .build()
                .adapt(NamespacedKubernetesClient.class);
    }

    /** Every pod exec request's path and query, as the API server's audit log records it. */
    public List<String> execUrls() {
        return podExec.execUrls();
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    /**
     * Calls {@code onChange} with the JSON of every object the API server stores from now on (null
     * when one is deleted), in the server's own process: a benchmark can follow state without a
     * watch, whose per-event serialisation would be measured as load. Close the handle to stop.
     */
    public AutoCloseable onStored(java.util.function.BiConsumer<String, String> onChange) {
        NameIndexedStore.StoreListener l = (key, json) -> onChange.accept(key.toString(), json);
        dispatcher.store().addListener(l);
        return () -> dispatcher.store().removeListener(l);
    }

    /**
     * A second client for the operator under test, identical but for its User-Agent, so that
     * {@link #recordedAccess(String)} can single out the operator's requests.
     */
    public synchronized NamespacedKubernetesClient operatorClient() {
        if (operatorClient == null) {
            Config config = new ConfigBuilder(client.getConfiguration())
                    .withUserAgent(OPERATOR_USER_AGENT)
                    .withOauthToken(OPERATOR_TOKEN)
                    .build();
            // the operator's own serialization and HTTP client, as OperatorMain builds its client
            operatorClient = server.createClient(
                    b -> io.maasops.security.kube.OperatorKubernetesClient.configure(b.withConfig(config)));
        }
        return operatorClient;
    }

    /** Every access any client made since start (or the last reset). */
    public Set<Access> recordedAccess() {
        return recorder.accesses();
    }

    /** The accesses of the clients with this User-Agent, e.g. {@link #OPERATOR_USER_AGENT}. */
    public Set<Access> recordedAccess(String userAgent) {
        return recorder.accessesBy(userAgent);
    }

    /**
     * How many requests of each kind (verb, group, resource, subresource; no namespace or name) each
     * client, by User-Agent, made since start or the last reset.
     */
    public java.util.Map<RequestRecorder.Entry, Long> requestCounts() {
        return recorder.counts();
    }

    public void resetRecordedAccess() {
        recorder.reset();
    }

    /**
     * A ServiceAccount token as kube-apiserver issues it (TokenRequest, or a projected volume with
     * {@code audiences}): TokenReview authenticates it for those audiences; as a bearer token on a request it
     * authenticates only if it carries the API server's own audience ({@link #API_AUDIENCE}).
     */
    public String serviceAccountToken(String namespace, String name, List<String> audiences, java.time.Duration ttl) {
        return authorizer.serviceAccountTokens().issue(namespace, name, audiences, ttl);
    }

    /** The API server's own audience (kube-apiserver's default --api-audiences). */
    public static final String API_AUDIENCE = ServiceAccountTokens.ISSUER;

    /**
     * The ClusterRole system:auth-delegator (what a token reviewer such as Vault's Kubernetes auth is bound to):
     * create TokenReviews and SubjectAccessReviews.
     */
    public static final List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> AUTH_DELEGATOR = List.of(
            new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder()
                    .withApiGroups("authentication.k8s.io")
                    .withResources("tokenreviews")
                    .withVerbs("create")
                    .build(),
            new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder()
                    .withApiGroups("authorization.k8s.io")
                    .withResources("subjectaccessreviews")
                    .withVerbs("create")
                    .build());

    /** A ClusterRoleBinding of {@code rules} to the ServiceAccount {@code namespace/name}. */
    public void bindServiceAccount(
            String namespace, String name, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
        authorizer.bindClusterWide("system:serviceaccount:" + namespace + ":" + name, rules);
    }

    /** The TLS cipher suites clients negotiated with this double (a Go server's choice: docs/reference/tls.md §1). */
    public java.util.Set<String> negotiatedCipherSuites() {
        return tls.cipherSuites.negotiated();
    }

    /** The PEM of the CA that signed the API's serving certificate (what a kubeconfig's certificate-authority-data holds). */
    public String caPem() {
        return caPem;
    }

    /** The HTTPS URL of the API (localhost: the name the server certificate is for). */
    public String url() {
        return "https://localhost:" + tls.port() + "/";
    }

    /** The CRDs the build generated (target/classes/META-INF/fabric8). */
    public static List<CustomResourceDefinition> generatedCrds() {
        return CRD_FILES.stream().map(KubeApiDouble::loadCrd).toList();
    }

    static CustomResourceDefinition loadCrd(String file) {
        try (InputStream in = KubeApiDouble.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "generated CRD " + file + " not on the classpath: run `mvn process-classes` first");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a namespace as a cluster admin (the double's admission makes it Active). */
    public void createNamespace(String name) {
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    /** Writes a kubeconfig that points kubectl at this server (plain HTTP on loopback) as a cluster admin. */
    public Path writeKubeconfig(Path file) throws IOException {
        return writeKubeconfig(file, ADMIN_TOKEN);
    }

    /**
     * A kubeconfig for an operator process: the chart's ServiceAccount, with its RBAC. (A bearer token
     * also spares fabric8 7.5.2's TokenRefreshInterceptor, which without one re-reads and re-parses
     * the kubeconfig on every request once the client is a minute old: 13 % of the operator's CPU in
     * the 1000-region benchmark.)
     */
    public Path writeOperatorKubeconfig(Path file) throws IOException {
        return writeKubeconfig(file, OPERATOR_TOKEN);
    }

    /** A kubeconfig that authenticates with {@code token}, e.g. a {@link #serviceAccountToken}. */
    public Path writeKubeconfig(Path file, String token) throws IOException {
        String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        users:
        - name: sandbox
          user:
            token: %s
        """.formatted(
                url().replaceAll("/$", ""),
                java.util.Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                token);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Override
    public void close() {
        if (operatorClient != null) {
            operatorClient.close();
        }
        client.close();
        tls.close();
        server.destroy();
        podExec.close();
    }
}
