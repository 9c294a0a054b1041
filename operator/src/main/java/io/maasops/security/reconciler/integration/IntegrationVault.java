package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.reconciler.Services;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.VaultGateways;
import java.net.URI;

/**
 * The operator's Vault gateway for one VaultIntegration: connection and credentials from its spec
 * and Secrets. Both the integration and its regions use the same cached gateway (one login).
 */
public final class IntegrationVault {

  private IntegrationVault() {}

  /** Either a gateway, or why there is none (reason + message for a condition). */
  public record Lookup(VaultGateway gateway, String reason, String message) {
    public boolean found() {
      return gateway != null;
    }
  }

  public static Lookup gateway(VaultIntegration vi, KubernetesClient client, Services services) {
    SecretValues secrets = new SecretValues(client);
    String ns = vi.getMetadata().getNamespace();
    var vault = vi.getSpec().getVault();
    Secret token = null;
    if (vault.getAuth().getTokenSecretRef() != null) {
      var ref = vault.getAuth().getTokenSecretRef();
      var l = secrets.read(ns, ref.getName(), ref.getKey());
      if (!l.found()) {
        return new Lookup(null, l.reason(), "spec.vault.auth.tokenSecretRef: " + l.message());
      }
      token = Secret.of(l.value().reveal().trim());
    }
    String caPem = null;
    if (vault.getCaSecretRef() != null) {
      var l = secrets.read(ns, vault.getCaSecretRef().getName(), vault.getCaSecretRef().getKey());
      if (!l.found()) {
        return new Lookup(null, l.reason(), "spec.vault.caSecretRef: " + l.message());
      }
      caPem = l.value().reveal();
    }
    var k8s = vault.getAuth().getKubernetes();
    var key = new VaultGateways.Key(ns + "/" + vi.getMetadata().getName(), URI.create(vault.getAddress()), caPem,
        vault.getNamespace(), token != null ? "token" : "kubernetes",
        k8s == null ? null : k8s.getRole(), k8s == null ? null : k8s.getMountPath(), token);
    return new Lookup(services.vaultGateways().forIntegration(key), null, null);
  }

  /** The address regions use to reach Vault: spec.vault.regionAddress, else spec.vault.address. */
  public static URI regionAddress(VaultIntegration vi) {
    String a = vi.getSpec().getVault().getRegionAddress();
    return URI.create(a == null || a.isEmpty() ? vi.getSpec().getVault().getAddress() : a);
  }
}
