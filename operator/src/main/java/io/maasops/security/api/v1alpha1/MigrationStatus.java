package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** Progress of `maas config-vault migrate`. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {

    @JsonPropertyDescription("Pending, Blocked, Running, Succeeded or Failed.")
    private MigrationPhase phase;

    @JsonPropertyDescription("Why, in MAAS's words where it has them.")
    private String message;

    @JsonPropertyDescription(
            "CamelCase cause of the phase, e.g. VaultSealed (a Failed migration with a Vault cause is retried once Vault is back).")
    private String reason;

    @JsonPropertyDescription("RFC 3339.")
    private String startedAt;

    @JsonPropertyDescription("RFC 3339.")
    private String completedAt;

    @JsonPropertyDescription("Vault paths checked after migration.")
    private List<String> verifiedPaths;

    @JsonPropertyDescription("The region the command ran on.")
    private String region;

    @JsonPropertyDescription("Generation whose approval the last attempt used.")
    private Long attemptGeneration;

    public MigrationPhase getPhase() {
        return phase;
    }

    public void setPhase(MigrationPhase phase) {
        this.phase = phase;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }

    public List<String> getVerifiedPaths() {
        return verifiedPaths;
    }

    public void setVerifiedPaths(List<String> verifiedPaths) {
        this.verifiedPaths = verifiedPaths;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public Long getAttemptGeneration() {
        return attemptGeneration;
    }

    public void setAttemptGeneration(Long attemptGeneration) {
        this.attemptGeneration = attemptGeneration;
    }
}
