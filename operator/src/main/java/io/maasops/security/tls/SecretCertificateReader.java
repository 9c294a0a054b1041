package io.maasops.security.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code tls.crt} of a {@code kubernetes.io/tls} Secret: a PEM chain, leaf first. Pure:
 * bytes in, certificates out. Error messages name what was found, never the content (a key pasted
 * into the wrong field must not leak).
 */
public final class SecretCertificateReader {

    public static final String TLS_CERT_KEY = "tls.crt";

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private SecretCertificateReader() {}

    public static ObservedCertificate read(byte[] pem) throws CertificateReadException {
        return ObservedCertificate.of(ObservedCertificate.SOURCE_SECRET, readChain(pem), null, null);
    }

    public static List<X509Certificate> readChain(byte[] pem) throws CertificateReadException {
        if (pem == null || pem.length == 0) {
            throw new CertificateReadException(TLS_CERT_KEY + " is empty");
        }
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher m = PEM_BLOCK.matcher(text);
        List<X509Certificate> chain = new ArrayList<>();
        Set<String> otherTypes = new LinkedHashSet<>();
        CertificateFactory factory = x509Factory();
        int index = 0;
        while (m.find()) {
            String type = m.group(1);
            if (!type.equals("CERTIFICATE")) {
                otherTypes.add(type);
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw new CertificateReadException(
                        TLS_CERT_KEY + ": CERTIFICATE block " + index + " is not valid base64");
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new CertificateReadException(
                        TLS_CERT_KEY + ": CERTIFICATE block " + index + " is not a valid X.509 certificate");
            }
            index++;
        }
        if (chain.isEmpty()) {
            if (otherTypes.isEmpty()) {
                throw new CertificateReadException(TLS_CERT_KEY + " contains no PEM block");
            }
            throw new CertificateReadException(
                    TLS_CERT_KEY + " contains no CERTIFICATE block (found: " + String.join(", ", otherTypes) + ")");
        }
        return List.copyOf(chain);
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("JDK without X.509 support", e);
        }
    }
}
