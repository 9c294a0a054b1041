package io.maasops.security.concern.posture;

/**
 * The checks of a deployment's security posture, in the order status.posture lists them, each with
 * the MAAS security recommendation it comes from (docs/posture.md: where MAAS's docs say it).
 */
public enum PostureCheck {
    SECRETS_IN_VAULT(
            "SecretsInVault",
            "Store MAAS secrets in Vault rather than in the MAAS database (MAAS reports `config-vault status`: enabled)."),
    REGIONS_CONFIGURED(
            "RegionsConfigured",
            "Configure every region controller with Vault, each with its own AppRole (one role per region controller)."),
    SECRET_IDS_RECORDED(
            "SecretIdsRecorded",
            "Give each region controller a secret-id of its own role, delivered wrapped; no other secret-id on the role."),
    CONFIG_FILES(
            "ConfigFiles",
            "Configuration files and the shared secret at mode 640, readable by group maas, writable only by root."),
    CERTIFICATE(
            "Certificate", "Serve MAAS over TLS and renew the certificate before it expires (MAAS never renews it)."),
    VAULT("Vault", "Keep Vault unsealed and reachable over TLS: a sealed or unreachable Vault needs an operator."),
    ACCESS("Access", "Grant roles over resource pools instead of making everybody an administrator.");

    private final String value;
    private final String recommendation;

    PostureCheck(String value, String recommendation) {
        this.value = value;
        this.recommendation = recommendation;
    }

    /** The name status.posture and the metric's check label show. */
    public String value() {
        return value;
    }

    public String recommendation() {
        return recommendation;
    }
}
