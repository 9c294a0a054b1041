package io.maasops.security.controller;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.migration.MigrationDecision;
import io.maasops.security.concern.migration.SecretMigration;
import io.maasops.security.concern.regions.RegionSummary;
import io.maasops.security.concern.vaultsetup.IntegrationCleanup;
import io.maasops.security.concern.vaultsetup.VaultSetup;
import io.maasops.security.contract.Annotations;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.contract.RegionReadiness;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.VaultPort;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.DeploymentMaasApi;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.validation.SpecValidator;
import io.maasops.security.vault.VaultException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * VaultIntegration: validates the spec and its Secret references, then runs its concerns in order:
 * Vault set-up ({@link VaultSetup}), the regions' summary ({@link RegionSummary}), the secret
 * migration ({@link SecretMigration}); writes one status.
 */
@ControllerConfiguration(
        name = VaultIntegrationController.NAME,
        // off so that the reconcile-requested-at annotation re-checks Vault at once; the filter still
        // ignores our own status writes
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = ReconcileRequestFilter.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class VaultIntegrationController implements Reconciler<VaultIntegration>, Cleaner<VaultIntegration> {

    public static final String NAME = "vaultintegration";
    /** True when spec.vault.allowInsecureHttp lets a plain-http address be used (abnormal-true, not part of Ready). */
    public static final String INSECURE_TRANSPORT = ConditionType.INSECURE_TRANSPORT.value();

    private final StatusRecorder<VaultIntegration, VaultIntegrationStatus> recorder;
    private final PortFactory ports;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final RetryDelays retries;
    private final VaultSetup vaultSetup;
    private final RegionSummary regionSummary;
    private final IntegrationCleanup cleanup;
    private final SecretMigration secretMigration;
    private final IntegrationPosture posture;
    private final SharedRegions regions;

    /** @param regions the MaasRegion informer shared with the region controller, and where it watches */
    public VaultIntegrationController(
            PortFactory ports, OperatorMetrics metrics, Clock clock, RetryDelays retries, SharedRegions regions) {
        this.regions = regions;
        this.retries = retries;
        this.vaultSetup = new VaultSetup(retries);
        this.ports = ports;
        this.metrics = metrics;
        this.clock = clock;
        this.regionSummary = new RegionSummary(ports, retries);
        this.cleanup = new IntegrationCleanup(ports);
        this.secretMigration = new SecretMigration(ports, retries);
        this.posture = new IntegrationPosture(ports);
        this.recorder = new StatusRecorder<>(clock, VaultIntegrationStatus.class, VaultIntegrationStatus::new);
    }

    @Override
    public List<EventSource<?, VaultIntegration>> prepareEventSources(EventSourceContext<VaultIntegration> context) {
        return EventSources.forIntegrations(context, regions);
    }

    @Override
    public UpdateControl<VaultIntegration> reconcile(VaultIntegration vi, Context<VaultIntegration> context) {
        return reconcile(
                recorder.open(vi, context),
                context.getSecondaryResources(MaasRegion.class),
                IntegrationBindings.all(context));
    }

    /**
     * One reconcile on an open status session; {@code regions} the MaasRegions that refer to it, as the
     * cache has them; {@code bindings} the RoleBindings of the watched namespaces (those on its regions count).
     */
    public UpdateControl<VaultIntegration> reconcile(
            StatusRecorder<VaultIntegration, VaultIntegrationStatus>.Session session,
            Collection<MaasRegion> regions,
            Collection<RoleBinding> bindings) {
        VaultIntegration vi = session.latest();
        List<String> problems = SpecValidator.validate(vi.getSpec());
        if (!problems.isEmpty()) {
            return session.notReady(Reason.INVALID_SPEC, ErrorMessages.join(problems), null);
        }
        var vault = ports.vault(vi);
        if (!vault.found()) {
            return session.notReady(vault.reason(), vault.message(), retries.missingReference());
        }
        // regions the integration's tenancy refuses (namespace, SSH host, API URL, endpoint) are not
        // part of this deployment: neither counted, nor asked for MAAS's status, nor migrated, nor
        // cleaned up (each reports its own refusal)
        Set<MaasRegion> allowed = regions.stream()
                .filter(r -> r.getSpec() != null
                        && Tenancy.region(vi, r.getMetadata().getNamespace(), r.getSpec())
                                .isEmpty())
                .collect(Collectors.toSet());
        return run(session, vi, vault.vault(), allowed, IntegrationBindings.on(allowed, bindings));
    }

    private UpdateControl<VaultIntegration> run(
            StatusRecorder<VaultIntegration, VaultIntegrationStatus>.Session session,
            VaultIntegration vi,
            VaultPort vault,
            Set<MaasRegion> regions,
            List<RoleBinding> bindings) {
        VaultIntegrationStatus status = session.status();
        Instant now = clock.instant();
        Long previousGeneration = session.previousGeneration();
        boolean specChanged = previousGeneration == null
                || !previousGeneration.equals(vi.getMetadata().getGeneration());
        boolean sawVaultTrouble =
                RegionReadiness.sawVaultTrouble(regions) || MigrationDecision.failedOnVault(status.getMigration());
        // a new reconcile-requested-at also asks MAAS again (e.g. after `maas config-vault migrate` by hand)
        boolean checkRequested = !java.util.Objects.equals(
                Annotations.requestedAt(vi),
                status.getVault() == null ? null : status.getVault().getCheckRequest());
        VaultSetup.Result setup = VaultSetup.due(status, specChanged, sawVaultTrouble, now, Annotations.requestedAt(vi))
                ? vaultSetup.run(vi, status, vault, now)
                : VaultSetup.previous(status, now);
        List<ConditionValue> conditions = new ArrayList<>(setup.conditions());
        Duration requeue = setup.requeue();
        RegionSummary.Result summary = regionSummary.update(
                status, regions, now, checkRequested || SecretMigration.wantsFreshRegionStatus(vi, status));
        conditions.add(summary.condition());
        requeue = ConcernResult.sooner(requeue, summary.requeue());
        IntegrationGauges.regions(metrics, vi, status);
        ConditionValue vaultProblem =
                setup.conditions().stream().filter(c -> !c.ok()).findFirst().orElse(null);
        SecretMigration.Result migration = secretMigration.run(
                vi,
                status,
                vaultProblem,
                summary.condition(),
                regions,
                vault,
                session,
                now,
                summary.maasStatus() != null && summary.maasStatus().enabled());
        requeue = ConcernResult.sooner(requeue, migration.requeue());
        // SecretsMigrated counts for Ready only once a migration is requested (Automatic, or Manual and
        // approved): an integration nobody asked to migrate yet is fully usable, and reports
        // SecretsMigrated=False/AwaitingApproval without being "not Ready".
        List<ConditionValue> forReady = new ArrayList<>(conditions);
        if (migration.countsForReady()) {
            forReady.add(migration.condition());
        }
        conditions.add(migration.condition());
        conditions.add(InsecureTransportCondition.of(vi));
        conditions.add(ready(forReady, migration.countsForReady()));
        session.set(conditions.toArray(ConditionValue[]::new));
        requeue = ConcernResult.sooner(
                requeue, posture.apply(session, vi, regions, bindings, now, checkRequested || specChanged));
        return finish(session, vi, requeue);
    }

    private static ConditionValue ready(List<ConditionValue> forReady, boolean withMigration) {
        return Conditions.rollUp(
                forReady,
                Reason.INTEGRATED.value(),
                withMigration
                        ? "Vault is set up, every region MAAS knows is configured and MAAS secrets are migrated"
                        : "Vault is set up and every region MAAS knows is configured");
    }

    /** Writes the status, then emits the Events its changes stand for. */
    private UpdateControl<VaultIntegration> finish(
            StatusRecorder<VaultIntegration, VaultIntegrationStatus>.Session session,
            VaultIntegration vi,
            Duration requeue) {
        UpdateControl<VaultIntegration> done = session.finish(requeue);
        Notices.record(ports.events(), vi, StatusTransitions.ofIntegration(session.before(), session.status()));
        return done;
    }

    @Override
    public DeleteControl cleanup(VaultIntegration vi, Context<VaultIntegration> context) {
        return cleanup(vi, context.getSecondaryResources(MaasRegion.class));
    }

    public DeleteControl cleanup(VaultIntegration vi, Collection<MaasRegion> regions) {
        try {
            String done = cleanup.cleanup(vi, regions);
            ports.events().normal(vi, "Deleted", posture.removed(vi, done));
            // whatever the deletionPolicy: no Vault login and no MAAS key is kept for an integration that is gone
            ports.forgetVault(vi.getMetadata().getName());
            ports.forgetMaasApi(
                    DeploymentMaasApi.CLIENT_KEY_PREFIX + vi.getMetadata().getName());
            return DeleteControl.defaultDelete();
        } catch (VaultException e) {
            ports.events().warning(vi, "DeletionBlocked", "deletionPolicy Delete: " + e.getMessage() + "; retrying");
            return DeleteControl.noFinalizerRemoval()
                    .rescheduleAfter(retries.since(vi.getMetadata().getDeletionTimestamp(), clock.instant()));
        }
    }

    @Override
    public ErrorStatusUpdateControl<VaultIntegration> updateErrorStatus(
            VaultIntegration vi, Context<VaultIntegration> context, Exception e) {
        return recorder.error(vi, context, e);
    }

    /** For the fast tests: sessions with another writer. */
    public StatusRecorder<VaultIntegration, VaultIntegrationStatus> recorder() {
        return recorder;
    }
}
