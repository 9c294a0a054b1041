package io.maasops.security.tls;

/** Expiry state of a certificate, ordered from best to worst (so {@code compareTo} picks the worst). */
public enum ExpiryState {
    VALID,
    EXPIRING,
    EXPIRED
}
