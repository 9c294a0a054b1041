package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Observed state of a VaultIntegration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultIntegrationStatus extends ResourceStatus {

    @JsonPropertyDescription("Vault as last seen.")
    private VaultInfo vault;

    @JsonPropertyDescription("Regions of the deployment.")
    private RegionsSummary regions;

    @JsonPropertyDescription("Secret migration.")
    private MigrationStatus migration;

    @JsonPropertyDescription("The regions' Vault policy as last checked.")
    private PolicyStatus policy;

    @JsonPropertyDescription("The deployment's security posture: one entry per check (docs/posture.md).")
    private java.util.List<PostureCheckStatus> posture;

    @JsonPropertyDescription("Posture checks passing out of those that apply, e.g. 6/7.")
    private String postureSummary;

    @JsonPropertyDescription("What the posture last read from MAAS through spec.posture.maasApi.")
    private PostureMaasStatus postureMaas;

    public PostureMaasStatus getPostureMaas() {
        return postureMaas;
    }

    public void setPostureMaas(PostureMaasStatus postureMaas) {
        this.postureMaas = postureMaas;
    }

    public java.util.List<PostureCheckStatus> getPosture() {
        return posture;
    }

    public void setPosture(java.util.List<PostureCheckStatus> posture) {
        this.posture = posture;
    }

    public String getPostureSummary() {
        return postureSummary;
    }

    public void setPostureSummary(String postureSummary) {
        this.postureSummary = postureSummary;
    }

    public VaultInfo getVault() {
        return vault;
    }

    public void setVault(VaultInfo vault) {
        this.vault = vault;
    }

    public RegionsSummary getRegions() {
        return regions;
    }

    public void setRegions(RegionsSummary regions) {
        this.regions = regions;
    }

    public MigrationStatus getMigration() {
        return migration;
    }

    public void setMigration(MigrationStatus migration) {
        this.migration = migration;
    }

    public PolicyStatus getPolicy() {
        return policy;
    }

    public void setPolicy(PolicyStatus policy) {
        this.policy = policy;
    }
}
