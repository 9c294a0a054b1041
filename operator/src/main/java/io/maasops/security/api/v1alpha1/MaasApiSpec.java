package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** The MAAS API of this deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaasApiSpec {

    @JsonPropertyDescription(
            "e.g. https://maas.example:5443/MAAS; https unless the VaultIntegration allows http (spec.tenancy.allowInsecureMaasApi), within its spec.tenancy.allowedMaasApiUrls.")
    @Required
    @Pattern(Patterns.HTTP_URL)
    @Size(max = 2048)
    private String url;

    @JsonPropertyDescription("API key consumer:token:secret (from `maas apikey`).")
    @Required
    private SecretKeyRef apiKeySecretRef;

    @JsonPropertyDescription("PEM CA bundle to verify the MAAS API; default: the JVM trust store.")
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
