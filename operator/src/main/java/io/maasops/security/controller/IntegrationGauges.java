package io.maasops.security.controller;

/** A VaultIntegration's own gauges. */
final class IntegrationGauges {

    private IntegrationGauges() {}

    /** How many MaasRegions refer to the integration and how many are configured for Vault. */
    static void regions(
            io.maasops.security.metrics.OperatorMetrics metrics,
            io.maasops.security.api.v1alpha1.VaultIntegration vi,
            io.maasops.security.api.v1alpha1.VaultIntegrationStatus status) {
        metrics.gauge(
                io.maasops.security.metrics.OperatorMetrics.REGIONS_DECLARED,
                "MaasRegions referring to the integration",
                "",
                vi.getMetadata().getName(),
                status.getRegions().getDeclared());
        metrics.gauge(
                io.maasops.security.metrics.OperatorMetrics.REGIONS_CONFIGURED,
                "Regions configured for Vault",
                "",
                vi.getMetadata().getName(),
                status.getRegions().getConfigured());
    }
}
