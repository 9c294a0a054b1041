package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** The MAAS group a RoleBinding owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GroupRef {

    @JsonPropertyDescription("MAAS group id.")
    private Long id;

    @JsonPropertyDescription("MAAS group name.")
    private String name;

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
