package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** One entitlement tuple applied to the group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EntitlementStatus {

    @JsonPropertyDescription("maas or pool.")
    private String resourceType;

    @JsonPropertyDescription("0 for maas, else the pool id.")
    private Long resourceId;

    @JsonPropertyDescription("e.g. can_edit_machines.")
    private String entitlement;

    public String getResourceType() {
        return resourceType;
    }

    public void setResourceType(String resourceType) {
        this.resourceType = resourceType;
    }

    public Long getResourceId() {
        return resourceId;
    }

    public void setResourceId(Long resourceId) {
        this.resourceId = resourceId;
    }

    public String getEntitlement() {
        return entitlement;
    }

    public void setEntitlement(String entitlement) {
        this.entitlement = entitlement;
    }
}
