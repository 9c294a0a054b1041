package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** How to reach Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultConnection {

    @JsonPropertyDescription(
            "Vault address used by the operator: scheme, host and port only, e.g. https://vault.example:8200. The operator's Vault credentials (its service-account token with Kubernetes auth) are sent here and nowhere else.")
    @Required
    @Pattern(Patterns.HTTP_ORIGIN)
    @Size(max = 300)
    private String address;

    @JsonPropertyDescription("Vault address the region controllers use (scheme, host and port); default: address.")
    @Pattern(Patterns.HTTP_ORIGIN_OR_EMPTY)
    @Size(max = 300)
    private String regionAddress;

    @JsonPropertyDescription(
            "Allow http:// for address and regionAddress. Tokens, secret-ids and wrapped secret-ids then travel unencrypted; the InsecureTransport condition says so. For labs and the sandbox only.")
    @Default("false")
    private Boolean allowInsecureHttp = false;

    @JsonPropertyDescription(
            "PEM CA bundle to verify Vault's certificate, from a Secret in the operator's own namespace; default: the JVM trust store.")
    private SecretKeyRef caSecretRef;

    @JsonPropertyDescription("Vault Enterprise / OpenBao namespace.")
    @Pattern(Patterns.SAFE_NAME_OR_EMPTY)
    @Size(max = 256)
    private String namespace;

    @JsonPropertyDescription("How the operator logs in to Vault.")
    @Required
    @ValidationRule(
            value = "(has(self.kubernetes) ? 1 : 0) + (has(self.tokenSecretRef) ? 1 : 0) == 1",
            message = "exactly one of kubernetes or tokenSecretRef must be set")
    private VaultAuth auth;

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getRegionAddress() {
        return regionAddress;
    }

    public void setRegionAddress(String regionAddress) {
        this.regionAddress = regionAddress;
    }

    public Boolean getAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(Boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public SecretKeyRef getCaSecretRef() {
        return caSecretRef;
    }

    public void setCaSecretRef(SecretKeyRef caSecretRef) {
        this.caSecretRef = caSecretRef;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public VaultAuth getAuth() {
        return auth;
    }

    public void setAuth(VaultAuth auth) {
        this.auth = auth;
    }
}
