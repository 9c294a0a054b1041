package io.maasops.security.testing.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates EC P-256 CAs and leaf certificates with chosen validity, for tests. */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A certificate with its key and the chain up to (and including) its CA, leaf first. */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        /** PEM of the chain, leaf first, as in a {@code tls.crt}. */
        public String chainPem() {
            return TestCertificates.pem(chain.toArray());
        }

        public String certificatePem() {
            return TestCertificates.pem(certificate);
        }

        public String keyPem() {
            return TestCertificates.pem(key);
        }

        /** A server-side TLS context presenting this chain. */
        public SSLContext serverContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] pw = "test".toCharArray();
                ks.setKeyEntry("key", key, pw, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
                return ctx;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {}

    public static Issued ca(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(
                new X500Name("CN=" + commonName),
                kp,
                new X500Name("CN=" + commonName),
                kp.getPrivate(),
                notBefore,
                notAfter,
                true,
                List.of());
        return new Issued(cert, kp.getPrivate(), List.of(cert));
    }

    /** A server certificate for {@code hosts} (DNS names or IPv4 literals), signed by {@code ca}. */
    public static Issued leaf(Issued ca, String commonName, Instant notBefore, Instant notAfter, String... hosts) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(
                new X500Name("CN=" + commonName),
                kp,
                new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                ca.key(),
                notBefore,
                notAfter,
                false,
                List.of(hosts));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(ca.chain());
        return new Issued(cert, kp.getPrivate(), List.copyOf(chain));
    }

    /** A self-signed server certificate (no CA). */
    public static Issued selfSigned(String commonName, Instant notBefore, Instant notAfter, String... hosts) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(
                new X500Name("CN=" + commonName),
                kp,
                new X500Name("CN=" + commonName),
                kp.getPrivate(),
                notBefore,
                notAfter,
                false,
                List.of(hosts));
        return new Issued(cert, kp.getPrivate(), List.of(cert));
    }

    public static String pem(Object... objects) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    public static byte[] pemBytes(Object... objects) {
        return pem(objects).getBytes(StandardCharsets.US_ASCII);
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean isCa,
            List<String> hosts) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            }
            if (!hosts.isEmpty()) {
                GeneralName[] names = hosts.stream()
                        .map(h -> h.matches("^[0-9.]+$")
                                ? new GeneralName(GeneralName.iPAddress, h)
                                : new GeneralName(GeneralName.dNSName, h))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test certificate", e);
        }
    }
}
