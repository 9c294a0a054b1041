package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** How the operator itself logs in to Vault: exactly one of kubernetes or tokenSecretRef. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultAuth {

    @JsonPropertyDescription(
            "Kubernetes auth method (recommended): the operator logs in with its projected service-account token (audience vault).")
    private KubernetesAuth kubernetes;

    @JsonPropertyDescription("A Vault token read from a Secret in the operator's own namespace.")
    private SecretKeyRef tokenSecretRef;

    public KubernetesAuth getKubernetes() {
        return kubernetes;
    }

    public void setKubernetes(KubernetesAuth kubernetes) {
        this.kubernetes = kubernetes;
    }

    public SecretKeyRef getTokenSecretRef() {
        return tokenSecretRef;
    }

    public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
        this.tokenSecretRef = tokenSecretRef;
    }
}
