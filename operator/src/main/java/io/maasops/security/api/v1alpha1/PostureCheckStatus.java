package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One check of the deployment's security posture (docs/posture.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureCheckStatus {

    @JsonPropertyDescription("The check's name, e.g. SecretsInVault.")
    private String check;

    @JsonPropertyDescription("Pass, Fail or NotApplicable.")
    private PostureResult result;

    @JsonPropertyDescription("CamelCase cause of the result.")
    private String reason;

    @JsonPropertyDescription("What holds, or what to do about it.")
    private String message;

    @JsonPropertyDescription("RFC 3339: when the result last changed.")
    private String lastTransitionTime;

    @JsonPropertyDescription("The MAAS security recommendation the check comes from.")
    private String recommendation;

    public PostureCheckStatus() {}

    public PostureCheckStatus(
            String check,
            PostureResult result,
            String reason,
            String message,
            String lastTransitionTime,
            String recommendation) {
        this.check = check;
        this.result = result;
        this.reason = reason;
        this.message = message;
        this.lastTransitionTime = lastTransitionTime;
        this.recommendation = recommendation;
    }

    public String getCheck() {
        return check;
    }

    public void setCheck(String check) {
        this.check = check;
    }

    public PostureResult getResult() {
        return result;
    }

    public void setResult(PostureResult result) {
        this.result = result;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public String getRecommendation() {
        return recommendation;
    }

    public void setRecommendation(String recommendation) {
        this.recommendation = recommendation;
    }
}
