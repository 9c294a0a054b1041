package io.maasops.security.tls;

/** A certificate could not be read; the message never contains the input bytes. */
public class CertificateReadException extends Exception {
    public CertificateReadException(String message) {
        super(message);
    }

    public CertificateReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
