package io.maasops.security.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds PKIX trust managers: the JDK default trust store, or only the given CA certificates. */
public final class TrustAnchors {

    private TrustAnchors() {}

    /** The JDK's default trust store (cacerts). */
    public static X509ExtendedTrustManager jdkDefault() {
        return fromKeyStore(null);
    }

    /** Trusts exactly the given CA certificates. */
    public static X509ExtendedTrustManager of(List<X509Certificate> caCertificates) {
        if (caCertificates.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate given");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : caCertificates) {
                ks.setCertificateEntry("ca-" + i++, ca);
            }
            return fromKeyStore(ks);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build trust store", e);
        }
    }

    /** Trusts the CA certificates in a PEM bundle. */
    public static X509ExtendedTrustManager fromPem(byte[] pem) throws CertificateReadException {
        return of(SecretCertificateReader.readChain(pem));
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509ExtendedTrustManager available");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise trust manager", e);
        }
    }
}
