package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** A kubernetes.io/tls Secret in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSecretRef {

    @JsonPropertyDescription("Name of the Secret.")
    @Required
    @Pattern(Patterns.K8S_NAME)
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("Key holding the PEM chain, leaf first.")
    @Pattern(Patterns.SECRET_KEY)
    @Default("tls.crt")
    private String key = "tls.crt";

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
