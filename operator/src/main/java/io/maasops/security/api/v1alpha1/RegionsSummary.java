package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** Regions of this deployment, from MAAS's own `config-vault status`. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegionsSummary {

    @JsonPropertyDescription("MaasRegions that reference this integration.")
    private Integer declared;

    @JsonPropertyDescription("Declared regions whose Vault configuration is confirmed.")
    private Integer configured;

    @JsonPropertyDescription("Hostnames MAAS reports as not configured (including undeclared ones).")
    private List<String> unconfigured;

    @JsonPropertyDescription("RFC 3339 time MAAS was last asked (`maas config-vault status`).")
    private String checkedAt;

    @JsonPropertyDescription("The region the status command ran on.")
    private String checkedOn;

    public Integer getDeclared() {
        return declared;
    }

    public void setDeclared(Integer declared) {
        this.declared = declared;
    }

    public Integer getConfigured() {
        return configured;
    }

    public void setConfigured(Integer configured) {
        this.configured = configured;
    }

    public List<String> getUnconfigured() {
        return unconfigured;
    }

    public void setUnconfigured(List<String> unconfigured) {
        this.unconfigured = unconfigured;
    }

    public String getCheckedAt() {
        return checkedAt;
    }

    public void setCheckedAt(String checkedAt) {
        this.checkedAt = checkedAt;
    }

    public String getCheckedOn() {
        return checkedOn;
    }

    public void setCheckedOn(String checkedOn) {
        this.checkedOn = checkedOn;
    }
}
