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
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionConcern;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.concern.RegionSecrets;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.contract.Names;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.PortFactory;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.validation.SpecValidator;
import io.maasops.security.vault.VaultException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * MaasRegion: validates the spec, finds its VaultIntegration and the Secrets it names, then runs the
 * region's concerns in order (AppRole, config files, certificate) and writes one status.
 */
@ControllerConfiguration(
        name = MaasRegionController.NAME,
        // Off so that the rotate-secret-id annotation starts a rotation at once; the filter still
        // ignores our own status writes.
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = ReconcileRequestFilter.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class MaasRegionController implements Reconciler<MaasRegion>, Cleaner<MaasRegion> {

    public static final String NAME = "maasregion";

    private final StatusRecorder<MaasRegion, MaasRegionStatus> recorder;
    private final PortFactory ports;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final RetryDelays retries;
    private final List<RegionConcern> concerns;
    private final boolean watchLabelledSecrets;
    private final SharedRegions shared;

    public MaasRegionController(
            PortFactory ports,
            OperatorMetrics metrics,
            Clock clock,
            RetryDelays retries,
            List<RegionConcern> concerns,
            boolean watchLabelledSecrets,
            SharedRegions shared) {
        this.shared = shared;
        this.retries = retries;
        this.ports = ports;
        this.metrics = metrics;
        this.clock = clock;
        this.concerns = List.copyOf(concerns);
        this.watchLabelledSecrets = watchLabelledSecrets;
        this.recorder = new StatusRecorder<>(clock, MaasRegionStatus.class, MaasRegionStatus::new);
    }

    @Override
    public List<EventSource<?, MaasRegion>> prepareEventSources(EventSourceContext<MaasRegion> context) {
        return EventSources.forRegions(context, watchLabelledSecrets, shared);
    }

    @Override
    public UpdateControl<MaasRegion> reconcile(MaasRegion region, Context<MaasRegion> context) {
        var cache = context.getPrimaryCache();
        return reconcile(
                recorder.open(region, context),
                context.getSecondaryResource(VaultIntegration.class),
                () -> cache.byIndex(
                        EventSources.BY_INTEGRATION,
                        region.getSpec().getVaultIntegrationRef().getName()));
    }

    /** One reconcile on an open status session; {@code vi} the region's integration as the cache has it. */
    public UpdateControl<MaasRegion> reconcile(
            StatusRecorder<MaasRegion, MaasRegionStatus>.Session session, Optional<VaultIntegration> vi) {
        return reconcile(session, vi, List::of);
    }

    /** {@code peers}: the MaasRegions of the same integration, as the cache has them (the rolling rotation reads them). */
    public UpdateControl<MaasRegion> reconcile(
            StatusRecorder<MaasRegion, MaasRegionStatus>.Session session,
            Optional<VaultIntegration> vi,
            java.util.function.Supplier<List<MaasRegion>> peers) {
        MaasRegion region = session.latest();
        List<String> problems = SpecValidator.validate(region.getSpec());
        if (!problems.isEmpty()) {
            return session.notReady(Reason.INVALID_SPEC, ErrorMessages.join(problems), null);
        }
        if (vi.isEmpty()) {
            return session.notReady(
                    Reason.VAULT_INTEGRATION_NOT_FOUND,
                    "VaultIntegration "
                            + region.getSpec().getVaultIntegrationRef().getName() + " does not exist",
                    null);
        }
        // the admin's integration decides whether this namespace may use it and where the region may
        // point the operator: refused before any Secret read, Vault call, command or connection
        var refused = Tenancy.region(vi.get(), region.getMetadata().getNamespace(), region.getSpec());
        if (refused.isPresent()) {
            return session.notReady(refused.get().reason(), refused.get().message(), null);
        }
        var secrets = new RegionSecrets(
                ports.secrets(), region.getMetadata().getNamespace(), RegionSecrets.refs(region.getSpec()));
        for (String field : RegionSecrets.checkedUpFront(session.previousGeneration(), region)) {
            var lookup = secrets.lookup(field);
            if (lookup.isPresent() && !lookup.get().found()) {
                return session.notReady(
                        lookup.get().reason(), field + ": " + lookup.get().message(), retries.missingReference());
            }
        }
        var in = new RegionInputs(
                region,
                session.status(),
                vi.get(),
                secrets,
                ports,
                metrics,
                clock,
                session.previousGeneration(),
                session,
                retries);
        in.withPeers(peers);
        return runConcerns(session, in);
    }

    private UpdateControl<MaasRegion> runConcerns(
            StatusRecorder<MaasRegion, MaasRegionStatus>.Session session, RegionInputs in) {
        List<ConditionValue> conditions = new ArrayList<>();
        List<ConditionValue> informational = new ArrayList<>();
        Duration requeue = null;
        for (RegionConcern concern : concerns) {
            if (!concern.appliesTo(in)) {
                concern.conditionTypes().forEach(session::remove);
                continue;
            }
            ConcernResult result = concern.reconcile(in);
            record(in.region(), result.notices());
            conditions.addAll(result.conditions());
            informational.addAll(result.informational());
            requeue = ConcernResult.sooner(requeue, result.requeueAfter());
        }
        conditions.add(
                conditions.isEmpty()
                        ? ConditionValue.unknown(
                                Conditions.READY,
                                Reason.NOT_IMPLEMENTED.value(),
                                "no region concerns are enabled in this build")
                        : Conditions.rollUp(
                                conditions,
                                Reason.SECURED.value(),
                                "Vault credentials, config files and certificate are as declared"));
        conditions.addAll(informational);
        InsecureTransportCondition.of(in)
                .ifPresentOrElse(conditions::add, () -> session.remove(ConditionType.INSECURE_TRANSPORT.value()));
        session.set(conditions.toArray(ConditionValue[]::new));
        UpdateControl<MaasRegion> done = session.finish(requeue);
        record(in.region(), StatusTransitions.ofRegion(in.region(), session.before(), session.status()));
        return done;
    }

    @Override
    public DeleteControl cleanup(MaasRegion region, Context<MaasRegion> context) {
        return cleanup(region, context.getSecondaryResource(VaultIntegration.class));
    }

    public DeleteControl cleanup(MaasRegion region, Optional<VaultIntegration> vi) {
        var secrets = new RegionSecrets(
                ports.secrets(), region.getMetadata().getNamespace(), RegionSecrets.refs(region.getSpec()));
        MaasRegionStatus status = region.getStatus() == null
                ? new MaasRegionStatus()
                : io.maasops.security.status.StatusUpdates.copy(region.getStatus(), MaasRegionStatus.class);
        var in = new RegionInputs(
                region,
                status,
                vi.orElse(null),
                secrets,
                ports,
                metrics,
                clock,
                status.getObservedGeneration(),
                () -> {},
                retries);
        try {
            for (RegionConcern concern : concerns) {
                record(region, concern.cleanup(in));
            }
        } catch (VaultException e) {
            // Vault sealed or unreachable: keep the finalizer (the role would be left behind) and come back
            Duration wait = retries.since(region.getMetadata().getDeletionTimestamp(), clock.instant());
            ports.events()
                    .warning(
                            region,
                            "DeletionBlocked",
                            "cannot remove AppRole " + Names.roleName(region) + " from Vault yet: " + e.getMessage()
                                    + "; retrying. To leave it in Vault instead, remove this resource's finalizer by hand");
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait);
        }
        ports.forgetMaasApi(in.key());
        return DeleteControl.defaultDelete();
    }

    private void record(MaasRegion region, List<Notice> notices) {
        Notices.record(ports.events(), region, notices);
    }

    @Override
    public ErrorStatusUpdateControl<MaasRegion> updateErrorStatus(
            MaasRegion region, Context<MaasRegion> context, Exception e) {
        return recorder.error(region, context, e);
    }

    /** For the fast tests: a session on {@code region} with the given writer. */
    public StatusRecorder<MaasRegion, MaasRegionStatus> recorder() {
        return recorder;
    }
}
