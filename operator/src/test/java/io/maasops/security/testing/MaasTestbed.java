package io.maasops.security.testing;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SharedSshFront;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.testing.vault.VaultDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One simulated MAAS deployment with its Vault, for end-to-end tests and the sandbox: a Vault
 * double, N region hosts (real SSH servers on 127.0.0.1) that MAAS knows, and a MAAS API double;
 * plus the Secrets and custom resources that point the operator at them.
 */
public final class MaasTestbed implements AutoCloseable {

    public static final String VAULT_TOKEN_SECRET = "vault-token";
    /** The operator's own namespace in tests: where the Secrets a cluster-scoped VaultIntegration names live. */
    public static final String OPERATOR_NAMESPACE = io.maasops.security.testing.kube.KubeApiDouble.RELEASE_NAMESPACE;
    /** The operator's Vault policy, as the Vault admin writes it: docs/vault-operator-policy.hcl, verbatim. */
    public static final String OPERATOR_POLICY = "maas-security-operator";

    public static final String SSH_KEY_SECRET = "region-ssh";
    public static final String KNOWN_HOSTS_SECRET = "maas-known-hosts";
    public static final String API_KEY_SECRET = "maas-api-key";

    private final VaultDouble vault;
    private final SimulatedMaasDeployment maas;
    private final MaasApiDouble api;
    private final KeyPair clientKey = SimulatedMaasDeployment.newClientKey();
    /** A token with only the documented operator policy: what every test's operator logs in with. */
    private final String operatorToken;

    private final List<RegionHostDouble> hosts = new ArrayList<>();
    /** Non-null when every host sits behind one SSH server (see {@link #startSharedSsh}). */
    private final SharedSshFront front;

    private MaasTestbed(int regions, MaasPackaging installation) {
        this(regions, installation, null, MaasRelease.NEWEST);
    }

    private MaasTestbed(int regions, MaasPackaging installation, SharedSshFront front, MaasRelease release) {
        this(regions, installation, front, release, true);
    }

    private MaasTestbed(
            int regions,
            MaasPackaging installation,
            SharedSshFront front,
            MaasRelease release,
            boolean dhcpConfigured) {
        this(regions, installation, front, release, dhcpConfigured, VaultDouble.start());
    }

    private MaasTestbed(
            int regions,
            MaasPackaging installation,
            SharedSshFront front,
            MaasRelease release,
            boolean dhcpConfigured,
            VaultDouble vault) {
        this.front = front;
        this.vault = vault;
        operatorToken = bootstrapVault(vault);
        maas = new SimulatedMaasDeployment(release, dhcpConfigured);
        try {
            api = MaasApiDouble.start().release(release);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < regions; i++) {
            addRegionHost(hostname(i), installation);
        }
    }

    /**
     * Vault over https with a CA of its own: the integration names it (spec.vault.caSecretRef, Secret
     * {@value #VAULT_CA_SECRET} in the operator's namespace), each region host trusts it; no plain http to Vault.
     */
    public static MaasTestbed startWithTlsVault(int regions) {
        return new MaasTestbed(regions, MaasPackaging.SNAP, null, MaasRelease.NEWEST, true, VaultDouble.startTls());
    }

    public static final String VAULT_CA_SECRET = "vault-ca";

    public static MaasTestbed start(int regions) {
        return new MaasTestbed(regions, MaasPackaging.SNAP);
    }

    public static MaasTestbed start(int regions, MaasPackaging installation) {
        return new MaasTestbed(regions, installation);
    }

    /** Every host runs {@code release} (its version, services, users and migrate behaviour: {@link MaasRelease}). */
    public static MaasTestbed start(int regions, MaasPackaging installation, MaasRelease release) {
        return new MaasTestbed(regions, installation, null, release);
    }

    /**
     * As {@link #start(int, MaasPackaging, MaasRelease)}; {@code dhcpConfigured} false: no rack has configured DHCP
     * yet, so MAAS has no {@code global/omapi-key} (a deployment without a rack).
     */
    public static MaasTestbed start(
            int regions, MaasPackaging installation, MaasRelease release, boolean dhcpConfigured) {
        return new MaasTestbed(regions, installation, null, release, dhcpConfigured);
    }

    /**
     * Hosts behind one shared SSH server (routed by login name): for the benchmark's 1000 regions,
     * where a server per host would measure the doubles' threads rather than the operator.
     */
    public static MaasTestbed startSharedSsh(int regions) {
        return new MaasTestbed(regions, MaasPackaging.SNAP, new SharedSshFront(), MaasRelease.NEWEST);
    }

    /**
     * What the Vault admin does once (README, "Vault for the operator"): write the regions' policy
     * (MAAS's minimal policy for the defaults) and the operator's own policy from the docs, and give
     * the operator a token holding only the latter. Returns that token.
     */
    public static String bootstrapVault(VaultDouble vault) {
        vault.putPolicy(
                io.maasops.security.contract.Names.DEFAULT_POLICY,
                io.maasops.security.vault.MaasPolicy.render("secret", "maas"));
        vault.putPolicy(OPERATOR_POLICY, operatorPolicy());
        return vault.createToken(List.of(OPERATOR_POLICY), java.time.Duration.ofHours(24));
    }

    /** docs/vault-operator-policy.hcl of this repository. */
    public static String operatorPolicy() {
        return readRepoFile("docs/vault-operator-policy.hcl");
    }

    /** A file of the repository, found from the working directory (the module or the root). */
    public static String readRepoFile(String relative) {
        for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            java.nio.file.Path f = dir.resolve(relative);
            if (java.nio.file.Files.isRegularFile(f)) {
                try {
                    return java.nio.file.Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(
                relative + " not found above " + java.nio.file.Path.of("").toAbsolutePath());
    }

    /** The token with the operator policy (never the root token). */
    public String operatorToken() {
        return operatorToken;
    }

    public static String hostname(int i) {
        return "region-" + (char) ('a' + i % 26) + (i >= 26 ? String.valueOf(i / 26) : "");
    }

    public RegionHostDouble addRegionHost(String hostname, MaasPackaging installation) {
        RegionHostDouble host = front != null
                ? maas.addRegionHost(hostname, installation, clientKey.getPublic(), front)
                : maas.addRegionHost(hostname, installation, clientKey.getPublic());
        hosts.add(host);
        if (vault.caPem() != null) {
            host.trustCa(vault.caPem());
        }
        api.addController(hostname, 3); // a region controller (the doubles run no rack on it)
        return host;
    }

    /**
     * A rack-only controller MAAS knows (no region on it): in {@code config-vault status}'s unconfigured list for
     * ever, and listed by {@code GET rackcontrollers/} with node_type 2.
     */
    public void addRackController(String hostname) {
        maas.addRackController(hostname);
        api.addController(hostname, 2);
    }

    /** What {@code maas $PROFILE rack-controller delete SYSTEM_ID} does once maas-rackd there is stopped. */
    public void deleteRackController(String hostname) {
        maas.deleteController(hostname);
        api.deleteController(hostname);
    }

    public VaultDouble vault() {
        return vault;
    }

    public SimulatedMaasDeployment maas() {
        return maas;
    }

    public MaasApiDouble api() {
        return api;
    }

    public List<RegionHostDouble> hosts() {
        return List.copyOf(hosts);
    }

    public RegionHostDouble host(String hostname) {
        return hosts.stream()
                .filter(h -> h.hostname().equals(hostname))
                .findFirst()
                .orElseThrow();
    }

    /** The operator's SSH private key (OpenSSH format), as the region-ssh Secret holds it. */
    public String clientPrivateKey() {
        return KeyMaterial.openSshPrivateKey(clientKey);
    }

    /** known_hosts with every simulated host's key. */
    public String knownHosts() {
        return hosts.stream()
                .map(RegionHostDouble::knownHostsLine)
                .distinct()
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Creates (or replaces) the Secrets the custom resources refer to: the operator's Vault token in
     * the operator's namespace (the cluster admin's), the regions' SSH key, known_hosts and MAAS API
     * key in {@code namespace}.
     */
    public void applySecrets(KubernetesClient client, String namespace) {
        applySecret(client, OPERATOR_NAMESPACE, VAULT_TOKEN_SECRET, Map.of("token", operatorToken));
        if (vault.caPem() != null) {
            applySecret(client, OPERATOR_NAMESPACE, VAULT_CA_SECRET, Map.of("ca.crt", vault.caPem()));
        }
        applySecret(client, namespace, SSH_KEY_SECRET, Map.of("id_ed25519", clientPrivateKey()));
        applySecret(client, namespace, KNOWN_HOSTS_SECRET, Map.of("known_hosts", knownHosts()));
        applySecret(client, namespace, API_KEY_SECRET, Map.of("api-key", api.apiKey()));
    }

    public static void applySecret(KubernetesClient client, String namespace, String name, Map<String, String> data) {
        Secret s = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withType("Opaque")
                .withStringData(data)
                .build();
        client.secrets().inNamespace(namespace).resource(s).createOr(op -> op.update());
    }

    /** The Secrets, a VaultIntegration named {@code integration} and a MaasRegion per host, in {@code namespace}. */
    public void applyAll(KubernetesClient client, String namespace, String integration) {
        applySecrets(client, namespace);
        client.resource(integration(integration, namespace)).create();
        for (RegionHostDouble h : hosts) {
            client.resource(region(h.hostname(), integration))
                    .inNamespace(namespace)
                    .create();
        }
    }

    /**
     * A (cluster-scoped) VaultIntegration pointing at the Vault double, with the token Secret, that
     * allows {@code namespace}. The doubles speak plain http on loopback, which the admin allows here.
     */
    public VaultIntegration integration(String name, String namespace) {
        // https with the testbed's CA in the operator's namespace, or plain http, which the admin allows here
        String transport = vault.caPem() != null
                ? "caSecretRef: {name: " + VAULT_CA_SECRET + ", key: ca.crt}"
                : "allowInsecureHttp: true";
        return Serialization.unmarshal(
                """
        apiVersion: security.maasops.io/v1alpha1
        kind: VaultIntegration
        metadata: {name: %s}
        spec:
          tenancy:
            allowedNamespaces: [%s]
            allowInsecureMaasApi: true
          vault:
            address: %s
            %s
            auth:
              tokenSecretRef: {name: %s, key: token}
          migration: {mode: Manual, approved: false}
        """.formatted(name, namespace, vault.address(), transport, VAULT_TOKEN_SECRET), VaultIntegration.class);
    }

    /** A MaasRegion for a simulated host, reached over SSH, with the MAAS API double as its API. */
    public MaasRegion region(String hostname, String integration) {
        RegionHostDouble h = host(hostname);
        return Serialization.unmarshal(
                """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: %s}
        spec:
          vaultIntegrationRef: {name: %s}
          hostname: %s
          installation: %s
          access:
            ssh:
              host: %s
              port: %d
              user: %s
              sudo: true
              privateKeySecretRef: {name: %s, key: id_ed25519}
              knownHostsSecretRef: {name: %s, key: known_hosts}
          api:
            url: %s
            apiKeySecretRef: {name: %s, key: api-key}
        """.formatted(
                                hostname,
                                integration,
                                hostname,
                                h.installation() == MaasPackaging.DEB ? "deb" : "snap",
                                h.host(),
                                h.port(),
                                h.sshUser(),
                                SSH_KEY_SECRET,
                                KNOWN_HOSTS_SECRET,
                                api.baseUrl(),
                                API_KEY_SECRET),
                MaasRegion.class);
    }

    /**
     * A MaasRegion for a simulated host reached by pod exec (spec.access.pod), and the pod itself in
     * the API double: its exec runs on the host as root, as in a MAAS region container.
     */
    public MaasRegion podRegion(KubeApiDouble kube, String namespace, String hostname, String integration) {
        RegionHostDouble h = host(hostname);
        String pod = hostname + "-0";
        kube.addPod(namespace, pod, "regiond", h::runInContainer);
        return Serialization.unmarshal(
                """
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: %s}
        spec:
          vaultIntegrationRef: {name: %s}
          hostname: %s
          installation: %s
          access:
            pod: {name: %s}
          api:
            url: %s
            apiKeySecretRef: {name: %s, key: api-key}
        """.formatted(
                                hostname,
                                integration,
                                hostname,
                                h.installation() == MaasPackaging.DEB ? "deb" : "snap",
                                pod,
                                api.baseUrl(),
                                API_KEY_SECRET),
                MaasRegion.class);
    }

    @Override
    public void close() {
        maas.close();
        if (front != null) {
            front.close();
        }
        api.close();
        vault.close();
    }
}
