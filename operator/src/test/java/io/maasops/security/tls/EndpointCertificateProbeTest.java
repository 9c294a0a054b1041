package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.HostileServer;
import io.maasops.security.testing.tls.LocalTlsServer;
import io.maasops.security.testing.tls.TestCertificates;
import io.maasops.security.util.RemoteText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EndpointCertificateProbeTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static TestCertificates.Issued ca;

    @BeforeAll
    static void ca() {
        ca = TestCertificates.ca("Probe CA", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(3650, ChronoUnit.DAYS));
    }

    private static EndpointCertificateProbe probeTrusting(TestCertificates.Issued anchor) {
        return new EndpointCertificateProbe(
                TrustAnchors.of(List.of(anchor.certificate())), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void trustedChainIsCapturedWithSniAndReportedTrusted() throws Exception {
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca,
                "localhost",
                NOW.minus(1, ChronoUnit.DAYS),
                NOW.plus(10, ChronoUnit.DAYS),
                "localhost",
                "127.0.0.1");
        try (LocalTlsServer server = LocalTlsServer.serving(leaf)) {
            ObservedCertificate c = probeTrusting(ca).probe("127.0.0.1", server.port(), "localhost");
            assertThat(c.source()).isEqualTo("endpoint");
            assertThat(c.trusted()).isTrue();
            assertThat(c.trustError()).isNull();
            assertThat(c.subject()).isEqualTo("CN=localhost");
            assertThat(c.notAfter()).isEqualTo(NOW.plus(10, ChronoUnit.DAYS));
            assertThat(c.chain()).hasSize(2);
            // the server thread records SNI while it handles the ClientHello: let it finish
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !server.sniNames().isEmpty());
            assertThat(server.sniNames()).containsExactly("localhost");
            assertThat(CertificateEvaluator.evaluate(c.notAfter(), NOW, 30).state())
                    .isEqualTo(ExpiryState.EXPIRING);
        }
    }

    @Test
    void anIpEndpointSendsNoSniAndMatchesTheIpSan() throws Exception {
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca, "maas", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(100, ChronoUnit.DAYS), "127.0.0.1");
        try (LocalTlsServer server = LocalTlsServer.serving(leaf)) {
            ObservedCertificate c = probeTrusting(ca).probe("127.0.0.1:" + server.port());
            assertThat(c.trusted()).isTrue();
            assertThat(server.sniNames()).isEmpty();
        }
    }

    @Test
    void untrustedSelfSignedExpiredChainIsStillCaptured() throws Exception {
        TestCertificates.Issued self = TestCertificates.selfSigned(
                "localhost", NOW.minus(40, ChronoUnit.DAYS), NOW.minus(2, ChronoUnit.DAYS), "localhost");
        try (LocalTlsServer server = LocalTlsServer.serving(self)) {
            // the JDK trust store does not know this certificate
            EndpointCertificateProbe probe = new EndpointCertificateProbe(
                    TrustAnchors.jdkDefault(), Duration.ofSeconds(2), Duration.ofSeconds(2));
            ObservedCertificate c = probe.probe("127.0.0.1", server.port(), "localhost");
            assertThat(c.trusted()).isFalse();
            assertThat(c.trustError()).isNotBlank();
            assertThat(c.subject()).isEqualTo("CN=localhost");
            assertThat(c.chain()).hasSize(1);
            assertThat(CertificateEvaluator.evaluate(c.notAfter(), NOW, 30).state())
                    .isEqualTo(ExpiryState.EXPIRED);
        }
    }

    @Test
    void hostNameMismatchIsUntrustedButCaptured() throws Exception {
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca, "other", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(100, ChronoUnit.DAYS), "other.example");
        try (LocalTlsServer server = LocalTlsServer.serving(leaf)) {
            ObservedCertificate c = probeTrusting(ca).probe("127.0.0.1", server.port(), "localhost");
            assertThat(c.trusted()).isFalse();
            assertThat(c.trustError()).containsIgnoringCase("localhost");
        }
    }

    @Test
    void aSocketThatNeverAnswersTheHandshakeTimesOutBounded() throws Exception {
        try (LocalTlsServer silent = LocalTlsServer.silent()) {
            EndpointCertificateProbe probe = new EndpointCertificateProbe(
                    TrustAnchors.jdkDefault(), Duration.ofSeconds(2), Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThatThrownBy(() -> probe.probe("127.0.0.1", silent.port(), "localhost"))
                    .isInstanceOfSatisfying(
                            CertificateProbeException.class,
                            e -> assertThat(e.kind()).isEqualTo(CertificateProbeException.Kind.TIMEOUT))
                    .hasMessageContaining("timed out after 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPeerTricklingItsHandshakeIsCutOffAtTheDeadline() throws Exception {
        // one byte a second: a read timeout alone would restart with every byte, for ever
        try (HostileServer tarpit = HostileServer.start(HostileServer.trickledTlsHandshake(Duration.ofSeconds(1)))) {
            EndpointCertificateProbe probe = new EndpointCertificateProbe(
                    TrustAnchors.of(List.of(ca.certificate())), Duration.ofSeconds(2), Duration.ofMillis(2500));
            java.util.concurrent.ExecutorService reconcileThread =
                    java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "probe-test");
                        t.setDaemon(true);
                        return t;
                    });
            long start = System.nanoTime();
            java.util.concurrent.Future<ObservedCertificate> call =
                    reconcileThread.submit(() -> probe.probe("127.0.0.1", tarpit.port(), "localhost"));
            assertThatThrownBy(() -> call.get(15, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            CertificateProbeException.class,
                            e -> assertThat(e.kind()).isEqualTo(CertificateProbeException.Kind.TIMEOUT))
                    .hasMessage("TLS handshake with 127.0.0.1:" + tarpit.port() + " timed out after 2500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(2400), Duration.ofSeconds(8));
            assertThat(reconcileThread.submit(() -> "free").get(1, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("free");
            reconcileThread.shutdownNow();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tarpit.hungUp() == 1);
        }
    }

    @Test
    void aTrustVerdictQuotingThePeerReachesTheStatusOnlyAsAShortExcerpt() throws Exception {
        // PKIX messages can quote names from the served certificate: here a verdict of 10 KB of markup and controls
        StringBuilder quote = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            quote.append("<p>\u0000\u001b[31mCN=evil ").append(i).append("</p>\r\n");
        }
        javax.net.ssl.X509ExtendedTrustManager hostile = new javax.net.ssl.X509ExtendedTrustManager() {
            private void no() throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException(quote.toString());
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s)
                    throws java.security.cert.CertificateException {
                no();
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e)
                    throws java.security.cert.CertificateException {
                no();
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a)
                    throws java.security.cert.CertificateException {
                no();
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}

            @Override
            public void checkClientTrusted(
                    java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca, "localhost", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(10, ChronoUnit.DAYS), "localhost");
        try (LocalTlsServer server = LocalTlsServer.serving(leaf)) {
            ObservedCertificate c = new EndpointCertificateProbe(hostile, Duration.ofSeconds(2), Duration.ofSeconds(5))
                    .probe("127.0.0.1", server.port(), "localhost");
            assertThat(c.trusted()).isFalse();
            assertThat(c.trustError())
                    .startsWith("??[31mCN=evil 0 ??[31mCN=evil 1")
                    .matches("[\\x20-\\x7E]*")
                    .hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT);
        }
    }

    @Test
    void aClosedPortIsConnectFailed() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> probeTrusting(ca).probe("127.0.0.1", port))
                .isInstanceOfSatisfying(
                        CertificateProbeException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertificateProbeException.Kind.CONNECT_FAILED));
    }
}
