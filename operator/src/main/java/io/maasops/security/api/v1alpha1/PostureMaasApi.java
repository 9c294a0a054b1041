package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** The cluster admin's MAAS API credential for one deployment's posture (Secrets in the operator's namespace). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureMaasApi {

    @JsonPropertyDescription(
            "e.g. https://maas.example:5443/MAAS; https unless spec.tenancy.allowInsecureMaasApi allows http.")
    @Required
    @Pattern(Patterns.HTTP_URL)
    @Size(max = 2048)
    private String url;

    @JsonPropertyDescription(
            "API key consumer:token:secret (`maas apikey --username U`), from a Secret in the operator's own namespace. A non-administrator's key suffices to measure; notifyAdministrators needs an administrator's.")
    @Required
    private SecretKeyRef apiKeySecretRef;

    @JsonPropertyDescription(
            "PEM CA bundle to verify the MAAS API, from a Secret in the operator's own namespace; default: the JVM trust store.")
    private SecretKeyRef caSecretRef;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public SecretKeyRef getApiKeySecretRef() {
        return apiKeySecretRef;
    }

    public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
        this.apiKeySecretRef = apiKeySecretRef;
    }

    public SecretKeyRef getCaSecretRef() {
        return caSecretRef;
    }

    public void setCaSecretRef(SecretKeyRef caSecretRef) {
        this.caSecretRef = caSecretRef;
    }
}
