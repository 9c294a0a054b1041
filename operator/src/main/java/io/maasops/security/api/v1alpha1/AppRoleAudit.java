package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last comparison of the region's AppRole as Vault and the controller have it with what status.appRole
 * records: counts, a classification and a region's name only (never an accessor, a role-id or a secret-id).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppRoleAudit {

    /** regiondConfRole values. */
    public static final String OWN = "Own";

    public static final String OTHER_REGION = "OtherRegion";
    public static final String UNKNOWN_ROLE = "UnknownRole";
    public static final String NOT_CONFIGURED = "NotConfigured";

    @JsonPropertyDescription("RFC 3339. When Vault's list of the role's secret-ids was last compared with the record.")
    private String checkedAt;

    @JsonPropertyDescription(
            "Whether Vault's list of the role's secret-ids holds the recorded accessor (false: the secret-id the region"
                    + " runs with was destroyed or expired in Vault).")
    private Boolean secretIdLive;

    @JsonPropertyDescription(
            "How many secret-ids on the role have an accessor the operator did not record (made by hand with the role,"
                    + " or left over).")
    private Integer foreignSecretIds;

    @JsonPropertyDescription(
            "Whose AppRole the controller's regiond.conf names (vault_approle_id): Own, OtherRegion (another MaasRegion's"
                    + " of the same VaultIntegration), UnknownRole (a role-id no MaasRegion of it records) or NotConfigured;"
                    + " unset when regiond.conf could not be read.")
    private String regiondConfRole;

    @JsonPropertyDescription(
            "With OtherRegion: the MaasRegion (namespace/name) whose role regiond.conf names, when it is in this"
                    + " region's namespace.")
    private String regiondConfRoleOwner;

    public String getCheckedAt() {
        return checkedAt;
    }

    public void setCheckedAt(String checkedAt) {
        this.checkedAt = checkedAt;
    }

    public Boolean getSecretIdLive() {
        return secretIdLive;
    }

    public void setSecretIdLive(Boolean secretIdLive) {
        this.secretIdLive = secretIdLive;
    }

    public Integer getForeignSecretIds() {
        return foreignSecretIds;
    }

    public void setForeignSecretIds(Integer foreignSecretIds) {
        this.foreignSecretIds = foreignSecretIds;
    }

    public String getRegiondConfRole() {
        return regiondConfRole;
    }

    public void setRegiondConfRole(String regiondConfRole) {
        this.regiondConfRole = regiondConfRole;
    }

    public String getRegiondConfRoleOwner() {
        return regiondConfRoleOwner;
    }

    public void setRegiondConfRoleOwner(String regiondConfRoleOwner) {
        this.regiondConfRoleOwner = regiondConfRoleOwner;
    }
}
