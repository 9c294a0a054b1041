package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecretCertificateReaderTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued leaf;

    @BeforeAll
    static void certs() {
        ca = TestCertificates.ca("Test CA", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(3650, ChronoUnit.DAYS));
        leaf = TestCertificates.leaf(
                ca, "maas.example", NOW.minus(1, ChronoUnit.DAYS), NOW.plus(20, ChronoUnit.DAYS), "maas.example");
    }

    @Test
    void readsChainLeafFirst() throws Exception {
        ObservedCertificate c = SecretCertificateReader.read(leaf.chainPem().getBytes(StandardCharsets.US_ASCII));
        assertThat(c.source()).isEqualTo("secret");
        assertThat(c.chain()).hasSize(2);
        assertThat(c.subject()).isEqualTo("CN=maas.example");
        assertThat(c.issuer()).isEqualTo("CN=Test CA");
        assertThat(c.notAfter()).isEqualTo(NOW.plus(20, ChronoUnit.DAYS));
        assertThat(c.notBefore()).isEqualTo(NOW.minus(1, ChronoUnit.DAYS));
        assertThat(c.trusted()).isNull();
        assertThat(c.trustError()).isNull();
    }

    @Test
    void toleratesTextAroundBlocksAndCrlf() throws Exception {
        String pem = "subject=CN=maas.example\r\n" + leaf.certificatePem().replace("\n", "\r\n") + "\r\n";
        assertThat(SecretCertificateReader.readChain(pem.getBytes(StandardCharsets.US_ASCII)))
                .hasSize(1);
    }

    @Test
    void emptyInputIsAClearError() {
        assertThatThrownBy(() -> SecretCertificateReader.read(new byte[0]))
                .isInstanceOf(CertificateReadException.class)
                .hasMessage("tls.crt is empty");
        assertThatThrownBy(() -> SecretCertificateReader.read(null))
                .isInstanceOf(CertificateReadException.class)
                .hasMessage("tls.crt is empty");
    }

    @Test
    void garbageIsAClearErrorWithoutEchoingIt() {
        byte[] garbage = "hello SECRETVALUE world".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SecretCertificateReader.read(garbage))
                .isInstanceOf(CertificateReadException.class)
                .hasMessage("tls.crt contains no PEM block")
                .message()
                .doesNotContain("SECRETVALUE");
    }

    @Test
    void aPrivateKeyInsteadOfACertificateIsNamedButNotPrinted() {
        String keyPem = leaf.keyPem();
        String body =
                keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThatThrownBy(() -> SecretCertificateReader.read(keyPem.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CertificateReadException.class)
                .hasMessageStartingWith("tls.crt contains no CERTIFICATE block (found: ")
                .hasMessageContaining("PRIVATE KEY")
                .message()
                .doesNotContain(body);
    }

    @Test
    void aCorruptCertificateBlockIsAClearError() {
        String pem = "-----BEGIN CERTIFICATE-----\nAAAABBBBCCCC\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> SecretCertificateReader.read(pem.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CertificateReadException.class)
                .hasMessage("tls.crt: CERTIFICATE block 0 is not a valid X.509 certificate");
        String badBase64 = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> SecretCertificateReader.read(badBase64.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CertificateReadException.class)
                .hasMessageContaining("CERTIFICATE block 0");
    }
}
