package io.maasops.security.vault;

/** GET sys/seal-status (docs/reference/vault-api.md §2.2). */
public record SealStatus(
        boolean initialized, boolean sealed, int threshold, int shares, int progress, String version, String type) {}
