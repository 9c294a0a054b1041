package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Vault Kubernetes auth: the operator logs in with its service-account token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubernetesAuth {

    @JsonPropertyDescription("Vault role of the Kubernetes auth method.")
    @Required
    @Pattern(Patterns.SAFE_PATH)
    @Size(max = 128)
    private String role;

    @JsonPropertyDescription("Mount path of the Kubernetes auth method.")
    @Pattern(Patterns.SAFE_PATH)
    @Default("kubernetes")
    @Size(max = 128)
    private String mountPath = "kubernetes";

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getMountPath() {
        return mountPath;
    }

    public void setMountPath(String mountPath) {
        this.mountPath = mountPath;
    }
}
