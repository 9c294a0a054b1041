package io.maasops.security.reconciler.region;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.kube.EventRecorder;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.reconciler.Services;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.RegionCommandRunner;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link RegionPart} needs for one reconcile of one MaasRegion: the resource, the
 * status being built, its VaultIntegration, the Secret values its spec names (read once, when first needed), and
 * the shared services. Transports and API clients are created on first use.
 */
public final class RegionContext {

  /** Keys of {@link #secret(String)}: the spec field that names the Secret. */
  public static final String SSH_PRIVATE_KEY = "spec.access.ssh.privateKeySecretRef";
  public static final String SSH_KNOWN_HOSTS = "spec.access.ssh.knownHostsSecretRef";
  public static final String API_KEY = "spec.api.apiKeySecretRef";
  public static final String API_CA = "spec.api.caSecretRef";
  public static final String TLS_CERTIFICATE = "spec.tls.certificateSecretRef";

  private final MaasRegion region;
  private final MaasRegionStatus status;
  private final VaultIntegration integration;
  private final RegionSecrets secrets;
  private final Services services;
  private final KubernetesClient client;
  private final Long previousObservedGeneration;
  private MaasCli cli;
  private MaasRegion latest;

  public RegionContext(MaasRegion region, MaasRegionStatus status, VaultIntegration integration, RegionSecrets secrets,
                       Services services, KubernetesClient client, Long previousObservedGeneration) {
    this.region = region;
    this.status = status;
    this.integration = integration;
    this.secrets = secrets;
    this.services = services;
    this.client = client;
    this.previousObservedGeneration = previousObservedGeneration;
  }

  public MaasRegion region() {
    return region;
  }

  public MaasRegionStatus status() {
    return status;
  }

  public VaultIntegration integration() {
    return integration;
  }

  public Services services() {
    return services;
  }

  public EventRecorder events() {
    return services.events();
  }

  public KubernetesClient kubernetes() {
    return client;
  }

  public Instant now() {
    return services.clock().instant();
  }

  public String namespace() {
    return region.getMetadata().getNamespace();
  }

  public String name() {
    return region.getMetadata().getName();
  }

  /**
   * Why the integration's spec.tenancy does not let this region use the operator (namespace, SSH
   * host, MAAS API URL, TLS endpoint); empty when it may. A refused region gets no Vault call, no
   * command and no connection, also when it is deleted.
   */
  public Optional<io.maasops.security.tenancy.Refusal> refusal() {
    if (integration == null || region.getSpec() == null) {
      return Optional.empty();
    }
    return io.maasops.security.tenancy.Tenancy.region(integration, namespace(), region.getSpec());
  }

  /** "namespace/name", the region's identity in caches and metrics. */
  public String key() {
    return namespace() + "/" + name();
  }

  /** True when the spec changed since the status was last written (or on the first reconcile). */
  public boolean specChanged() {
    return previousObservedGeneration == null || !previousObservedGeneration.equals(region.getMetadata().getGeneration());
  }

  /** The value of the Secret the spec field names, read on first use; empty when not named or unreadable. */
  public Optional<Secret> secret(String field) {
    return secrets.value(field);
  }

  /**
   * Why the Secret named by an optional field (api key, CA, certificate) could not be read, as
   * "Reason: message"; empty when it was read or is not referenced. The part that needs it reports it.
   */
  public Optional<String> missingSecret(String field) {
    return secrets.problem(field);
  }

  public MaasPackaging installation() {
    return RegionAccess.installation(region);
  }

  /** Runs commands on the controller by SSH or pod exec, as the spec says. */
  public RegionCommandRunner runner() {
    return RegionAccess.runner(region, secret(SSH_PRIVATE_KEY), secret(SSH_KNOWN_HOSTS), services, client);
  }

  /**
   * Writes the status built so far, mid-reconcile, for facts that must survive a crash before
   * the reconcile ends (an issued secret-id's accessor). The final status is written as usual.
   */
  public void persistStatus() {
    String patch = io.maasops.security.status.StatusUpdates.wholeStatusPatch(status);
    latest = client.resources(MaasRegion.class).inNamespace(namespace()).withName(name()).subresource("status")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), patch);
  }

  /** Whether {@link #persistStatus()} wrote mid-reconcile. */
  public boolean statusPersisted() {
    return latest != null;
  }

  /** The resource as the last mid-reconcile write left it. */
  public MaasRegion latest() {
    return latest;
  }

  /** The typed MAAS CLI on this controller. */
  public MaasCli cli() {
    if (cli == null) {
      cli = new MaasCli(runner(), installation());
    }
    return cli;
  }

  /** The deployment's MAAS API, when spec.api is set. */
  public Optional<MaasApiClient> maasApi() throws CertificateReadException {
    var api = region.getSpec().getApi();
    if (api == null) {
      return Optional.empty();
    }
    return Optional.of(services.maasClients().forRegion(key(), URI.create(api.getUrl()), secret(API_KEY).orElseThrow(),
        secret(API_CA).map(Secret::reveal).orElse(null)));
  }
}
