package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.VaultConnection;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.reconciler.Services;
import io.maasops.security.tenancy.Refusal;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.VaultGateways;
import java.net.URI;
import java.util.Optional;

/**
 * The operator's Vault gateway for one VaultIntegration: connection from its spec, credentials
 * from Secrets in the operator's own namespace (the integration is cluster-scoped and the admin's:
 * no namespace author can point the operator's Vault identity anywhere). Both the integration
 * and its regions use the same cached gateway (one login).
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
    var vault = vi.getSpec().getVault();
    Optional<String> insecure = insecureHttpRefused(vault);
    if (insecure.isPresent()) {
      // refused before any connection: nothing, least of all a token, goes to a plain-http address
      return new Lookup(null, Refusal.INSECURE_VAULT, insecure.get());
    }
    SecretValues secrets = new SecretValues(client);
    String ns = services.clusterResourceNamespace();
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
    var key = new VaultGateways.Key(vi.getMetadata().getName(), URI.create(vault.getAddress()), caPem,
        vault.getNamespace(), token != null ? "token" : "kubernetes",
        k8s == null ? null : k8s.getRole(), k8s == null ? null : k8s.getMountPath(), token);
    return new Lookup(services.vaultGateways().forIntegration(key), null, null);
  }

  /** The address regions use to reach Vault: spec.vault.regionAddress, else spec.vault.address. */
  public static URI regionAddress(VaultIntegration vi) {
    String a = vi.getSpec().getVault().getRegionAddress();
    return URI.create(a == null || a.isEmpty() ? vi.getSpec().getVault().getAddress() : a);
  }

  /** Why an http:// address may not be used: spec.vault.allowInsecureHttp is not set. */
  static Optional<String> insecureHttpRefused(VaultConnection vault) {
    if (Boolean.TRUE.equals(vault.getAllowInsecureHttp())) {
      return Optional.empty();
    }
    for (String field : new String[] {"address", "regionAddress"}) {
      String a = field.equals("address") ? vault.getAddress() : vault.getRegionAddress();
      if (a != null && a.regionMatches(true, 0, "http://", 0, 7)) {
        return Optional.of("spec.vault." + field + " uses http: the operator's Vault token and the regions' secret-ids"
            + " would travel unencrypted. Use https, or set spec.vault.allowInsecureHttp for a lab");
      }
    }
    return Optional.empty();
  }

  /** Which of the addresses is plain http (allowed by spec.vault.allowInsecureHttp), for the InsecureTransport condition. */
  public static Optional<String> plainHttpInUse(VaultIntegration vi) {
    var vault = vi.getSpec().getVault();
    boolean op = vault.getAddress() != null && vault.getAddress().regionMatches(true, 0, "http://", 0, 7);
    String ra = vault.getRegionAddress() == null || vault.getRegionAddress().isEmpty() ? vault.getAddress() : vault.getRegionAddress();
    boolean regions = ra != null && ra.regionMatches(true, 0, "http://", 0, 7);
    if (!op && !regions) {
      return Optional.empty();
    }
    return Optional.of((op && regions ? "the operator and the regions reach" : op ? "the operator reaches" : "the regions reach")
        + " Vault over plain http (spec.vault.allowInsecureHttp): tokens and secret-ids travel unencrypted");
  }
}
