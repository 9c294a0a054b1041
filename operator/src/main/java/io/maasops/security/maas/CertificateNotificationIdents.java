package io.maasops.security.maas;

import io.maasops.security.util.Digests;

/**
 * The two MAAS notification idents the operator owns for one region. MAAS limits an ident to 40
 * characters and makes it unique, so the region's {@code namespace/name} (up to 316 characters) is
 * hashed: same region → same idents, other regions → other idents. The prefixes differ from MAAS's
 * own {@code regiond-reverse-proxy-cert-expire[d]} so neither side touches the other's rows.
 */
public record CertificateNotificationIdents(String reminder, String expired) {

    public static final int MAX_IDENT_LENGTH = 40;
    public static final String REMINDER_PREFIX = "maasops-cert-expire-";
    public static final String EXPIRED_PREFIX = "maasops-cert-expired-";
    private static final int HASH_HEX_CHARS = 16;

    /** @param regionKey a stable, unique key of the region, e.g. {@code namespace/name} */
    public static CertificateNotificationIdents forRegion(String regionKey) {
        if (regionKey == null || regionKey.isBlank()) {
            throw new IllegalArgumentException("region key is empty");
        }
        String hash = Digests.sha256Hex(regionKey).substring(0, HASH_HEX_CHARS);
        return new CertificateNotificationIdents(REMINDER_PREFIX + hash, EXPIRED_PREFIX + hash);
    }

    public CertificateNotificationIdents {
        if (reminder.length() > MAX_IDENT_LENGTH || expired.length() > MAX_IDENT_LENGTH) {
            throw new IllegalArgumentException("MAAS notification idents are at most 40 characters");
        }
    }
}
