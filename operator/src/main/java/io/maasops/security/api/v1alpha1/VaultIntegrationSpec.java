package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** One MAAS deployment and the Vault that keeps its secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultIntegrationSpec {

    @JsonPropertyDescription(
            "Which namespaces may use this deployment, and where their resources may point the operator.")
    @Required
    private TenancySettings tenancy;

    @JsonPropertyDescription("How to reach and log in to Vault.")
    @Required
    private VaultConnection vault;

    @JsonPropertyDescription("AppRole settings.")
    private AppRoleSettings appRole = new AppRoleSettings();

    @JsonPropertyDescription("Secrets mount and path.")
    private SecretsSettings secrets = new SecretsSettings();

    @JsonPropertyDescription(
            "The Vault policy every region's AppRole gets: MAAS's minimal policy for spec.secrets, created by the Vault admin (status.policy.expected holds its text). The operator reads it to check it and never writes policies. Default maas-region.")
    @Pattern(Patterns.SAFE_NAME_OR_EMPTY)
    @Size(max = 128)
    private String policyName;

    @JsonPropertyDescription("Secret migration.")
    private MigrationSettings migration = new MigrationSettings();

    @JsonPropertyDescription("Secret-id rotation.")
    private RotationSettings rotation = new RotationSettings();

    @JsonPropertyDescription(
            "What happens to the regions' AppRoles in Vault when this resource is deleted (the policy is the Vault admin's and always stays).")
    @Default("Retain")
    private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @JsonPropertyDescription(
            "The security posture's access to MAAS (docs/posture.md): the cluster admin's MAAS API credential and the opt-in notification for administrators.")
    private PostureSettings posture;

    public TenancySettings getTenancy() {
        return tenancy;
    }

    public void setTenancy(TenancySettings tenancy) {
        this.tenancy = tenancy;
    }

    public VaultConnection getVault() {
        return vault;
    }

    public void setVault(VaultConnection vault) {
        this.vault = vault;
    }

    public AppRoleSettings getAppRole() {
        return appRole;
    }

    public void setAppRole(AppRoleSettings appRole) {
        this.appRole = appRole;
    }

    public SecretsSettings getSecrets() {
        return secrets;
    }

    public void setSecrets(SecretsSettings secrets) {
        this.secrets = secrets;
    }

    public String getPolicyName() {
        return policyName;
    }

    public void setPolicyName(String policyName) {
        this.policyName = policyName;
    }

    public MigrationSettings getMigration() {
        return migration;
    }

    public void setMigration(MigrationSettings migration) {
        this.migration = migration;
    }

    public RotationSettings getRotation() {
        return rotation;
    }

    public void setRotation(RotationSettings rotation) {
        this.rotation = rotation;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

    public PostureSettings getPosture() {
        return posture;
    }

    public void setPosture(PostureSettings posture) {
        this.posture = posture;
    }
}
