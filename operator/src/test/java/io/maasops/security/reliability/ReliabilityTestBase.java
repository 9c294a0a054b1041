package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.controller.ReconcileRequestFilter;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.OutputCapture;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.RestartableOperator;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.vault.VaultDouble;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every reliability test shares: one real operator per test class that a test may stop and
 * start (as a pod is killed and rescheduled), and per test a namespace, a fresh {@link MaasTestbed}
 * (Vault, region hosts, MAAS API) and everything printed ({@link OutputCapture}) for the leak check.
 *
 * <p>Fault points are named by what the doubles have seen (Vault's request log, a host's command
 * log, MAAS's migrate hooks), never by timing, so they are reproducible without sleeping.
 */
abstract class ReliabilityTestBase {

    static final Duration CONVERGE = Duration.ofSeconds(60);
    /** How long a fault point may take to come: the flows before it take a few seconds. */
    static final Duration FAULT_POINT = Duration.ofSeconds(30);

    static KubeApiDouble api;
    static RestartableOperator operator;

    String ns;
    MaasTestbed testbed;
    OutputCapture output;

    @BeforeAll
    static void startOperator() {
        api = KubeApiDouble.start();
        operator = new RestartableOperator(api).start();
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        api.close();
    }

    /** Region hosts per test: few, so that each test takes seconds. */
    abstract int regions();

    @BeforeEach
    void namespace() {
        ns = "r-" + UUID.randomUUID().toString().substring(0, 8);
        k8s().namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        output = new OutputCapture();
        testbed = MaasTestbed.start(regions());
        testbed.applySecrets(k8s(), ns);
    }

    @AfterEach
    void close() {
        output.close();
        testbed.close();
        // the cluster-scoped VaultIntegration would outlive the test's namespace
        io.maasops.security.testing.kube.OperatorExtension.removeAll(k8s(), ns);
        operator.start(); // a test that stopped it leaves it running for the next
    }

    KubernetesClient k8s() {
        return api.client();
    }

    String role(String region) {
        return "maas_" + ns + "_" + region;
    }

    String rolePath(String region) {
        return "/v1/auth/approle/role/" + role(region);
    }

    /** The VaultIntegration "maas" the test starts with (Manual migration, not approved, unless overridden). */
    VaultIntegration integration() {
        return testbed.integration("maas", ns);
    }

    void applyAll() {
        k8s().resource(integration()).inNamespace(ns).create();
        for (RegionHostDouble h : testbed.hosts()) {
            k8s().resource(testbed.region(h.hostname(), "maas")).inNamespace(ns).create();
        }
    }

    MaasRegion region(String name) {
        return k8s().resources(MaasRegion.class).inNamespace(ns).withName(name).get();
    }

    VaultIntegration vaultIntegration() {
        return k8s().resources(VaultIntegration.class)
                .inNamespace(ns)
                .withName("maas")
                .get();
    }

    /** Waits until the Vault double has logged a request matching {@code what}: a fault point. */
    void awaitVault(Predicate<VaultDouble.Request> what) {
        await().atMost(FAULT_POINT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> testbed.vault().requests().stream().anyMatch(what));
    }

    /** Waits until a command line containing {@code what} was logged by {@code host} after its first {@code mark} ones. */
    void awaitCommand(RegionHostDouble host, int mark, String what) {
        await().atMost(FAULT_POINT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> host.commandLog().stream().skip(mark).anyMatch(l -> l.contains(what)));
    }

    /**
     * A region's host goes down until the operator has noticed (a status names the host's address, or
     * the region is not Ready); then it comes back. A converged region would not notice a host that went
     * away until its next periodic check: the region is asked to reconcile now.
     */
    void hostDownUntilNoticed(String region) {
        RegionHostDouble host = testbed.host(region);
        String address = "@" + host.host() + ":" + host.port();
        host.stop();
        nudge(MaasRegion.class, region);
        await().atMost(FAULT_POINT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> notReady(region(region))
                        || mentions(region(region), address)
                        || mentions(vaultIntegration(), address));
        host.start();
    }

    private static boolean notReady(MaasRegion r) {
        return r != null
                && r.getStatus() != null
                && Conditions.find(r.getStatus().getConditions(), Conditions.READY)
                        .map(c -> Conditions.FALSE.equals(c.getStatus()))
                        .orElse(false);
    }

    private static boolean mentions(CustomResource<?, ?> r, String text) {
        return r != null
                && r.getStatus() != null
                && Serialization.asJson(r.getStatus()).contains(text);
    }

    void awaitAllReady() {
        await().atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Invariants.allReady(k8s(), ns, testbed));
    }

    static long seed() {
        String s = System.getProperty("reliability.seed");
        long seed = s != null ? Long.parseLong(s) : System.nanoTime();
        System.out.println("reliability seed: " + seed + " (replay with -Dreliability.seed=" + seed + ")");
        return seed;
    }

    /**
     * Seals Vault, makes the integration look again (so a run that had already converged meets the seal too), and
     * unseals once someone has met the seal (a 503) and the VaultIntegration reports it: as an admin unseals after
     * reading the integration's status. A real seal lasts until a person or an auto-unseal acts.
     * Unsealing as soon as a 503 was met made the seal shorter than the operator's look at Vault after a failure:
     * MAAS's migrate failed on the 503 and Vault was healthy again when the operator asked why, so the migration was
     * Failed (docs/reliability.md). The test failed whenever that look came over ~100 ms late (e.g. with
     * -Dvault.double.minLatencyMs=200). The integration runs the migration, so it reports the seal only after its
     * own look.
     */
    void sealUntilNoticedThenUnseal() {
        testbed.vault().seal();
        int sealedAt = testbed.vault().requests().size();
        nudgeIntegration();
        await().atMost(FAULT_POINT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> testbed.vault().requests().stream().skip(sealedAt).anyMatch(r -> r.status() == 503)
                        && sealReported(vaultIntegration()));
        testbed.vault().unseal();
    }

    private static final java.util.Set<String> SEALED_REASONS =
            java.util.Set.of(Reason.SEALED.value(), Reason.VAULT_SEALED.value());

    /** A condition's or the migration's reason says Vault is sealed. */
    private static boolean sealReported(VaultIntegration vi) {
        if (vi == null || vi.getStatus() == null) {
            return false;
        }
        var migration = vi.getStatus().getMigration();
        return (migration != null && SEALED_REASONS.contains(migration.getReason()))
                || (vi.getStatus().getConditions() != null
                        && vi.getStatus().getConditions().stream()
                                .anyMatch(c -> SEALED_REASONS.contains(c.getReason())));
    }

    /**
     * Waits until the flow started after the Vault double's first {@code mark} requests has made {@code point} more,
     * and fails if it finished ({@code done}) before: a random fault point the flow never reaches would test nothing.
     */
    void awaitRandomPoint(int mark, int point, BooleanSupplier done) {
        boolean reached = await().atMost(FAULT_POINT)
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () -> testbed.vault().requests().size() - mark >= point || done.getAsBoolean()
                                ? testbed.vault().requests().size() - mark >= point
                                : null,
                        x -> x != null);
        assertThat(reached)
                .as("the flow made at least " + point + " Vault requests (the random fault point); it made "
                        + (testbed.vault().requests().size() - mark))
                .isTrue();
    }

    /**
     * Arms {@code n} connection resets, makes every region look again (so a run that had already converged meets
     * them too) and waits until all were met.
     */
    void resetsUntilSomeoneMeetsThem(int n) {
        int mark = testbed.vault().requests().size();
        testbed.vault().faults().resetNextConnections(n);
        nudgeIntegration();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> testbed.vault().requests().stream()
                                .skip(mark)
                                .filter(r -> r.status() == 0)
                                .count()
                        == n);
    }

    /**
     * Every MaasRegion that refers to the integration reconciles now (the VaultIntegration itself is
     * generation-aware: an annotation does not reconcile it).
     */
    void nudgeIntegration() {
        nudge(VaultIntegration.class, "maas");
    }

    /**
     * A new value of the reconcile-requested-at annotation (as `kubectl annotate --overwrite` would set):
     * a MaasRegion or RoleBinding reconciles now (other metadata-only changes are filtered out).
     */
    <T extends CustomResource<?, ?>> void nudge(Class<T> type, String name) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + ReconcileRequestFilter.ANNOTATION + "\":\""
                + System.nanoTime() + "\"}}}";
        k8s().resources(type).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
