package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** Observed state of a RoleBinding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoleBindingStatus extends ResourceStatus {

    @JsonPropertyDescription("The MAAS group this binding owns.")
    private GroupRef group;

    @JsonPropertyDescription("Entitlements applied to the group.")
    private List<EntitlementStatus> entitlements;

    @JsonPropertyDescription("Usernames in the group.")
    private List<String> members;

    @JsonPropertyDescription("Pools and users MAAS does not know.")
    private Unresolved unresolved;

    public GroupRef getGroup() {
        return group;
    }

    public void setGroup(GroupRef group) {
        this.group = group;
    }

    public List<EntitlementStatus> getEntitlements() {
        return entitlements;
    }

    public void setEntitlements(List<EntitlementStatus> entitlements) {
        this.entitlements = entitlements;
    }

    public List<String> getMembers() {
        return members;
    }

    public void setMembers(List<String> members) {
        this.members = members;
    }

    public Unresolved getUnresolved() {
        return unresolved;
    }

    public void setUnresolved(Unresolved unresolved) {
        this.unresolved = unresolved;
    }
}
