package io.maasops.security.vault;

/** GET sys/health (docs/reference/vault-api.md §2.1); {@code httpStatus} is the code Vault chose (200, 429, 501, 503, ...). */
public record HealthStatus(
        boolean initialized, boolean sealed, String version, boolean standby, String clusterName, int httpStatus) {}
