package io.maasops.security.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate as one source saw it.
 *
 * @param source "secret" or "endpoint"
 * @param chain leaf first
 * @param trusted null for a Secret (nothing to verify against); for an endpoint whether the served
 *     chain validated against the trust anchors (and the host name)
 * @param trustError why it did not validate, or null
 */
public record ObservedCertificate(
        String source,
        String subject,
        String issuer,
        Instant notBefore,
        Instant notAfter,
        List<X509Certificate> chain,
        Boolean trusted,
        String trustError) {

    public static final String SOURCE_SECRET = "secret";
    public static final String SOURCE_ENDPOINT = "endpoint";

    public ObservedCertificate {
        chain = List.copyOf(chain);
    }

    /** Builds the record from a chain whose first element is the leaf. */
    public static ObservedCertificate of(
            String source, List<X509Certificate> chain, Boolean trusted, String trustError) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        X509Certificate leaf = chain.get(0);
        return new ObservedCertificate(
                source,
                leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(),
                leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(),
                chain,
                trusted,
                trustError);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}
