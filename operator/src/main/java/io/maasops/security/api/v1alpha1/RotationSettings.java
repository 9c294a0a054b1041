package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Secret-id rotation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationSettings {

    @JsonPropertyDescription("Rotate each region's secret-id this often; 0s = never.")
    @Pattern(Patterns.DURATION)
    @Default("0s")
    private String secretIdRotationPeriod = "0s";

    @JsonPropertyDescription(
            "At most this many regions of this integration restart for a secret-id rotation at a time (a rolling"
                    + " rotation, as maxUnavailable of a Deployment); the next one waits until the restarted region serves"
                    + " again (its MAAS CLI, its Vault consumers and, with spec.api, its MAAS API answer).")
    @Min(1)
    @Max(1000)
    @Default("1")
    private Integer maxUnavailable = 1;

    public String getSecretIdRotationPeriod() {
        return secretIdRotationPeriod;
    }

    public void setSecretIdRotationPeriod(String secretIdRotationPeriod) {
        this.secretIdRotationPeriod = secretIdRotationPeriod;
    }

    public Integer getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(Integer maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
