package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** How to reach Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultConnection {

  @JsonPropertyDescription("Vault address used by the operator, e.g. https://vault.example:8200.")
  @Required
  @Pattern(Patterns.HTTP_URL)
  @Size(max = 2048)
  private String address;

  @JsonPropertyDescription("Vault address the region controllers use; default: address.")
  @Pattern(Patterns.HTTP_URL_OR_EMPTY)
  @Size(max = 2048)
  private String regionAddress;

  @JsonPropertyDescription("PEM CA bundle to verify Vault's certificate; default: the JVM trust store.")
  private SecretKeyRef caSecretRef;

  @JsonPropertyDescription("Vault Enterprise / OpenBao namespace.")
  @Pattern(Patterns.SAFE_NAME_OR_EMPTY)
  @Size(max = 256)
  private String namespace;

  @JsonPropertyDescription("How the operator logs in to Vault.")
  @Required
  @ValidationRule(value = "(has(self.kubernetes) ? 1 : 0) + (has(self.tokenSecretRef) ? 1 : 0) == 1", message = "exactly one of kubernetes or tokenSecretRef must be set")
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
