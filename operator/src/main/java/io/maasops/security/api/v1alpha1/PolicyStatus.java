package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The regions' Vault policy as the operator last checked it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyStatus {

    @JsonPropertyDescription("Name of the policy every region's AppRole gets (spec.policyName).")
    private String name;

    @JsonPropertyDescription(
            "Matches, Missing or Differs: how the policy in Vault compares with MAAS's minimal policy for spec.secrets.")
    private String state;

    @JsonPropertyDescription(
            "MAAS's minimal policy for spec.secrets, for the Vault admin to write: kubectl get vi NAME -o jsonpath='{.status.policy.expected}' | vault policy write NAME -")
    private String expected;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getExpected() {
        return expected;
    }

    public void setExpected(String expected) {
        this.expected = expected;
    }
}
