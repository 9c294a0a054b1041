package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.SemanticBadInput;
import io.maasops.security.api.SemanticBadInput.Case;
import io.maasops.security.api.SemanticBadInput.Setup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.ReconcileLog;
import io.maasops.security.testing.kube.Reconciles;
import io.maasops.security.testing.maas.MaasApiDouble.LoggedRequest;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.vault.VaultDouble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantic half of the bad-input catalogue: resources the schema accepts, each in its own
 * namespace against the real operator. Each must end with a False condition carrying the case's
 * reason and message, Ready=False for its generation, a status that stops changing (no hot
 * retry loop), and no Vault write that grants anything (policy, role, secret-id, mount).
 *
 * <p>All cases run at once in one operator, each with its own namespace, testbed (Vault, MAAS, hosts) and
 * cluster-wide names (its integration "maas-N", its Vault token Secret "vault-token-N", a VaultIntegration case's
 * "bad-N"), so that their waits overlap: set-ups, refusals and the settling of every status are awaited together,
 * and reconciles are counted per resource in one shared window. Each case's test then checks what was seen for it.
 */
class SemanticBadInputTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    /** Reconciles of the case's resource allowed in 3 s once its status has settled (see {@link #observe}). */
    static final int MAX_RECONCILES = 8;

    static final Duration SETTLED = Duration.ofMillis(1000);
    static final Duration WINDOW = Duration.ofSeconds(3);

    static final List<Run> RUNS = new ArrayList<>();
    static ReconcileLog reconcileLog;
    static long josdkStarted;
    static long loggedExecutions;

    static Stream<Case> cases() {
        return SemanticBadInput.CASES.stream();
    }

    static KubernetesClient k8s() {
        return OPERATOR.client();
    }

    @BeforeAll
    static void runEveryCaseAtOnce() {
        reconcileLog = ReconcileLog.start();
        long startedBefore = josdkStarted();
        Map<?, Long> loggedBefore = reconcileLog.all();
        for (int i = 0; i < SemanticBadInput.CASES.size(); i++) {
            RUNS.add(new Run(i, SemanticBadInput.CASES.get(i)));
        }
        RUNS.forEach(Run::createNamespaceAndIntegration);
        RUNS.forEach(r -> r.awaitSetUp(SemanticBadInput.Setup.INTEGRATION, "PolicyReady"));
        RUNS.forEach(Run::createRegion);
        RUNS.forEach(r -> r.awaitSetUp(SemanticBadInput.Setup.REGION, Conditions.READY));
        RUNS.forEach(Run::createBadInput);
        observe();
        josdkStarted = josdkStarted() - startedBefore;
        loggedExecutions = reconcileLog.all().entrySet().stream()
                .mapToLong(e -> e.getValue() - loggedBefore.getOrDefault(e.getKey(), 0L))
                .sum();
        RUNS.forEach(Run::recordWrites);
    }

    /**
     * Waits (together) until every case's resource is refused, then until its status stops changing for 1 s (no hot
     * loop rewriting it), then counts each resource's reconciles in one 3 s window: the operator must not be
     * reconciling it over and over with the same answer (which leaves the status as it is). With the tests' retry
     * delays (300 ms doubling to 2 s) a backoff allows a few reconciles in 3 s, a hot loop hundreds.
     */
    static void observe() {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> RUNS.stream().filter(Run::refused).count() == RUNS.size());
        } catch (ConditionTimeoutException e) {
            // each case's test reports its own
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    // every run polled each time (no short circuit): each one's 1 s starts when it last changed
                    .until(() -> RUNS.stream().filter(Run::settled).count() == RUNS.size());
        } catch (ConditionTimeoutException e) {
            // each case's test reports its own
        }
        RUNS.forEach(Run::markReconciles);
        try {
            await().during(WINDOW)
                    .atMost(WINDOW.plusSeconds(1))
                    .until(() -> RUNS.stream().allMatch(r -> r.reconcilesSinceMark() <= MAX_RECONCILES));
        } catch (ConditionTimeoutException e) {
            // a case went over: its test fails with its count
        }
        RUNS.forEach(r -> r.reconciles = r.reconcilesSinceMark());
    }

    static long josdkStarted() {
        return Stream.of("VaultIntegration", "MaasRegion", "RoleBinding")
                .mapToLong(k -> Reconciles.started(OPERATOR.registry(), k))
                .sum();
    }

    @AfterAll
    static void closeTestbeds() {
        RUNS.forEach(r -> r.testbed.close());
        RUNS.forEach(r -> OperatorExtension.removeAll(k8s(), r.ns));
        if (reconcileLog != null) {
            reconcileLog.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAClearStatusAndNoVaultWrite(Case c) {
        Run run = RUNS.get(SemanticBadInput.CASES.indexOf(c));
        assertThat(run.refused)
                .as("a False condition with reason '" + c.reason() + "' and a message containing '" + c.message()
                        + "', Ready=False for the resource's generation; last status seen: " + run.lastStatus)
                .isNotNull();
        assertThat(run.refused.getMessage()).as("a clear message").isNotBlank();
        System.out.println("bad input '" + c.name() + "': " + run.refused.getType() + "=False "
                + run.refused.getReason() + ": " + run.refused.getMessage());
        assertThat(run.settledAt)
                .as("the status stopped changing for " + SETTLED)
                .isNotNull();
        assertThat(run.reconciles)
                .as("reconciles of the resource in " + WINDOW + " once settled")
                .isLessThanOrEqualTo(MAX_RECONCILES);
        if (run.type == RoleBinding.class) {
            // a RoleBinding's identity is the MAAS API key: nothing written to MAAS
            assertThat(run.maasWrites)
                    .as("MAAS API writes caused by the bad input")
                    .isEmpty();
        }
        assertThat(run.vaultGrants).as("Vault writes caused by the bad input").isEmpty();
    }

    /**
     * The per-resource counts come from JOSDK's debug log: they must see every reconcile JOSDK's metrics counted,
     * but for those already under way when the counting started (logged before it, counted by JOSDK after): at most
     * one per reconcile thread of the operator (OperatorExtension: 4).
     */
    @org.junit.jupiter.api.Test
    void reconcilesCountedPerResourceCoverJosdksOwnCount() {
        assertThat(josdkStarted)
                .as("reconciles JOSDK counted while the cases ran")
                .isGreaterThan(RECONCILE_THREADS);
        assertThat(loggedExecutions)
                .as("reconcile executions counted per resource")
                .isGreaterThanOrEqualTo(josdkStarted - RECONCILE_THREADS);
    }

    static final int RECONCILE_THREADS = 4;

    /** One case: its namespace, testbed and names, and what was seen of it. */
    static final class Run {
        final int index;
        final Case c;
        final String ns;
        final MaasTestbed testbed;
        final String integration;
        final String tokenSecret;
        final Class<? extends CustomResource<?, ? extends ResourceStatus>> type;
        final String name;
        int vaultBefore;
        int maasBefore;
        Condition refused;
        String lastStatus = "none";
        String lastVersion = "";
        long changedAt;
        Long settledAt;
        long reconcileMark;
        long reconciles;
        List<LoggedRequest> maasWrites = List.of();
        List<VaultDouble.Request> vaultGrants = List.of();

        Run(int index, Case c) {
            this.index = index;
            this.c = c;
            this.ns = "bad" + index + "-" + UUID.randomUUID().toString().substring(0, 6);
            // region hosts only where a case reaches a region (region-a for Setup.REGION, region-b as the target)
            this.testbed = MaasTestbed.start("VaultIntegration".equals(c.kind()) ? 0 : 2);
            this.integration = "maas-" + index;
            this.tokenSecret = MaasTestbed.VAULT_TOKEN_SECRET + "-" + index;
            this.type = switch (c.kind()) {
                case "VaultIntegration" -> VaultIntegration.class;
                case "MaasRegion" -> MaasRegion.class;
                default -> RoleBinding.class;
            };
            // VaultIntegrations are cluster-scoped: one name per case
            this.name = type == VaultIntegration.class ? "bad-" + index : "bad";
        }

        void createNamespaceAndIntegration() {
            k8s().namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
            if (c.setup() == Setup.NOTHING) {
                return;
            }
            // the testbed's Secrets, the Vault token under this case's name (the operator's namespace is shared)
            MaasTestbed.applySecret(
                    k8s(), MaasTestbed.OPERATOR_NAMESPACE, tokenSecret, Map.of("token", testbed.operatorToken()));
            MaasTestbed.applySecret(
                    k8s(), ns, MaasTestbed.SSH_KEY_SECRET, Map.of("id_ed25519", testbed.clientPrivateKey()));
            MaasTestbed.applySecret(
                    k8s(), ns, MaasTestbed.KNOWN_HOSTS_SECRET, Map.of("known_hosts", testbed.knownHosts()));
            MaasTestbed.applySecret(
                    k8s(),
                    ns,
                    MaasTestbed.API_KEY_SECRET,
                    Map.of("api-key", testbed.api().apiKey()));
            if (c.setup() == Setup.SECRETS) {
                return;
            }
            VaultIntegration vi = testbed.integration(integration, ns);
            vi.getSpec().getVault().getAuth().getTokenSecretRef().setName(tokenSecret);
            k8s().resource(vi).create();
        }

        /** Not Ready while MAAS lists unconfigured regions; its Vault set-up is what regions need. */
        void createRegion() {
            if (c.setup() == Setup.REGION) {
                testbed.api().addPool("production", "");
                testbed.api().addUser("alice", false);
                k8s().resource(testbed.region("region-a", integration))
                        .inNamespace(ns)
                        .create();
            }
        }

        void awaitSetUp(Setup from, String condition) {
            if (c.setup().ordinal() < from.ordinal()) {
                return;
            }
            boolean integrationReady = from == Setup.INTEGRATION;
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        var r = integrationReady
                                ? k8s().resources(VaultIntegration.class)
                                        .withName(integration)
                                        .get()
                                : k8s().resources(MaasRegion.class)
                                        .inNamespace(ns)
                                        .withName("region-a")
                                        .get();
                        return r != null
                                && r.getStatus() != null
                                && Conditions.isTrue(r.getStatus().getConditions(), condition);
                    });
        }

        void createBadInput() {
            for (String extra : c.secrets()) {
                extra(extra);
            }
            vaultBefore = testbed.vault().requests().size();
            maasBefore = testbed.api().requestLog().size();
            String yaml = c.yaml()
                    .replace("%VAULT%", testbed.vault().address().toString())
                    .replace(
                            "%SSH_PORT%",
                            c.yaml().contains("%SSH_PORT%")
                                    ? String.valueOf(testbed.host("region-b").port())
                                    : "")
                    .replaceAll("(tokenSecretRef: \\{name: )([a-z-]+)", "$1$2-" + index)
                    .replace("vaultIntegrationRef: {name: maas}", "vaultIntegrationRef: {name: " + integration + "}");
            CustomResource<?, ?> resource = Serialization.unmarshal(
                    "apiVersion: security.maasops.io/v1alpha1\nkind: " + c.kind() + "\nmetadata: {name: " + name
                            + "}\nspec:\n" + yaml,
                    type);
            if (resource instanceof io.fabric8.kubernetes.api.model.Namespaced) {
                k8s().resource(resource).inNamespace(ns).create();
            } else {
                k8s().resource(resource).create();
            }
        }

        CustomResource<?, ? extends ResourceStatus> get() {
            return type == VaultIntegration.class
                    ? k8s().resources(type).withName(name).get()
                    : k8s().resources(type).inNamespace(ns).withName(name).get();
        }

        /** True once the resource shows a False condition with the case's reason and message, Ready=False for its generation. */
        boolean refused() {
            if (refused != null) {
                return true;
            }
            var r = get();
            if (r == null || r.getStatus() == null) {
                return false;
            }
            lastStatus = Serialization.asJson(r.getStatus());
            if (!r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration())
                    || !Conditions.find(r.getStatus().getConditions(), Conditions.READY)
                            .map(x -> "False".equals(x.getStatus()))
                            .orElse(false)) {
                return false;
            }
            refused = r.getStatus().getConditions().stream()
                    .filter(x -> "False".equals(x.getStatus()))
                    .filter(x -> c.reason().isEmpty() || c.reason().equals(x.getReason()))
                    .filter(x -> x.getMessage() != null && x.getMessage().contains(c.message()))
                    .findFirst()
                    .orElse(null);
            return refused != null;
        }

        /** True once the resource's resourceVersion has not changed for {@link #SETTLED} (a backoff may still rewrite it). */
        boolean settled() {
            if (settledAt != null) {
                return true;
            }
            if (refused == null) {
                return true; // nothing to settle: its test fails on the refusal
            }
            String rv = get().getMetadata().getResourceVersion();
            long now = System.nanoTime();
            if (!rv.equals(lastVersion)) {
                lastVersion = rv;
                changedAt = now;
            } else if (now - changedAt > SETTLED.toNanos()) {
                settledAt = now;
            }
            return settledAt != null;
        }

        void markReconciles() {
            reconcileMark = executions();
        }

        long reconcilesSinceMark() {
            return executions() - reconcileMark;
        }

        long executions() {
            return reconcileLog.executions(type == VaultIntegration.class ? null : ns, name);
        }

        void recordWrites() {
            maasWrites = testbed.api().requestLog().stream()
                    .skip(maasBefore)
                    .filter(r -> !r.method().equals("GET"))
                    .toList();
            vaultGrants = testbed.vault().requests().stream()
                    .skip(vaultBefore)
                    .filter(r -> r.write() && r.status() >= 200 && r.status() < 300)
                    // the policy or a mount (anyone's), or the AppRole of the resource under test ("bad")
                    .filter(r -> r.path().contains("/sys/policies/")
                            || r.path().contains("/sys/mounts/")
                            || r.path().contains("/auth/approle/role/maas_" + ns + "_bad"))
                    .toList();
        }

        /** "name/key=value" Secrets, and a few set-ups the Secrets cannot express. */
        private void extra(String spec) {
            if (spec.startsWith("KV1:")) {
                testbed.vault().enableKvV1(spec.substring(4));
                return;
            }
            if (spec.startsWith("ALLOW_ONLY:") || spec.startsWith("ALLOW_SSH:")) {
                String value = spec.substring(spec.indexOf(':') + 1);
                String field = spec.startsWith("ALLOW_ONLY:") ? "allowedNamespaces" : "allowedSshHosts";
                // a merge patch (no resourceVersion): never conflicts with the operator's status writes
                k8s().resources(VaultIntegration.class)
                        .withName(integration)
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                "{\"spec\":{\"tenancy\":{\"" + field + "\":[\"" + value + "\"]}}}");
                return;
            }
            if (spec.startsWith("REGION_WITHOUT_API:")) {
                MaasRegion bare = testbed.region("region-b", integration);
                bare.getMetadata().setName(spec.substring("REGION_WITHOUT_API:".length()));
                bare.getSpec().setApi(null);
                k8s().resource(bare).inNamespace(ns).create();
                return;
            }
            String secret = spec.substring(0, spec.indexOf('/'));
            String key = spec.substring(spec.indexOf('/') + 1, spec.indexOf('='));
            String value = spec.substring(spec.indexOf('=') + 1);
            value = switch (value) {
                case "WEAK" -> testbed.vault().createToken(List.of("default"), Duration.ofHours(1));
                case "GARBAGE" ->
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n";
                case "OTHER_HOST" ->
                    KeyMaterial.knownHostsLine(
                                    "127.0.0.1",
                                    testbed.host("region-b").port(),
                                    KeyMaterial.generateEd25519().getPublic())
                            + "\n";
                default -> value;
            };
            // a VaultIntegration's Secrets are the admin's, in the operator's namespace (under this case's name)
            boolean integrations = secret.endsWith("-token") || secret.equals("vault-token");
            if (integrations) {
                MaasTestbed.applySecret(
                        k8s(), MaasTestbed.OPERATOR_NAMESPACE, secret + "-" + index, Map.of(key, value));
            } else {
                MaasTestbed.applySecret(k8s(), ns, secret, Map.of(key, value));
            }
        }
    }
}
