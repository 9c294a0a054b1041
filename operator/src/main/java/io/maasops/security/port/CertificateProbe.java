package io.maasops.security.port;

import io.maasops.security.tls.CertificateProbeException;
import io.maasops.security.tls.ObservedCertificate;

/** Reads the certificate a live TLS endpoint presents ("host:port"). */
public interface CertificateProbe {

    ObservedCertificate probe(String endpoint) throws CertificateProbeException;
}
