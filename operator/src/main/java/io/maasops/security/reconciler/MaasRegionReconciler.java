package io.maasops.security.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.SecretKeyRef;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.reconciler.region.PartResult;
import io.maasops.security.reconciler.region.RegionContext;
import io.maasops.security.reconciler.region.RegionPart;
import io.maasops.security.reconciler.region.RegionSecrets;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.validation.SpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * MaasRegion: validates the spec, finds its VaultIntegration and the Secrets it names, then hands
 * over to the per-region flows (AppRole, config files, certificate).
 */
@ControllerConfiguration(
    name = MaasRegionReconciler.NAME,
    // Off so that the rotate-secret-id annotation starts a rotation at once; the filter still
    // ignores our own status writes.
    generationAwareEventProcessing = false,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(onUpdateFilter = ReconcileRequestFilter.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class MaasRegionReconciler implements Reconciler<MaasRegion>, Cleaner<MaasRegion> {

  public static final String NAME = "maasregion";
  static final String BY_INTEGRATION = "by-vault-integration";
  static final String BY_TLS_SECRET = "by-tls-secret";
  /**
   * Secrets with this label set to "true" are watched: a change to a certificate Secret so labelled
   * triggers a check at once. Only labelled Secrets are cached; all others are read on demand.
   */
  public static final String WATCH_LABEL = "security.maasops.io/watched";
  private static final List<String> ACCESS_REFS = List.of(RegionContext.SSH_PRIVATE_KEY, RegionContext.SSH_KNOWN_HOSTS);

  private final StatusSupport<MaasRegion, MaasRegionStatus> statuses;
  private final Services services;
  private final List<RegionPart> parts;
  private final boolean watchLabelledSecrets;

  public MaasRegionReconciler(Services services, List<RegionPart> parts) {
    this(services, parts, false);
  }

  public MaasRegionReconciler(Services services, List<RegionPart> parts, boolean watchLabelledSecrets) {
    this.watchLabelledSecrets = watchLabelledSecrets;
    this.services = services;
    this.parts = List.copyOf(parts);
    this.statuses = new StatusSupport<>(services.clock(), MaasRegionStatus.class, MaasRegionStatus::new);
  }

  @Override
  public List<EventSource<?, MaasRegion>> prepareEventSources(EventSourceContext<MaasRegion> context) {
    context.getPrimaryCache().addIndexer(BY_INTEGRATION, r -> r.getSpec() == null || r.getSpec().getVaultIntegrationRef() == null
        ? List.of() : List.of(r.getSpec().getVaultIntegrationRef().getName()));
    var integrations = InformerEventSourceConfiguration.from(VaultIntegration.class, MaasRegion.class)
        .withName("vault-integrations")
        // cluster-scoped: one cluster-wide informer, whatever namespaces the regions are watched in
        .withNamespaces(Set.of(io.javaoperatorsdk.operator.api.reconciler.Constants.WATCH_ALL_NAMESPACES))
        // the integration's status changes as each region gets configured: re-reconciling every
        // region on each of those would be N^2 work; only what regions depend on wakes them
        .withOnUpdateFilter(MaasRegionReconciler::integrationChangeMattersToRegions)
        .withSecondaryToPrimaryMapper(vi -> context.getPrimaryCache()
            .byIndex(BY_INTEGRATION, vi.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(java.util.stream.Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<MaasRegion>) r -> r.getSpec() == null || r.getSpec().getVaultIntegrationRef() == null
            ? Set.of() : Set.of(new ResourceID(r.getSpec().getVaultIntegrationRef().getName())))
        .build();
    return watchLabelledSecrets
        ? List.of(new InformerEventSource<>(integrations, context), certificateSecrets(context))
        : List.of(new InformerEventSource<>(integrations, context));
  }

  /** Labelled kubernetes.io/tls Secrets named by spec.tls.certificateSecretRef (see {@link #WATCH_LABEL}). */
  private static InformerEventSource<io.fabric8.kubernetes.api.model.Secret, MaasRegion> certificateSecrets(
      EventSourceContext<MaasRegion> context) {
    context.getPrimaryCache().addIndexer(BY_TLS_SECRET, r -> tlsSecretName(r)
        .map(n -> List.of(r.getMetadata().getNamespace() + "/" + n)).orElse(List.of()));
    var config = InformerEventSourceConfiguration.from(io.fabric8.kubernetes.api.model.Secret.class, MaasRegion.class)
        .withName("certificate-secrets")
        .withNamespacesInheritedFromController()
        .withLabelSelector(WATCH_LABEL + "=true")
        .withSecondaryToPrimaryMapper(s -> context.getPrimaryCache()
            .byIndex(BY_TLS_SECRET, s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(java.util.stream.Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<MaasRegion>) r -> tlsSecretName(r)
            .map(n -> Set.of(new ResourceID(n, r.getMetadata().getNamespace()))).orElse(Set.of()))
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static Optional<String> tlsSecretName(MaasRegion r) {
    return Optional.ofNullable(r.getSpec()).map(MaasRegionSpec::getTls)
        .map(io.maasops.security.api.v1alpha1.TlsSpec::getCertificateSecretRef)
        .map(io.maasops.security.api.v1alpha1.TlsSecretRef::getName);
  }

  @Override
  public UpdateControl<MaasRegion> reconcile(MaasRegion region, Context<MaasRegion> context) {
    Long previousGeneration = region.getStatus() == null ? null : region.getStatus().getObservedGeneration();
    MaasRegionStatus status = statuses.begin(region);
    List<String> problems = SpecValidator.validate(region.getSpec());
    if (!problems.isEmpty()) {
      return statuses.notReady(region, status, Reasons.INVALID_SPEC, Problems.join(problems), null, context);
    }
    Optional<VaultIntegration> vi = context.getSecondaryResource(VaultIntegration.class);
    if (vi.isEmpty()) {
      return statuses.notReady(region, status, Reasons.VAULT_INTEGRATION_NOT_FOUND,
          "VaultIntegration " + region.getSpec().getVaultIntegrationRef().getName() + " does not exist", null, context);
    }
    // the admin's integration decides whether this namespace may use it and where the region may
    // point the operator: refused before any Secret read, Vault call, command or connection
    var refused = io.maasops.security.tenancy.Tenancy.region(vi.get(), region.getMetadata().getNamespace(), region.getSpec());
    if (refused.isPresent()) {
      return statuses.notReady(region, status, refused.get().reason(), refused.get().message(), null, context);
    }
    var secrets = new RegionSecrets(new SecretValues(context.getClient()), region.getMetadata().getNamespace(),
        secretRefs(region.getSpec()));
    for (String field : ACCESS_REFS) {
      // without a way onto the controller no part can do anything; other Secrets are read when a part needs them
      var lookup = secrets.lookup(field);
      if (lookup.isPresent() && !lookup.get().found()) {
        return statuses.notReady(region, status, lookup.get().reason(), field + ": " + lookup.get().message(),
            services.retries().missingReference(), context);
      }
    }
    var ctx = new RegionContext(region, status, vi.get(), secrets, services, context.getClient(), previousGeneration);
    List<ConditionValue> conditions = new ArrayList<>();
    Duration requeue = null;
    for (RegionPart part : parts) {
      if (!part.appliesTo(ctx)) {
        part.conditionTypes().forEach(t -> status.setConditions(Conditions.remove(status.getConditions(), t)));
        continue;
      }
      PartResult result = part.reconcile(ctx);
      conditions.addAll(result.conditions());
      requeue = PartResult.sooner(requeue, result.requeueAfter());
    }
    if (status.getAppRole() != null && status.getAppRole().getStaleSecretIdAccessors() != null
        && !status.getAppRole().getStaleSecretIdAccessors().isEmpty()) {
      // secret-ids Vault could not destroy when asked (e.g. a rotation's old one): the AppRole part
      // retries them at every reconcile, so come back soon rather than at the next periodic check
      // (found by the reliability suite: a reset on that destroy left the old secret-id alive)
      requeue = PartResult.sooner(requeue, services.retries().floor());
    }
    conditions.add(conditions.isEmpty()
        ? ConditionValue.unknown(Conditions.READY, Reasons.NOT_IMPLEMENTED, "no region parts are enabled in this build")
        : Conditions.rollUp(conditions, "Secured", "Vault credentials, config files and certificate are as declared"));
    // informational, outside Ready: the admin allowed a plain-http MAAS API for this deployment
    var api = region.getSpec().getApi();
    if (api != null && api.getUrl() != null && api.getUrl().regionMatches(true, 0, "http://", 0, 7)) {
      conditions.add(ConditionValue.isTrue(VaultIntegrationReconciler.INSECURE_TRANSPORT, "PlainHttpAllowed",
          "the MAAS API is reached over plain http (VaultIntegration " + vi.get().getMetadata().getName()
              + " allows it: spec.tenancy.allowInsecureMaasApi): its API key travels in clear"));
    } else {
      status.setConditions(Conditions.remove(status.getConditions(), VaultIntegrationReconciler.INSECURE_TRANSPORT));
    }
    statuses.set(status, conditions.toArray(ConditionValue[]::new));
    // after a mid-reconcile write, diff against that write rather than the resource as received
    return statuses.finish(ctx.statusPersisted() ? ctx.latest() : region, status, requeue, context);
  }

  @Override
  public DeleteControl cleanup(MaasRegion region, Context<MaasRegion> context) {
    Optional<VaultIntegration> vi = context.getSecondaryResource(VaultIntegration.class);
    var secrets = new RegionSecrets(new SecretValues(context.getClient()), region.getMetadata().getNamespace(),
        region.getSpec() == null ? Map.of() : secretRefs(region.getSpec()));
    MaasRegionStatus status = statuses.begin(region);
    var ctx = new RegionContext(region, status, vi.orElse(null), secrets, services, context.getClient(),
        status.getObservedGeneration());
    try {
      for (RegionPart part : parts) {
        part.cleanup(ctx);
      }
    } catch (io.maasops.security.vault.VaultException e) {
      // Vault sealed or unreachable: keep the finalizer (the role would be left behind) and come back
      services.events().warning(region, "DeletionBlocked", "cannot remove AppRole " + Names.roleName(region)
          + " from Vault yet: " + e.getMessage() + "; retrying. To leave it in Vault instead, remove this resource's finalizer by hand");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(
          services.retries().since(region.getMetadata().getDeletionTimestamp(), services.clock().instant()));
    }
    services.maasClients().forget(ctx.key());
    return DeleteControl.defaultDelete();
  }

  /**
   * Whether an update of a VaultIntegration can change what its regions do: its spec (generation),
   * its Vault set-up conditions (ready, sealed, unreachable) or its annotations (a manual nudge).
   */
  static boolean integrationChangeMattersToRegions(VaultIntegration now, VaultIntegration before) {
    return !java.util.Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !java.util.Objects.equals(now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
        || !setupState(now).equals(setupState(before));
  }

  private static String setupState(VaultIntegration vi) {
    var conditions = vi.getStatus() == null ? null : vi.getStatus().getConditions();
    StringBuilder sb = new StringBuilder();
    for (String type : io.maasops.security.reconciler.integration.VaultSetup.TYPES) {
      Conditions.find(conditions, type).ifPresent(c -> sb.append(type).append('=').append(c.getStatus()).append('/').append(c.getReason()).append(';'));
    }
    return sb.toString();
  }

  /** Every Secret key the spec names, by the field that names it. */
  static Map<String, SecretKeyRef> secretRefs(MaasRegionSpec spec) {
    Map<String, SecretKeyRef> refs = new LinkedHashMap<>();
    if (spec.getAccess() != null && spec.getAccess().getSsh() != null) {
      refs.put(RegionContext.SSH_PRIVATE_KEY, spec.getAccess().getSsh().getPrivateKeySecretRef());
      refs.put(RegionContext.SSH_KNOWN_HOSTS, spec.getAccess().getSsh().getKnownHostsSecretRef());
    }
    if (spec.getApi() != null) {
      refs.put(RegionContext.API_KEY, spec.getApi().getApiKeySecretRef());
      if (spec.getApi().getCaSecretRef() != null) {
        refs.put(RegionContext.API_CA, spec.getApi().getCaSecretRef());
      }
    }
    if (spec.getTls() != null && spec.getTls().getCertificateSecretRef() != null) {
      var tls = spec.getTls().getCertificateSecretRef();
      var ref = new SecretKeyRef();
      ref.setName(tls.getName());
      ref.setKey(tls.getKey() == null ? "tls.crt" : tls.getKey());
      refs.put(RegionContext.TLS_CERTIFICATE, ref);
    }
    refs.values().removeIf(java.util.Objects::isNull);
    return refs;
  }

  @Override
  public ErrorStatusUpdateControl<MaasRegion> updateErrorStatus(MaasRegion region, Context<MaasRegion> context, Exception e) {
    return statuses.error(region, context, e);
  }
}
