package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.maasops.security.testing.kube.Reconciles;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.vault.VaultDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantic half of the bad-input catalogue: resources the schema accepts, each in its own
 * namespace against the real operator. Each must end with a False condition carrying the case's
 * reason and message, Ready=False for its generation, a status that stops changing (no hot
 * retry loop), and no Vault write that grants anything (policy, role, secret-id, mount).
 */
class SemanticBadInputTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    MaasTestbed testbed;

    @AfterEach
    void close() {
        if (testbed != null) {
            testbed.close();
        }
    }

    /** Reconciles of the case's kind allowed in 3 s once its status has settled (see the test). */
    static final int MAX_RECONCILES = 8;

    static Stream<Case> cases() {
        return SemanticBadInput.CASES.stream();
    }

    KubernetesClient k8s() {
        return OPERATOR.client();
    }

    String ns() {
        return OPERATOR.namespace();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAClearStatusAndNoVaultWrite(Case c) {
        // region hosts only where a case reaches a region (region-a for Setup.REGION, region-b as the target)
        testbed = MaasTestbed.start("VaultIntegration".equals(c.kind()) ? 0 : 2);
        VaultDouble vault = testbed.vault();
        // the operator's namespace is shared by the cases: each starts without its Vault token Secret
        k8s().secrets().inNamespace(MaasTestbed.OPERATOR_NAMESPACE).delete();
        setUp(c.setup());
        for (String extra : c.secrets()) {
            extra(extra);
        }
        int before = vault.requests().size();
        int maasBefore = testbed.api().requestLog().size();

        Class<? extends CustomResource<?, ? extends ResourceStatus>> type = switch (c.kind()) {
            case "VaultIntegration" -> VaultIntegration.class;
            case "MaasRegion" -> MaasRegion.class;
            default -> RoleBinding.class;
        };
        String yaml = "apiVersion: security.maasops.io/v1alpha1\nkind: " + c.kind() + "\nmetadata: {name: bad}\nspec:\n"
                + c.yaml()
                        .replace("%VAULT%", vault.address().toString())
                        .replace(
                                "%SSH_PORT%",
                                c.yaml().contains("%SSH_PORT%")
                                        ? String.valueOf(
                                                testbed.host("region-b").port())
                                        : "");
        create(type, yaml);

        Condition refused = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            var r = k8s().resources(type)
                                    .inNamespace(ns())
                                    .withName("bad")
                                    .get();
                            if (r == null
                                    || r.getStatus() == null
                                    || !r.getMetadata()
                                            .getGeneration()
                                            .equals(r.getStatus().getObservedGeneration())
                                    || !Conditions.find(r.getStatus().getConditions(), Conditions.READY)
                                            .map(x -> "False".equals(x.getStatus()))
                                            .orElse(false)) {
                                return null;
                            }
                            return r.getStatus().getConditions().stream()
                                    .filter(x -> "False".equals(x.getStatus()))
                                    .filter(x ->
                                            c.reason().isEmpty() || c.reason().equals(x.getReason()))
                                    .filter(x -> x.getMessage() != null
                                            && x.getMessage().contains(c.message()))
                                    .findFirst()
                                    .orElse(null);
                        },
                        x -> x != null);
        assertThat(refused.getMessage()).as("a clear message").isNotBlank();
        System.out.println("bad input '" + c.name() + "': " + refused.getType() + "=False " + refused.getReason() + ": "
                + refused.getMessage());

        // no hot loop: the status stops changing (a backoff may still rewrite it, but not continuously) ...
        AtomicReference<String> lastVersion = new AtomicReference<>("");
        AtomicLong since = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String rv = k8s().resources(type)
                            .inNamespace(ns())
                            .withName("bad")
                            .get()
                            .getMetadata()
                            .getResourceVersion();
                    if (!rv.equals(lastVersion.getAndSet(rv))) {
                        since.set(System.nanoTime());
                    }
                    return System.nanoTime() - since.get()
                            > Duration.ofMillis(1000).toNanos();
                });
        // ... and the operator is not reconciling it over and over with the same answer (which leaves the status
        // as it is): with the tests' retry delays (300 ms doubling to 2 s) a backoff allows a few reconciles in
        // 3 s, a hot loop hundreds
        long reconcilesBefore = Reconciles.started(OPERATOR.registry(), c.kind());
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> Reconciles.started(OPERATOR.registry(), c.kind()) - reconcilesBefore <= MAX_RECONCILES);

        if (type == RoleBinding.class) {
            // a RoleBinding's identity is the MAAS API key: nothing written to MAAS
            assertThat(testbed.api().requestLog().stream()
                            .skip(maasBefore)
                            .filter(r -> !r.method().equals("GET")))
                    .as("MAAS API writes caused by the bad input")
                    .isEmpty();
        }

        List<VaultDouble.Request> granting = vault.requests().stream()
                .skip(before)
                .filter(r -> r.write() && r.status() >= 200 && r.status() < 300)
                // the policy or a mount (anyone's), or the AppRole of the resource under test ("bad")
                .filter(r -> r.path().contains("/sys/policies/")
                        || r.path().contains("/sys/mounts/")
                        || r.path().contains("/auth/approle/role/maas_" + ns() + "_bad"))
                .toList();
        assertThat(granting).as("Vault writes caused by the bad input").isEmpty();
    }

    private void setUp(Setup setup) {
        if (setup == Setup.NOTHING) {
            return;
        }
        testbed.applySecrets(k8s(), ns());
        if (setup == Setup.SECRETS) {
            return;
        }
        k8s().resource(testbed.integration("maas", ns())).create();
        // not Ready while MAAS lists unconfigured regions; its Vault set-up is what regions need
        awaitCondition(VaultIntegration.class, "maas", "PolicyReady");
        if (setup == Setup.REGION) {
            testbed.api().addPool("production", "");
            testbed.api().addUser("alice", false);
            k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
            awaitCondition(MaasRegion.class, "region-a", Conditions.READY);
        }
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
                    .withName("maas")
                    .patch(
                            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"spec\":{\"tenancy\":{\"" + field + "\":[\"" + value + "\"]}}}");
            return;
        }
        if (spec.startsWith("REGION_WITHOUT_API:")) {
            MaasRegion bare = testbed.region("region-b", "maas");
            bare.getMetadata().setName(spec.substring("REGION_WITHOUT_API:".length()));
            bare.getSpec().setApi(null);
            k8s().resource(bare).inNamespace(ns()).create();
            return;
        }
        String name = spec.substring(0, spec.indexOf('/'));
        String key = spec.substring(spec.indexOf('/') + 1, spec.indexOf('='));
        String value = spec.substring(spec.indexOf('=') + 1);
        value = switch (value) {
            case "WEAK" -> testbed.vault().createToken(List.of("default"), Duration.ofHours(1));
            case "GARBAGE" -> "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n";
            case "OTHER_HOST" ->
                KeyMaterial.knownHostsLine(
                                "127.0.0.1",
                                testbed.host("region-b").port(),
                                KeyMaterial.generateEd25519().getPublic())
                        + "\n";
            default -> value;
        };
        // a VaultIntegration's Secrets are the admin's, in the operator's namespace
        boolean integrations = name.endsWith("-token") || name.equals("vault-token");
        MaasTestbed.applySecret(k8s(), integrations ? MaasTestbed.OPERATOR_NAMESPACE : ns(), name, Map.of(key, value));
    }

    private <T extends CustomResource<?, ?>> void create(Class<T> type, String yaml) {
        T resource = Serialization.unmarshal(yaml, type);
        if (resource instanceof io.fabric8.kubernetes.api.model.Namespaced) {
            k8s().resources(type).inNamespace(ns()).resource(resource).create();
        } else {
            k8s().resources(type).resource(resource).create();
        }
    }

    private void awaitCondition(
            Class<? extends CustomResource<?, ? extends ResourceStatus>> type, String name, String condition) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var r = k8s().resources(type)
                            .inNamespace(ns())
                            .withName(name)
                            .get();
                    return r != null
                            && r.getStatus() != null
                            && Conditions.isTrue(r.getStatus().getConditions(), condition);
                });
    }
}
