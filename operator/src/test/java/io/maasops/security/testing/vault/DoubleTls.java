package io.maasops.security.testing.vault;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and a server certificate for 127.0.0.1/localhost, so HTTPS tests verify for real. */
final class DoubleTls {
    final SSLContext serverContext;
    final String caPem;

    private DoubleTls(SSLContext serverContext, String caPem) {
        this.serverContext = serverContext;
        this.caPem = caPem;
    }

    static DoubleTls generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            KeyPair caKeys = gen.generateKeyPair();
            KeyPair serverKeys = gen.generateKeyPair();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofMinutes(5)));
            Date to = Date.from(now.plus(Duration.ofDays(2)));
            X500Name caName = new X500Name("CN=Vault Double Test CA");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                    caName, BigInteger.valueOf(now.toEpochMilli()), from, to, caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            X509Certificate caCert = new JcaX509CertificateConverter()
                    .getCertificate(
                            ca.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            X509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(
                    caName,
                    BigInteger.valueOf(now.toEpochMilli() + 1),
                    from,
                    to,
                    new X500Name("CN=localhost"),
                    serverKeys.getPublic());
            leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            leaf.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(
                        GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
            }));
            X509Certificate leafCert = new JcaX509CertificateConverter()
                    .getCertificate(
                            leaf.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "double".toCharArray();
            ks.setKeyEntry("server", serverKeys.getPrivate(), pw, new X509Certificate[] {leafCert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
                w.writeObject(caCert);
            }
            return new DoubleTls(ctx, pem.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the double's TLS material", e);
        }
    }
}
