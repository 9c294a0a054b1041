package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.maasops.security.bootstrap.MaasSecurityOperator;
import io.maasops.security.bootstrap.OperatorSettings;
import io.maasops.security.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real operator (the same wiring as production, leader election included) against the
 * Kubernetes API double, once per test class; gives each test its own namespace.
 * <pre>
 * {@literal @}RegisterExtension static final OperatorExtension OPERATOR = new OperatorExtension();
 * </pre>
 */
public class OperatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The audience of the projected ServiceAccount token the chart mounts for Vault's Kubernetes auth. */
    public static final String VAULT_AUDIENCE = "vault";

    /** The ServiceAccount that Vault's Kubernetes auth reviews tokens with (bound to system:auth-delegator). */
    public static final String REVIEWER_NAMESPACE = "vault";

    public static final String REVIEWER = "vault-auth";

    /**
     * The operator's retry delays in tests: JOSDK waits them in real time (a test's clock cannot skip
     * them), so the production defaults (5 s floor, 2 min cap, 30 s for a missing Secret, 10 s after a
     * failed config-file check) would make tests wait instead of check. Short, but never zero: a
     * retry still comes after a wait, so a hot loop still shows as one.
     */
    public static final io.maasops.security.contract.RetryDelays TEST_RETRIES =
            new io.maasops.security.contract.RetryDelays(
                    Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(300));

    private final MutableClock clock = MutableClock.startingNow();
    private io.maasops.security.contract.RetryDelays retries = TEST_RETRIES;
    private final boolean watchLabelledSecrets;
    private final java.util.Map<String, Object> chartValues;

    /** The operator as the chart installs it by default (Secrets read by name only), with the chart's RBAC. */
    public OperatorExtension() {
        this(false);
    }

    /**
     * @param watchLabelledSecrets also watch Secrets labelled security.maasops.io/watched=true (with
     *     the chart's RBAC for it: secretWatch.enabled)
     */
    public OperatorExtension(boolean watchLabelledSecrets) {
        this(watchLabelledSecrets, java.util.Map.of());
    }

    /** @param chartValues further `helm --set` values the operator's RBAC is rendered with, e.g. podExec.enabled */
    public OperatorExtension(boolean watchLabelledSecrets, java.util.Map<String, Object> chartValues) {
        this.watchLabelledSecrets = watchLabelledSecrets;
        var values = new java.util.HashMap<>(chartValues);
        if (watchLabelledSecrets) {
            values.put("secretWatch.enabled", "true");
        }
        this.chartValues = java.util.Map.copyOf(values);
    }

    private String vaultJwt;

    /** The operator under test with other delays (e.g. a short --secret-id-audit-interval); call before it starts. */
    public OperatorExtension withRetries(io.maasops.security.contract.RetryDelays delays) {
        this.retries = delays;
        return this;
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KubeApiDouble api;
    private Operator operator;
    private MaasSecurityOperator.Assembly assembly;
    private String namespace;

    @Override
    public void beforeAll(ExtensionContext context) {
        api = KubeApiDouble.start(0, chartValues);
        var settings = OperatorSettings.defaults()
                // as the chart installs it: Lease and cluster resources in the release namespace;
                // exit-on-lost-leadership would kill the test JVM
                .withLeaderElection(true, KubeApiDouble.RELEASE_NAMESPACE, false)
                .withHttpPort(0);
        java.nio.file.Path jwt;
        // the operator's projected token (audience vault), issued by this API server as the kubelet would request it
        vaultJwt = api.serviceAccountToken(
                KubeApiDouble.RELEASE_NAMESPACE,
                "maas-security-operator",
                List.of(VAULT_AUDIENCE),
                Duration.ofHours(2));
        try {
            jwt = java.nio.file.Files.createTempFile("vault-token", ".jwt");
            java.nio.file.Files.writeString(jwt, vaultJwt);
            jwt.toFile().deleteOnExit();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        settings = settings.withReconcileThreads(4, Duration.ofSeconds(10))
                .withWatchLabelledSecrets(watchLabelledSecrets)
                .withClusterResourceNamespace(KubeApiDouble.RELEASE_NAMESPACE)
                .withVaultTokenPath(jwt)
                .withRetries(retries);
        this.settings = settings;
        startOperator();
    }

    private OperatorSettings settings;

    private void startOperator() {
        // the operator gets its own client (own User-Agent) so its requests can be told from the test's
        assembly = MaasSecurityOperator.assemble(api.operatorClient(), settings, clock, registry);
        operator = assembly.operator();
        operator.start();
    }

    /**
     * Stops the operator as a killed pod would go (in-memory state lost, its Lease released), runs
     * {@code whileStopped}, and starts a fresh instance (empty caches, new services) with the same settings.
     */
    public void restart(Runnable whileStopped) {
        assembly.stop(api.operatorClient());
        whileStopped.run();
        startOperator();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
        api.createNamespace(namespace);
    }

    /**
     * VaultIntegrations are cluster-scoped, so one test's would still be there for the next: each
     * test's custom resources go away with it (finalizers dropped: its doubles are already closed).
     */
    @Override
    public void afterEach(ExtensionContext context) {
        if (api != null) {
            removeAll(api.client(), namespace);
        }
    }

    /** Deletes every custom resource of {@code namespace} and every VaultIntegration, without waiting for finalizers. */
    public static void removeAll(KubernetesClient client, String namespace) {
        for (var type : java.util.List.of(
                io.maasops.security.api.v1alpha1.RoleBinding.class,
                io.maasops.security.api.v1alpha1.MaasRegion.class)) {
            for (var r : client.resources(type).inNamespace(namespace).list().getItems()) {
                forceDelete(client.resources(type)
                        .inNamespace(namespace)
                        .withName(r.getMetadata().getName()));
            }
        }
        var vis = client.resources(io.maasops.security.api.v1alpha1.VaultIntegration.class);
        for (var vi : vis.list().getItems()) {
            forceDelete(vis.withName(vi.getMetadata().getName()));
        }
        // the next test creates its integration under the same (cluster-wide) name: only once this one is gone
        // (the operator may still be writing its status or removing its finalizer as it goes: a 409 otherwise)
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    vis.list()
                            .getItems()
                            .forEach(vi ->
                                    forceDelete(vis.withName(vi.getMetadata().getName())));
                    return vis.list().getItems().isEmpty();
                });
    }

    private static void forceDelete(io.fabric8.kubernetes.client.dsl.Resource<?> r) {
        try {
            r.delete();
            r.patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":null}}");
        } catch (io.fabric8.kubernetes.client.KubernetesClientException gone) {
            // already deleted (no finalizer left to remove)
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (operator != null) {
            assembly.stop(api.operatorClient());
        }
        if (api != null) {
            api.close();
        }
    }

    /** The projected ServiceAccount token (audience vault) the operator presents to Vault's Kubernetes auth. */
    public String vaultJwt() {
        return vaultJwt;
    }

    /**
     * Configures {@code vault}'s Kubernetes auth at "kubernetes" as an admin would for this cluster: this API
     * server (its CA), a reviewer ServiceAccount (vault/vault-auth) bound to system:auth-delegator (with
     * {@code reviewerMayReview} false: vault/vault-auth-unbound, which has no grant at all), and {@code role} bound to the operator's ServiceAccount
     * (maas-security/maas-security-operator) with audience vault and {@code policies}.
     */
    public void kubernetesAuth(
            io.maasops.security.testing.vault.VaultDouble vault,
            String role,
            List<String> boundNames,
            List<String> boundNamespaces,
            List<String> policies,
            boolean reviewerMayReview) {
        String reviewer = reviewerMayReview ? REVIEWER : REVIEWER + "-unbound";
        if (reviewerMayReview) {
            api.bindServiceAccount(REVIEWER_NAMESPACE, reviewer, KubeApiDouble.AUTH_DELEGATOR);
        }
        String reviewerJwt = api.serviceAccountToken(
                REVIEWER_NAMESPACE, reviewer, List.of(KubeApiDouble.API_AUDIENCE), Duration.ofHours(2));
        vault.configureKubernetesAuth("kubernetes", api.url(), api.caPem(), reviewerJwt);
        vault.kubernetesRole(
                "kubernetes", role, boundNames, boundNamespaces, VAULT_AUDIENCE, policies, Duration.ofHours(1));
    }

    /** The API double, e.g. for {@link KubeApiDouble#recordedAccess(String)}. */
    public KubeApiDouble api() {
        return api;
    }

    /** The test's own client (not the operator's). */
    public KubernetesClient client() {
        return api.client();
    }

    public String namespace() {
        return namespace;
    }

    public MutableClock clock() {
        return clock;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Operator operator() {
        return operator;
    }

    /**
     * Makes the operator look again at everything that depends on a resource: sets an annotation by
     * JSON merge patch (no resourceVersion, so it never conflicts with the operator's status writes).
     * Metadata-only changes do not reconcile the resource itself (generation-aware processing), but
     * they reach the resources that watch it, e.g. every MaasRegion of a VaultIntegration.
     */
    public void nudge(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type, String name) {
        String patch = "{\"metadata\":{\"annotations\":{\"test.maasops.io/nudge\":\"" + System.nanoTime() + "\"}}}";
        api.client()
                .resources(type)
                .inNamespace(namespace)
                .withName(name)
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        patch);
    }

    /**
     * What a user does to ask for an immediate re-check: a new value of
     * security.maasops.io/reconcile-requested-at (the resource itself and everything watching it reconcile).
     */
    public void requestCheck(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type, String name) {
        String patch =
                "{\"metadata\":{\"annotations\":{\"" + io.maasops.security.controller.ReconcileRequestFilter.ANNOTATION
                        + "\":\"" + System.nanoTime() + "\"}}}";
        api.client()
                .resources(type)
                .inNamespace(namespace)
                .withName(name)
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        patch);
    }

    public io.maasops.security.bootstrap.ProductionPorts ports() {
        return assembly.ports();
    }
}
