package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Run commands in a pod of this resource's own namespace (kubectl exec style), for MAAS running in Kubernetes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodAccess {

    @JsonPropertyDescription("Pod name.")
    @Required
    @Pattern(Patterns.K8S_NAME)
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("Container; default: the pod's only container.")
    @Pattern(Patterns.K8S_NAME_OR_EMPTY)
    @Size(max = 63)
    private String container;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getContainer() {
        return container;
    }

    public void setContainer(String container) {
        this.container = container;
    }
}
