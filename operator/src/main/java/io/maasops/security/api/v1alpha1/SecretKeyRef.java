package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** A key in a Secret in the custom resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

    @JsonPropertyDescription("Name of the Secret.")
    @Required
    @Pattern(Patterns.K8S_NAME)
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("Key inside the Secret's data.")
    @Required
    @Pattern(Patterns.SECRET_KEY)
    @Size(max = 253)
    private String key;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
