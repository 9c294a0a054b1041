package io.maasops.security.api.v1alpha1;

/** Certificate state, as MAAS's own expiry check would judge it. */
public enum CertificateState {
    Valid,
    Expiring,
    Expired
}
