package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiKey;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.tls.LocalTlsServer;
import io.maasops.security.testing.tls.TestCertificates;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultAuthenticator;
import io.maasops.security.vault.VaultConnectionSettings;
import io.maasops.security.vault.VaultGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The operator's TLS clients offer ChaCha20-Poly1305 first and so get it from Go servers (docs/reference/tls.md
 * §1, §2); the doubles choose as Go does; certificate and hostname verification are unchanged.
 */
class ClientCipherSuitesTest {

    static final String CHACHA = "TLS_CHACHA20_POLY1305_SHA256";

    /** A certificate for {@code host} only (its common name and its one subject alternative name), valid now. */
    static TestCertificates.Issued leafFor(TestCertificates.Issued ca, String host) {
        Instant now = Instant.now();
        return TestCertificates.leaf(ca, host, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), host);
    }

    static TestCertificates.Issued ca(String name) {
        Instant now = Instant.now();
        return TestCertificates.ca(name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    @Test
    void theOrderIsTheJdkDefaultsWithChaChaFirst() throws Exception {
        List<String> jdk =
                Arrays.asList(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        List<String> order = List.of(ClientCipherSuites.order());
        assertThat(order).containsExactlyInAnyOrderElementsOf(jdk);
        assertThat(order.get(0)).isEqualTo(CHACHA);
        int lastChaCha = 0;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).contains("CHACHA20")) {
                lastChaCha = i;
            }
        }
        assertThat(order.subList(0, lastChaCha + 1)).allMatch(s -> s.contains("_CHACHA20_POLY1305_"));
        assertThat(order.subList(lastChaCha + 1, order.size()))
                .isEqualTo(jdk.stream().filter(s -> !s.contains("CHACHA20")).toList());
        assertThat(ClientCipherSuites.parameters().getProtocols())
                .containsExactly(
                        SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
    }

    @Test
    void theVaultClientGetsChaChaFromAGoServer() {
        try (VaultDouble vault = VaultDouble.startTls()) {
            VaultGateway gateway = new VaultGateway(
                    VaultConnectionSettings.of(vault.address()).withCaPem(vault.caPem()),
                    new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())));
            assertThat(gateway.health().sealed()).isFalse();
            assertThat(vault.negotiatedCipherSuites()).containsExactly(CHACHA);
        }
    }

    @Test
    void aClientPreferringAesGetsAesFromTheDoubleAsFromGo() throws Exception {
        try (VaultDouble vault = VaultDouble.startTls()) {
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(
                    null,
                    new TrustManager[] {TrustAnchors.fromPem(vault.caPem().getBytes(StandardCharsets.US_ASCII))},
                    null);
            HttpClient jdkDefaults =
                    HttpClient.newBuilder().sslContext(trusting).build();
            HttpResponse<String> r = jdkDefaults.send(
                    HttpRequest.newBuilder(URI.create(vault.address() + "/v1/sys/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(vault.negotiatedCipherSuites())
                    .singleElement()
                    .asString()
                    .contains("_AES_")
                    .contains("GCM");
        }
    }

    @Test
    void theMaasApiClientGetsChaChaAndStillChecksTheHostName() throws Exception {
        TestCertificates.Issued ca = ca("MAAS CA");
        TestCertificates.Issued right = leafFor(ca, "127.0.0.1");
        byte[] caPem = ca.certificatePem().getBytes(StandardCharsets.US_ASCII);
        try (MaasApiDouble https = MaasApiDouble.startHttps(right.serverContext())) {
            MaasApiClient client = MaasApiClient.builder(https.baseUrl(), MaasApiKey.parse(https.apiKey()))
                    .caPem(caPem)
                    .build();
            assertThat(client.whoami().username()).isEqualTo("admin");
            assertThat(https.negotiatedCipherSuites()).containsExactly(CHACHA);
        }
        TestCertificates.Issued elsewhere = leafFor(ca, "maas.elsewhere.example");
        try (MaasApiDouble https = MaasApiDouble.startHttps(elsewhere.serverContext())) {
            MaasApiClient client = MaasApiClient.builder(https.baseUrl(), MaasApiKey.parse(https.apiKey()))
                    .caPem(caPem)
                    .build();
            assertThatThrownBy(client::whoami)
                    .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
            assertThat(https.negotiatedCipherSuites()).isEmpty();
        }
    }

    @Test
    void theVaultClientStillChecksTheHostName() throws Exception {
        TestCertificates.Issued ca = ca("Vault CA");
        TestCertificates.Issued elsewhere = leafFor(ca, "vault.elsewhere.example");
        try (LocalTlsServer server = LocalTlsServer.serving(elsewhere)) {
            VaultGateway gateway = new VaultGateway(
                    VaultConnectionSettings.of(URI.create("https://127.0.0.1:" + server.port()))
                            .withCaPem(ca.certificatePem()),
                    new VaultAuthenticator.TokenAuth(Secret.of("not-used")));
            assertThatThrownBy(gateway::health)
                    .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
        }
    }

    @Test
    void theOperatorsKubernetesClientGetsChaCha() {
        try (KubeApiDouble api = KubeApiDouble.start()) {
            api.operatorClient()
                    .resources(io.maasops.security.api.v1alpha1.MaasRegion.class)
                    .inAnyNamespace()
                    .list();
            // the mock's kubeconfig asks for TLS 1.2: its ChaCha20-Poly1305 suite (the test's own admin client, with
            // the JDK's order, got AES-GCM on its connection)
            assertThat(api.negotiatedCipherSuites())
                    .contains("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
                    .anyMatch(s -> s.contains("_AES_") && s.contains("GCM"));
        }
    }
}
