package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.ArrayList;
import java.util.List;

/** A MAAS role for people over resource pools. */
@ValidationRule(
        value = "self.role == 'Administrator' ? (!has(self.resourcePools) || size(self.resourcePools) == 0)"
                + " : (has(self.resourcePools) && size(self.resourcePools) > 0)",
        message = "resourcePools are required for Operator, User and Auditor, and not allowed for Administrator")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoleBindingSpec {

    @JsonPropertyDescription(
            "A MaasRegion of this namespace whose spec.api reaches the deployment's API; the binding acts with that region's MAAS API key, and its VaultIntegration decides whether this namespace (and role Administrator) is allowed.")
    @Required
    private LocalObjectRef maasRegionRef;

    @JsonPropertyDescription("Administrator, Operator, User or Auditor.")
    @Required
    private MaasRole role;

    @JsonPropertyDescription("Who gets the role.")
    @Required
    @Size(min = 1, max = 256)
    private List<Subject> subjects = new ArrayList<>();

    @JsonPropertyDescription("Pools; required for Operator/User/Auditor, forbidden for Administrator.")
    @Size(max = 256)
    private List<String> resourcePools = new ArrayList<>();

    @JsonPropertyDescription(
            "MAAS group name; default k8s_<namespace>_<name>. The operator only changes or deletes a group it created for this binding (marked in its description).")
    @Pattern("^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$")
    private String groupName;

    public LocalObjectRef getMaasRegionRef() {
        return maasRegionRef;
    }

    public void setMaasRegionRef(LocalObjectRef maasRegionRef) {
        this.maasRegionRef = maasRegionRef;
    }

    public MaasRole getRole() {
        return role;
    }

    public void setRole(MaasRole role) {
        this.role = role;
    }

    public List<Subject> getSubjects() {
        return subjects;
    }

    public void setSubjects(List<Subject> subjects) {
        this.subjects = subjects;
    }

    public List<String> getResourcePools() {
        return resourcePools;
    }

    public void setResourcePools(List<String> resourcePools) {
        this.resourcePools = resourcePools;
    }

    public String getGroupName() {
        return groupName;
    }

    public void setGroupName(String groupName) {
        this.groupName = groupName;
    }
}
