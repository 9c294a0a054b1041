/**
 * Certificates and their expiry: {@link io.maasops.security.tls.SecretCertificateReader} (a
 * {@code kubernetes.io/tls} Secret's PEM chain), {@link io.maasops.security.tls.EndpointCertificateProbe}
 * (the chain a live endpoint serves, trusted or not), {@link io.maasops.security.tls.CertificateEvaluator}
 * (days floored as MAAS does; VALID / EXPIRING / EXPIRED), {@link io.maasops.security.tls.CertificateStateChange}
 * (one Event per state change) and {@link io.maasops.security.tls.CertificateMetrics}. The operator never
 * renews a certificate.
 */
package io.maasops.security.tls;
