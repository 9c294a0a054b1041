package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** When `maas config-vault migrate` may run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationSettings {

    @JsonPropertyDescription("Manual: run when approved is true. Automatic: run once every region is configured.")
    @Default("Manual")
    private MigrationMode mode = MigrationMode.Manual;

    @JsonPropertyDescription("Approval for a Manual migration.")
    @Default("false")
    private Boolean approved = false;

    public MigrationMode getMode() {
        return mode;
    }

    public void setMode(MigrationMode mode) {
        this.mode = mode;
    }

    public Boolean getApproved() {
        return approved;
    }

    public void setApproved(Boolean approved) {
        this.approved = approved;
    }
}
