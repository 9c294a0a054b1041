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

    public String getSecretIdRotationPeriod() {
        return secretIdRotationPeriod;
    }

    public void setSecretIdRotationPeriod(String secretIdRotationPeriod) {
        this.secretIdRotationPeriod = secretIdRotationPeriod;
    }
}
