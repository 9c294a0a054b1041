package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.Names;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.SchemaValidator;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.validation.SpecValidator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trust boundary (docs/security-model.md), one test per finding of the review: each makes the
 * attack a namespace author (or a misconfiguration) would make, and sees it refused with a clear
 * condition, no Vault write, no command on any host and no connection to where the attacker
 * listens. Findings 3, 6, 8 and the SSH ones of 9 have tests of their own (OperatorVaultPolicyTest,
 * the config-file, network-limit and SSH tests).
 */
class TrustBoundaryTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final SchemaValidator SCHEMA = SchemaValidator.forGeneratedCrds();

    /** A server where an attacker would listen: it counts connections and answers nothing. */
    Listener attacker;

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    @AfterEach
    void stopAttacker() throws IOException {
        if (attacker != null) {
            attacker.close();
        }
    }

    // ---------------------------------------------------------------- finding 1

    @Test
    void finding1_theServiceAccountTokenGoesOnlyToTheVaultTheAdminNamed() throws Exception {
        // who may name the address at all: the VaultIntegration is cluster-scoped (namespace authors
        // with create rights on the namespaced kinds cannot create one), and no namespaced kind has an address field
        assertThat(KubeApiDouble.generatedCrds())
                .filteredOn(c -> c.getSpec().getNames().getKind().equals("VaultIntegration"))
                .singleElement()
                .satisfies(c -> assertThat(c.getSpec().getScope()).isEqualTo("Cluster"));
        assertThat(SCHEMA.validate(
                        yaml(region("region-a", "maas", "127.0.0.1", 22) + "  vault: {address: http://127.0.0.1:1}\n")))
                .as("a MaasRegion cannot carry a Vault address")
                .anyMatch(p -> p.contains("vault"));

        // a plain-http address the admin did not allow: refused before any connection
        attacker = Listener.start();
        k8s().resource(yaml(VaultIntegration.class, """
        apiVersion: security.maasops.io/v1alpha1
        kind: VaultIntegration
        metadata: {name: plain}
        spec:
          tenancy: {allowedNamespaces: [%s]}
          vault:
            address: http://127.0.0.1:%d
            auth:
              kubernetes: {role: maas-security-operator}
        """.formatted(ns(), attacker.port())))
                .create();
        Condition c = awaitReady(VaultIntegration.class, "plain", "InsecureVaultNotAllowed");
        assertThat(c.getMessage()).contains("spec.vault.address uses http").contains("allowInsecureHttp");
        quietFor(Duration.ofSeconds(1));
        assertThat(attacker.connections())
                .as("connections to the plain-http address")
                .isZero();

        // Kubernetes auth against the admin's Vault: the projected token (audience vault) goes there
        testbed = MaasTestbed.start(1);
        testbed.applySecrets(k8s(), ns());
        OPERATOR.kubernetesAuth(
                testbed.vault(),
                "maas-security-operator",
                List.of("maas-security-operator"),
                List.of(KubeApiDouble.RELEASE_NAMESPACE),
                List.of(MaasTestbed.OPERATOR_POLICY),
                true);
        var vi = testbed.integration("maas", ns());
        vi.getSpec().getVault().getAuth().setTokenSecretRef(null);
        var k8sAuth = new io.maasops.security.api.v1alpha1.KubernetesAuth();
        k8sAuth.setRole("maas-security-operator");
        vi.getSpec().getVault().getAuth().setKubernetes(k8sAuth);
        k8s().resource(vi).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
        awaitReady(MaasRegion.class, "region-a", "Secured");
        assertThat(testbed.vault().requests())
                .as("the operator logged in with its projected token")
                .anyMatch(r -> r.path().equals("/v1/auth/kubernetes/login") && r.status() == 200);
        assertThat(attacker.connections()).isZero();
    }

    // ---------------------------------------------------------------- finding 2

    @Test
    void finding2_aNamespaceTheAdminDidNotAllowCannotUseTheDeploymentNorChooseItsSecretsPath() {
        // the secrets mount and path are the admin's: no namespaced kind can say where MAAS's secrets are
        assertThat(SCHEMA.validate(
                        yaml(region("region-a", "maas", "127.0.0.1", 22) + "  secrets: {mount: secret, path: prod}\n")))
                .anyMatch(p -> p.contains("secrets"));

        testbed = MaasTestbed.start(1);
        String tenant = otherNamespace("tenant");
        testbed.applySecrets(k8s(), ns());
        testbed.applySecrets(k8s(), tenant);
        k8s().resource(testbed.integration("maas", ns())).create(); // allows ns() only
        awaitCondition(VaultIntegration.class, "maas", "PolicyReady", "True");
        VaultDouble vault = testbed.vault();
        vault.clearRequests();
        RegionHostDouble host = testbed.host("region-a");
        int commandsBefore = host.commandLog().size();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(tenant).create();
        Condition c = awaitReady(tenant, MaasRegion.class, "region-a", "NamespaceNotAllowed");
        assertThat(c.getMessage())
                .contains("namespace " + tenant)
                .contains("allowedNamespaces")
                .contains("Ask the cluster admin");
        quietFor(Duration.ofSeconds(1));
        assertThat(vault.requests()).as("Vault requests for the refused region").isEmpty();
        assertThat(host.commandLog().size()).as("commands on its host").isEqualTo(commandsBefore);
        assertThat(vault.roleNames("approle")).doesNotContain(Names.roleName(tenant, "region-a"));

        // a RoleBinding of that namespace: no MAAS call either
        int maasCalls = testbed.api().requestLog().size();
        var binding = yaml(RoleBinding.class, """
        apiVersion: security.maasops.io/v1alpha1
        kind: RoleBinding
        metadata: {name: ops}
        spec:
          maasRegionRef: {name: region-a}
          role: Operator
          subjects: [{kind: User, name: alice}]
          resourcePools: [production]
        """);
        k8s().resource(binding).inNamespace(tenant).create();
        awaitReady(tenant, RoleBinding.class, "ops", "NamespaceNotAllowed");
        assertThat(testbed.api().requestLog()).hasSize(maasCalls);

        // deleting the refused region makes no Vault call either (its role, if any, is the Vault admin's to remove)
        k8s().resources(MaasRegion.class)
                .inNamespace(tenant)
                .withName("region-a")
                .delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> k8s().resources(MaasRegion.class)
                                .inNamespace(tenant)
                                .withName("region-a")
                                .get()
                        == null);
        assertThat(vault.requests()).isEmpty();
    }

    // ---------------------------------------------------------------- finding 4

    @Test
    void finding4_podExecGoesOnlyIntoTheRegionsOwnNamespace() {
        assertThat(SCHEMA.validate(yaml("""
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: region-0}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: region-0
          access:
            pod: {name: maas-region-0, namespace: kube-system}
        """)))
                .as("access.pod.namespace does not exist")
                .anyMatch(p -> p.contains("namespace"));
        MaasRegion region = yaml(MaasRegion.class, """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: region-0, namespace: tenant}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: region-0
          access:
            pod: {name: maas-region-0, container: regiond}
        """);
        assertThat(OPERATOR.ports()
                        .runner(region, Optional.empty(), Optional.empty())
                        .describe())
                .isEqualTo("pod tenant/maas-region-0/regiond");
    }

    // ---------------------------------------------------------------- finding 5

    @Test
    void finding5_vaultNamesAreInjectiveAndDeletionUsesOnlyNamesDerivedFromTheResource() {
        assertThat(Names.roleName("a-b", "c")).isNotEqualTo(Names.roleName("a", "b-c"));
        testbed = MaasTestbed.start(3);
        // with "-" as the separator, namespace A-b/region c and namespace A/region b-c were both maas-A-b-c
        String second = otherNamespace("inj-" + ns()); // A, region "b-c"
        String first = otherNamespace(second + "-b"); // A-b, region "c"
        for (String n : List.of(first, second, ns())) {
            testbed.applySecrets(k8s(), n);
        }
        var vi = testbed.integration("maas", ns());
        vi.getSpec().getTenancy().setAllowedNamespaces(List.of(first, second, ns()));
        k8s().resource(vi).create();
        k8s().resource(renamed(testbed.region("region-a", "maas"), "c"))
                .inNamespace(first)
                .create();
        k8s().resource(renamed(testbed.region("region-b", "maas"), "b-c"))
                .inNamespace(second)
                .create();
        k8s().resource(testbed.region("region-c", "maas")).inNamespace(ns()).create();
        awaitReady(first, MaasRegion.class, "c", "Secured");
        awaitReady(second, MaasRegion.class, "b-c", "Secured");
        awaitReady(ns(), MaasRegion.class, "region-c", "Secured");
        String roleC = Names.roleName(first, "c");
        String roleQc = Names.roleName(second, "b-c");
        String roleRegionC = Names.roleName(ns(), "region-c");
        assertThat(testbed.vault().roleNames("approle")).contains(roleC, roleQc, roleRegionC);

        // status is writable by whoever may update status: point region-c's recorded role at q-c's
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName("region-c")
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"appRole\":{\"roleName\":\"" + roleQc + "\"}}}");
        k8s().resources(MaasRegion.class).inNamespace(ns()).withName("region-c").delete();
        k8s().resources(MaasRegion.class).inNamespace(first).withName("c").delete();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(testbed.vault().roleNames("approle")).doesNotContain(roleC, roleRegionC));
        assertThat(testbed.vault().roleNames("approle"))
                .as("the other tenant's role")
                .contains(roleQc);
        assertThat(testbed.vault().secretIdAccessors("approle", roleQc)).hasSize(1);
    }

    @Test
    void finding5_theRegionsPolicyCannotBeTheOperatorsOwn() {
        testbed = MaasTestbed.start(1);
        testbed.applySecrets(k8s(), ns());
        var vi = testbed.integration("maas", ns());
        vi.getSpec().setPolicyName(MaasTestbed.OPERATOR_POLICY);
        k8s().resource(vi).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
        Condition policy = awaitCondition(VaultIntegration.class, "maas", "PolicyReady", "False");
        assertThat(policy.getReason()).isEqualTo("PolicyIsOperatorsOwn");
        quietFor(Duration.ofSeconds(1));
        assertThat(testbed.vault().requests())
                .as("no role, no secret-id")
                .noneMatch(r -> r.write() && r.path().contains("/auth/approle/role/"));
        assertThat(testbed.host("region-a").commandLog()).noneMatch(l -> l.contains("config-vault configure"));
    }

    // ---------------------------------------------------------------- finding 7

    @Test
    void finding7_plainHttpAndUnlistedTargetsAreRefusedBeforeAnyConnection() throws Exception {
        attacker = Listener.start();
        testbed = MaasTestbed.start(1);
        testbed.applySecrets(k8s(), ns());
        var vi = testbed.integration("maas", ns());
        vi.getSpec().getTenancy().setAllowInsecureMaasApi(false);
        vi.getSpec().getTenancy().setAllowedSshHosts(List.of("10.0.0.0/8", "*.maas.example"));
        vi.getSpec().getTenancy().setAllowedMaasApiUrls(List.of("https://maas.example:5443/MAAS"));
        vi.getSpec().getTenancy().setAllowedTlsEndpoints(List.of("maas.example:5443"));
        k8s().resource(vi).create();
        awaitCondition(VaultIntegration.class, "maas", "PolicyReady", "True");
        testbed.vault().clearRequests();
        String at = "127.0.0.1:" + attacker.port();

        // an SSH host outside allowedSshHosts (a CIDR never matches a name, a name pattern never an address)
        k8s().resource(yaml(MaasRegion.class, region("ssh-elsewhere", "maas", "127.0.0.1", attacker.port())))
                .inNamespace(ns())
                .create();
        assertThat(awaitReady(MaasRegion.class, "ssh-elsewhere", "SshHostNotAllowed")
                        .getMessage())
                .contains("allowedSshHosts");
        // a MAAS API over plain http (the API key would travel in clear)
        k8s().resource(yaml(
                        MaasRegion.class,
                        region("api-http", "maas", "region-a.maas.example", 22) + "  api: {url: 'http://" + at
                                + "/MAAS', apiKeySecretRef: {name: maas-api-key, key: api-key}}\n"))
                .inNamespace(ns())
                .create();
        assertThat(awaitReady(MaasRegion.class, "api-http", "InsecureMaasApiNotAllowed")
                        .getMessage())
                .contains("in clear");
        // an https MAAS API URL outside allowedMaasApiUrls
        k8s().resource(yaml(
                        MaasRegion.class,
                        region("api-elsewhere", "maas", "region-a.maas.example", 22) + "  api: {url: 'https://" + at
                                + "/MAAS', apiKeySecretRef: {name: maas-api-key, key: api-key}}\n"))
                .inNamespace(ns())
                .create();
        assertThat(awaitReady(MaasRegion.class, "api-elsewhere", "MaasApiUrlNotAllowed")
                        .getMessage())
                .contains("allowedMaasApiUrls");
        // a prefix is a path prefix at a segment boundary, on the same scheme, host and port
        k8s().resource(
                        yaml(
                                MaasRegion.class,
                                region("api-lookalike", "maas", "region-a.maas.example", 22)
                                        + "  api: {url: 'https://maas.example:5443/MAASevil', apiKeySecretRef: {name: maas-api-key, key: api-key}}\n"))
                .inNamespace(ns())
                .create();
        awaitReady(MaasRegion.class, "api-lookalike", "MaasApiUrlNotAllowed");
        // a TLS endpoint outside allowedTlsEndpoints
        k8s().resource(yaml(
                        MaasRegion.class,
                        region("tls-elsewhere", "maas", "region-a.maas.example", 22) + "  tls: {endpoint: '" + at
                                + "', notifyMaas: false}\n"))
                .inNamespace(ns())
                .create();
        assertThat(awaitReady(MaasRegion.class, "tls-elsewhere", "TlsEndpointNotAllowed")
                        .getMessage())
                .contains("allowedTlsEndpoints");

        quietFor(Duration.ofSeconds(1));
        assertThat(attacker.connections())
                .as("connections to the attacker's address")
                .isZero();
        assertThat(testbed.vault().requests())
                .as("Vault requests for refused regions")
                .isEmpty();

        // a Vault address that would reach another path or server (?, #, user info): refused by the
        // schema, and again by the operator if the schema was bypassed (a stale CRD)
        for (String address : List.of(
                "https://evil.example/?x=https://vault.example:8200",
                "https://evil.example#vault.example",
                "https://vault.example:8200@evil.example",
                "https://vault.example:8200/v1/sys/raw")) {
            var bad = testbed.integration("bad", ns());
            bad.getSpec().getVault().setAddress(address);
            assertThat(SCHEMA.validate(Serialization.jsonMapper().valueToTree(bad)))
                    .as(address)
                    .isNotEmpty();
            assertThat(SpecValidator.validate(bad.getSpec()))
                    .as(address)
                    .anyMatch(p -> p.startsWith("spec.vault.address"));
        }
    }

    // ---------------------------------------------------------------- finding 9 (the operator's part)

    @Test
    void finding9_aSecretsPathStartingWithADashNeverReachesMaasArgumentParser() {
        testbed = MaasTestbed.start(0);
        var vi = testbed.integration("maas", "x");
        for (String path : List.of("-maas", "--yes", "maas/-x")) {
            vi.getSpec().getSecrets().setPath(path);
            assertThat(SCHEMA.validate(Serialization.jsonMapper().valueToTree(vi)))
                    .as(path)
                    .anyMatch(p -> p.contains("path"));
            assertThat(SpecValidator.validate(vi.getSpec())).as(path).anyMatch(p -> p.startsWith("spec.secrets.path"));
        }
    }

    @Test
    void finding9_aWrappedTokenSomebodyElseUnwrappedIsAWarningAndItsSecretIdIsDestroyed() {
        testbed = MaasTestbed.start(1);
        testbed.vault().faults().interceptNextWrappedToken();
        testbed.applyAll(k8s(), ns(), "maas");
        String role = Names.roleName(ns(), "region-a");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(testbed.vault().faults().intercepted()).hasSize(1);
            assertThat(k8s().v1().events().inNamespace(ns()).list().getItems())
                    .anyMatch(e -> e.getReason().equals("WrappingTokenUsedElsewhere")
                            && e.getType().equals("Warning")
                            && e.getMessage().contains("unwrapped by someone else"));
        });
        // the operator issues a new one, and the one the interceptor holds is gone from Vault
        awaitReady(MaasRegion.class, "region-a", "Secured");
        var region = k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName("region-a")
                .get();
        assertThat(testbed.vault().secretIdAccessors("approle", role))
                .containsExactly(region.getStatus().getAppRole().getSecretIdAccessor());
    }

    // ---------------------------------------------------------------- helpers

    /** A namespace named exactly {@code name} when it starts with "inj", else {@code prefix-<test namespace>}. */
    String otherNamespace(String prefix) {
        String name = prefix.startsWith("inj") ? prefix : prefix + "-" + ns();
        k8s().namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    static MaasRegion renamed(MaasRegion r, String name) {
        r.getMetadata().setName(name);
        return r;
    }

    static String region(String name, String integration, String host, int port) {
        return """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: %s}
        spec:
          vaultIntegrationRef: {name: %s}
          hostname: region-a
          access:
            ssh:
              host: %s
              port: %d
              user: ubuntu
              privateKeySecretRef: {name: %s, key: id_ed25519}
              knownHostsSecretRef: {name: %s, key: known_hosts}
        """.formatted(name, integration, host, port, MaasTestbed.SSH_KEY_SECRET, MaasTestbed.KNOWN_HOSTS_SECRET);
    }

    static com.fasterxml.jackson.databind.JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static <T> T yaml(Class<T> type, String text) {
        return Serialization.unmarshal(text, type);
    }

    /** Lets time pass in which a refused resource could still have acted (it must not). */
    static void quietFor(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
    }

    <T extends CustomResource<?, ? extends ResourceStatus>> Condition awaitReady(
            Class<T> type, String name, String reason) {
        return awaitReady(ns(), type, name, reason);
    }

    <T extends CustomResource<?, ? extends ResourceStatus>> Condition awaitReady(
            String namespace, Class<T> type, String name, String reason) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            T r = k8s().resources(type)
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .get();
                            if (r == null
                                    || r.getStatus() == null
                                    || !r.getMetadata()
                                            .getGeneration()
                                            .equals(r.getStatus().getObservedGeneration())) {
                                return null;
                            }
                            return Conditions.find(r.getStatus().getConditions(), Conditions.READY)
                                    .filter(c -> reason.equals(c.getReason()))
                                    .orElse(null);
                        },
                        c -> c != null);
    }

    <T extends CustomResource<?, ? extends ResourceStatus>> Condition awaitCondition(
            Class<T> type, String name, String conditionType, String status) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            T r = k8s().resources(type)
                                    .inNamespace(ns())
                                    .withName(name)
                                    .get();
                            return r == null || r.getStatus() == null
                                    ? null
                                    : Conditions.find(r.getStatus().getConditions(), conditionType)
                                            .filter(c -> status.equals(c.getStatus()))
                                            .orElse(null);
                        },
                        c -> c != null);
    }

    /** A TCP listener on 127.0.0.1 that accepts, counts and closes connections. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();

        private Listener(ServerSocket socket) {
            this.socket = socket;
            Thread t = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try (Socket s = socket.accept()) {
                                connections.incrementAndGet();
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "attacker-listener");
            t.setDaemon(true);
            t.start();
        }

        static Listener start() throws IOException {
            return new Listener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
