package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** References MAAS does not know. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Unresolved {

    @JsonPropertyDescription("Unknown resource pools.")
    private List<String> pools;

    @JsonPropertyDescription("Unknown usernames.")
    private List<String> users;

    public List<String> getPools() {
        return pools;
    }

    public void setPools(List<String> pools) {
        this.pools = pools;
    }

    public List<String> getUsers() {
        return users;
    }

    public void setUsers(List<String> users) {
        this.users = users;
    }
}
