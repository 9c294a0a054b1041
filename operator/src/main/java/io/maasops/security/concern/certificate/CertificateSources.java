package io.maasops.security.concern.certificate;

import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.concern.RegionSecrets;
import io.maasops.security.port.CertificateProbe;
import io.maasops.security.tls.CertificateProbeException;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.tls.ObservedCertificate;
import io.maasops.security.tls.SecretCertificateReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Where a region's certificate is read: a kubernetes.io/tls Secret, a live endpoint. */
final class CertificateSources {

    private CertificateSources() {}

    /** One source's outcome: a certificate, or why there is none. */
    record Source(
            String kind, String label, ObservedCertificate observed, String failureReason, String failureMessage) {
        static Source read(String kind, String label, ObservedCertificate observed) {
            return new Source(kind, label, observed, null, null);
        }

        static Source failed(String kind, String label, String reason, String message) {
            return new Source(kind, label, null, reason, message);
        }
    }

    static Source readSecret(RegionInputs in, TlsSpec tls) {
        var ref = tls.getCertificateSecretRef();
        String label = "Secret " + ref.getName();
        Optional<String> missing = in.missingSecret(RegionSecrets.TLS_CERTIFICATE);
        if (missing.isPresent()) {
            String m = missing.get();
            int colon = m.indexOf(": ");
            return Source.failed(
                    ObservedCertificate.SOURCE_SECRET,
                    label,
                    colon > 0 ? m.substring(0, colon) : CertificateConcern.REASON_UNREADABLE,
                    colon > 0 ? m.substring(colon + 2) : m);
        }
        try {
            byte[] pem = in.secret(RegionSecrets.TLS_CERTIFICATE)
                    .orElseThrow()
                    .reveal()
                    .getBytes(StandardCharsets.US_ASCII);
            return Source.read(ObservedCertificate.SOURCE_SECRET, label, SecretCertificateReader.read(pem));
        } catch (CertificateReadException e) {
            return Source.failed(
                    ObservedCertificate.SOURCE_SECRET,
                    label,
                    CertificateConcern.REASON_UNREADABLE,
                    label + " key \"" + (ref.getKey() == null ? "tls.crt" : ref.getKey()) + "\": " + e.getMessage());
        }
    }

    static Source probeEndpoint(CertificateProbe probe, String endpoint) {
        String label = "endpoint " + endpoint;
        try {
            return Source.read(ObservedCertificate.SOURCE_ENDPOINT, label, probe.probe(endpoint));
        } catch (CertificateProbeException | IllegalArgumentException e) {
            return Source.failed(
                    ObservedCertificate.SOURCE_ENDPOINT,
                    label,
                    CertificateConcern.REASON_UNREACHABLE,
                    label + ": " + e.getMessage());
        }
    }
}
