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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.reconciler.integration.IntegrationCleanup;
import io.maasops.security.reconciler.integration.IntegrationVault;
import io.maasops.security.reconciler.integration.MigrationDecision;
import io.maasops.security.reconciler.integration.RegionSummary;
import io.maasops.security.reconciler.integration.SecretMigration;
import io.maasops.security.reconciler.integration.VaultSetup;
import io.maasops.security.reconciler.region.AppRolePart;
import io.maasops.security.reconciler.region.PartResult;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.validation.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * VaultIntegration: validates the spec and its Secret references, then hands over to the Vault
 * provisioning flow. Thin by design: the steps live in their own classes.
 */
@ControllerConfiguration(
    name = VaultIntegrationReconciler.NAME,
    // off so that the reconcile-requested-at annotation re-checks Vault at once; the filter still
    // ignores our own status writes
    generationAwareEventProcessing = false,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(onUpdateFilter = ReconcileRequestFilter.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class VaultIntegrationReconciler implements Reconciler<VaultIntegration>, Cleaner<VaultIntegration> {

  public static final String NAME = "vaultintegration";
  /** True when spec.vault.allowInsecureHttp lets a plain-http address be used (abnormal-true, not part of Ready). */
  public static final String INSECURE_TRANSPORT = "InsecureTransport";

  private final StatusSupport<VaultIntegration, VaultIntegrationStatus> statuses;

  private final Services services;
  private final VaultSetup vaultSetup;
  private final RegionSummary regionSummary;
  private final IntegrationCleanup cleanup;
  private final SecretMigration secretMigration;
  private final Set<String> regionNamespaces;

  /** @param regionNamespaces where MaasRegions are watched (the operator's watch namespaces); empty: all */
  public VaultIntegrationReconciler(Services services, Set<String> regionNamespaces) {
    this.services = services;
    this.regionNamespaces = Set.copyOf(regionNamespaces);
    this.vaultSetup = new VaultSetup(services.events(), services.retries());
    this.regionSummary = new RegionSummary(services);
    this.cleanup = new IntegrationCleanup(services);
    this.secretMigration = new SecretMigration(regionSummary, services.events(), services.retries());
    this.statuses = new StatusSupport<>(services.clock(), VaultIntegrationStatus.class, VaultIntegrationStatus::new);
  }

  @Override
  public List<EventSource<?, VaultIntegration>> prepareEventSources(EventSourceContext<VaultIntegration> context) {
    // a region appearing, changing or going away changes the integration's region summary
    var regionsConfig = InformerEventSourceConfiguration.from(MaasRegion.class, VaultIntegration.class)
        .withName("regions");
    // the integration is cluster-scoped (watched cluster-wide); its regions live in the watched namespaces
    var regions = (regionNamespaces.isEmpty() ? regionsConfig.withNamespaces(Set.of(io.javaoperatorsdk.operator.api.reconciler.Constants.WATCH_ALL_NAMESPACES))
        : regionsConfig.withNamespaces(regionNamespaces))
        // a region's status changes several times while it is provisioned; only what the summary,
        // the migration and the clean-up read wakes the integration
        .withOnUpdateFilter(VaultIntegrationReconciler::regionChangeMattersToIntegration)
        .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().getVaultIntegrationRef() == null
            ? Set.of()
            : Set.of(new ResourceID(r.getSpec().getVaultIntegrationRef().getName())))
        .build();
    return List.of(new InformerEventSource<>(regions, context));
  }

  /**
   * Whether a region's update changes what the integration reads of it (spec, deletion, Vault
   * conditions, role), or is a user's nudge (annotations, e.g. reconcile-requested-at: the
   * integration then asks MAAS again).
   */
  static boolean regionChangeMattersToIntegration(MaasRegion now, MaasRegion before) {
    return !java.util.Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !java.util.Objects.equals(now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
        || !java.util.Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !vaultState(now).equals(vaultState(before));
  }

  private static String vaultState(MaasRegion r) {
    if (r.getStatus() == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String type : List.of(AppRolePart.APPROLE_PROVISIONED, AppRolePart.VAULT_CONFIGURED)) {
      Conditions.find(r.getStatus().getConditions(), type)
          .ifPresent(c -> sb.append(type).append('=').append(c.getStatus()).append('/').append(c.getReason()).append(';'));
    }
    var appRole = r.getStatus().getAppRole();
    if (appRole != null) {
      sb.append(appRole.getRoleName()).append('/').append(appRole.getRoleId());
    }
    return sb.toString();
  }

  @Override
  public UpdateControl<VaultIntegration> reconcile(VaultIntegration vi, Context<VaultIntegration> context) {
    Long previousGeneration = vi.getStatus() == null ? null : vi.getStatus().getObservedGeneration();
    VaultIntegrationStatus status = statuses.begin(vi);
    List<String> problems = SpecValidator.validate(vi.getSpec());
    if (!problems.isEmpty()) {
      return statuses.notReady(vi, status, Reasons.INVALID_SPEC, Problems.join(problems), null, context);
    }
    var vault = IntegrationVault.gateway(vi, context.getClient(), services);
    if (!vault.found()) {
      return statuses.notReady(vi, status, vault.reason(), vault.message(), services.retries().missingReference(), context);
    }
    Instant now = services.clock().instant();
    boolean specChanged = previousGeneration == null || !previousGeneration.equals(vi.getMetadata().getGeneration());
    // regions the integration's tenancy refuses (namespace, SSH host, API URL, endpoint) are not
    // part of this deployment: neither counted, nor asked for MAAS's status, nor migrated, nor
    // cleaned up (each reports its own refusal)
    var regionResources = context.getSecondaryResources(MaasRegion.class).stream()
        .filter(r -> r.getSpec() != null
            && io.maasops.security.tenancy.Tenancy.region(vi, r.getMetadata().getNamespace(), r.getSpec()).isEmpty())
        .collect(java.util.stream.Collectors.toSet());
    boolean sawVaultTrouble = AppRolePart.sawVaultTrouble(regionResources) || MigrationDecision.failedOnVault(status.getMigration());
    VaultSetup.Result setup = VaultSetup.due(status, specChanged, sawVaultTrouble, now, ReconcileRequestFilter.requestedAt(vi))
        ? vaultSetup.run(vi, status, vault.gateway(), now)
        : VaultSetup.previous(status, now);
    List<ConditionValue> conditions = new ArrayList<>(setup.conditions());
    Duration requeue = setup.requeue();

    RegionSummary.Result regions = regionSummary.update(status, regionResources, context.getClient(), now,
        SecretMigration.wantsFreshRegionStatus(vi, status));
    conditions.add(regions.condition());
    requeue = PartResult.sooner(requeue, regions.requeue());
    services.metrics().gauge(OperatorMetrics.REGIONS_DECLARED, "MaasRegions referring to the integration",
        "", vi.getMetadata().getName(), status.getRegions().getDeclared());
    services.metrics().gauge(OperatorMetrics.REGIONS_CONFIGURED, "Regions configured for Vault",
        "", vi.getMetadata().getName(), status.getRegions().getConfigured());

    ConditionValue vaultProblem = setup.conditions().stream().filter(c -> !c.ok()).findFirst().orElse(null);
    // a mid-reconcile status write (phase Running) replaces the resource the final write diffs against
    VaultIntegration[] latest = {vi};
    SecretMigration.Result migration = secretMigration.run(vi, status, vaultProblem, regions, regionResources,
        vault.gateway(), context.getClient(), () -> latest[0] = statuses.write(latest[0], status, context), now);
    requeue = PartResult.sooner(requeue, migration.requeue());
    // SecretsMigrated counts for Ready only once a migration is requested (Automatic, or Manual and
    // approved): an integration nobody asked to migrate yet is fully usable, and reports
    // SecretsMigrated=False/AwaitingApproval without being "not Ready".
    List<ConditionValue> forReady = new ArrayList<>(conditions);
    if (migration.countsForReady()) {
      forReady.add(migration.condition());
    }
    conditions.add(migration.condition());
    // informational, outside Ready: the admin allowed plain http (a lab, the sandbox)
    conditions.add(IntegrationVault.plainHttpInUse(vi)
        .map(m -> ConditionValue.isTrue(INSECURE_TRANSPORT, "PlainHttpAllowed", m))
        .orElse(ConditionValue.isFalse(INSECURE_TRANSPORT, "Https", "the operator and the regions reach Vault over https")));
    conditions.add(Conditions.rollUp(forReady, "Integrated", migration.countsForReady()
        ? "Vault is set up, every region MAAS knows is configured and MAAS secrets are migrated"
        : "Vault is set up and every region MAAS knows is configured"));
    statuses.set(status, conditions.toArray(ConditionValue[]::new));
    return statuses.finish(latest[0], status, requeue, context);
  }

  @Override
  public DeleteControl cleanup(VaultIntegration vi, Context<VaultIntegration> context) {
    try {
      String done = cleanup.cleanup(vi, context.getSecondaryResources(MaasRegion.class), context.getClient());
      services.events().normal(vi, "Deleted", done);
      return DeleteControl.defaultDelete();
    } catch (io.maasops.security.vault.VaultException e) {
      services.events().warning(vi, "DeletionBlocked", "deletionPolicy Delete: " + e.getMessage() + "; retrying");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(services.retries().cap());
    }
  }

  @Override
  public ErrorStatusUpdateControl<VaultIntegration> updateErrorStatus(VaultIntegration vi, Context<VaultIntegration> context, Exception e) {
    return statuses.error(vi, context, e);
  }
}
