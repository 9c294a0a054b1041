package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** A custom resource in the same namespace, by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectRef {

    @JsonPropertyDescription("Name of the referenced resource.")
    @Required
    @Pattern(Patterns.K8S_NAME)
    @Size(max = 253)
    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
