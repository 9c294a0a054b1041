package io.maasops.security.status;

/** Every condition type the operator sets, by kind. {@link #value()} is what status shows. */
public enum ConditionType {
    // every kind (kstatus)
    READY("Ready"),
    RECONCILING("Reconciling"),
    STALLED("Stalled"),
    /** Informational, outside Ready: plain http is in use because the admin allowed it. */
    INSECURE_TRANSPORT("InsecureTransport"),
    // MaasRegion
    MAAS_VERSION_SUPPORTED("MaasVersionSupported"),
    APPROLE_PROVISIONED("AppRoleProvisioned"),
    VAULT_CONFIGURED("VaultConfigured"),
    SECRET_ID_ROTATION("SecretIdRotation"),
    CONFIG_FILES_SECURE("ConfigFilesSecure"),
    CERTIFICATE_VALID("CertificateValid"),
    // VaultIntegration
    VAULT_REACHABLE("VaultReachable"),
    VAULT_UNSEALED("VaultUnsealed"),
    APPROLE_AUTH_READY("AppRoleAuthReady"),
    SECRETS_MOUNT_READY("SecretsMountReady"),
    POLICY_READY("PolicyReady"),
    REGIONS_CONFIGURED("RegionsConfigured"),
    SECRETS_MIGRATED("SecretsMigrated"),
    /** Informational, outside Ready: every applicable posture check passes (docs/posture.md). */
    SECURITY_POSTURE("SecurityPosture"),
    // RoleBinding
    POOLS_RESOLVED("PoolsResolved"),
    SUBJECTS_RESOLVED("SubjectsResolved"),
    SYNCED("Synced");

    private final String value;

    ConditionType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
