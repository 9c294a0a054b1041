package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Where MAAS keeps its secrets in Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretsSettings {

    @JsonPropertyDescription("kv-v2 mount; created when missing, a kv-v1 mount is an error.")
    @Pattern(Patterns.SAFE_PATH)
    @Default("secret")
    @Size(max = 128)
    private String mount = "secret";

    @JsonPropertyDescription("MAAS's secrets path prefix inside the mount.")
    @Pattern(Patterns.SAFE_PATH)
    @Default("maas")
    @Size(max = 256)
    private String path = "maas";

    public String getMount() {
        return mount;
    }

    public void setMount(String mount) {
        this.mount = mount;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }
}
