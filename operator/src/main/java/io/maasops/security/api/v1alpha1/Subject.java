package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** A MAAS user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Subject {

    @JsonPropertyDescription("Only User.")
    @Default("User")
    @Pattern("^User$")
    private String kind = "User";

    @JsonPropertyDescription("MAAS username.")
    @Required
    @Pattern(Patterns.MAAS_USERNAME)
    private String name;

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
