package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** The region's AppRole; identifiers only, never a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppRoleStatus {

    @JsonPropertyDescription("Vault role name.")
    private String roleName;

    @JsonPropertyDescription("role-id (not secret on its own).")
    private String roleId;

    @JsonPropertyDescription("Accessor of the secret-id the region uses.")
    private String secretIdAccessor;

    @JsonPropertyDescription(
            "Accessor of a secret-id issued but not yet confirmed by the region (destroyed once a newer one works).")
    private String pendingSecretIdAccessor;

    @JsonPropertyDescription("RFC 3339.")
    private String issuedAt;

    @JsonPropertyDescription(
            "RFC 3339. Set before a secret-id is requested and cleared once its accessor is recorded: when an attempt "
                    + "ends in between (operator stopped, connection reset), the role may hold a secret-id no status names, and the next confirmed "
                    + "configure removes every secret-id of the role but the one in use.")
    private String unrecordedSecretIdSince;

    @JsonPropertyDescription("RFC 3339.")
    private String configuredAt;

    @JsonPropertyDescription("RFC 3339.")
    private String rotatedAt;

    @JsonPropertyDescription(
            "RFC 3339. Set before a rotation restarts the region's MAAS services and cleared once the region serves again:"
                    + " while set, the region holds one of its integration's spec.rotation.maxUnavailable places (also across"
                    + " an operator restart).")
    private String restartingSince;

    @JsonPropertyDescription("Last handled value of the rotate-secret-id annotation, recorded once that rotation has an"
            + " outcome: the SecretIdRotation condition then reports this request.")
    private String rotationRequest;

    @JsonPropertyDescription(
            "Accessors of secret-ids the operator issued but could not destroy yet (Vault was unavailable); retried.")
    private List<String> staleSecretIdAccessors;

    @JsonPropertyDescription(
            "The last comparison of Vault's secret-ids of the role and of regiond.conf's AppRole with this record"
                    + " (docs/posture.md, checks RegionsConfigured and SecretIdsRecorded).")
    private AppRoleAudit audit;

    public AppRoleAudit getAudit() {
        return audit;
    }

    public void setAudit(AppRoleAudit audit) {
        this.audit = audit;
    }

    public String getRestartingSince() {
        return restartingSince;
    }

    public void setRestartingSince(String restartingSince) {
        this.restartingSince = restartingSince;
    }

    public String getUnrecordedSecretIdSince() {
        return unrecordedSecretIdSince;
    }

    public void setUnrecordedSecretIdSince(String unrecordedSecretIdSince) {
        this.unrecordedSecretIdSince = unrecordedSecretIdSince;
    }

    public String getRoleName() {
        return roleName;
    }

    public void setRoleName(String roleName) {
        this.roleName = roleName;
    }

    public String getRoleId() {
        return roleId;
    }

    public void setRoleId(String roleId) {
        this.roleId = roleId;
    }

    public String getSecretIdAccessor() {
        return secretIdAccessor;
    }

    public void setSecretIdAccessor(String secretIdAccessor) {
        this.secretIdAccessor = secretIdAccessor;
    }

    public String getPendingSecretIdAccessor() {
        return pendingSecretIdAccessor;
    }

    public void setPendingSecretIdAccessor(String pendingSecretIdAccessor) {
        this.pendingSecretIdAccessor = pendingSecretIdAccessor;
    }

    public String getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(String issuedAt) {
        this.issuedAt = issuedAt;
    }

    public String getConfiguredAt() {
        return configuredAt;
    }

    public void setConfiguredAt(String configuredAt) {
        this.configuredAt = configuredAt;
    }

    public String getRotatedAt() {
        return rotatedAt;
    }

    public void setRotatedAt(String rotatedAt) {
        this.rotatedAt = rotatedAt;
    }

    public String getRotationRequest() {
        return rotationRequest;
    }

    public void setRotationRequest(String rotationRequest) {
        this.rotationRequest = rotationRequest;
    }

    public List<String> getStaleSecretIdAccessors() {
        return staleSecretIdAccessors;
    }

    public void setStaleSecretIdAccessors(List<String> staleSecretIdAccessors) {
        this.staleSecretIdAccessors = staleSecretIdAccessors;
    }
}
