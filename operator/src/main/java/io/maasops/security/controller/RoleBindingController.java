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
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.groups.GroupDeletion;
import io.maasops.security.concern.groups.GroupSync;
import io.maasops.security.concern.groups.GroupSyncResult;
import io.maasops.security.concern.groups.MaasConnection;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.PortFactory;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * RoleBinding: one MAAS 3.8 user group per binding, holding the subjects as members and the role's
 * entitlements over the bound pools ({@link io.maasops.security.rbac.RoleEntitlements}); the MAAS side
 * is {@link GroupSync}. Each reconcile re-reads the group and applies only the differences, so changes
 * made behind the operator's back are repaired.
 *
 * <p>Deletion: the finalizer deletes the group this binding created (and only that,
 * {@link GroupDeletion}). While MAAS is unreachable it retries with the one backoff and says so in a
 * Warning event. To give up and leave the group in MAAS, remove the finalizer by hand:
 * {@code kubectl patch rolebinding.security.maasops.io NAME --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'}.
 */
@ControllerConfiguration(
        name = RoleBindingController.NAME,
        // Off so that the reconcile-request annotation can trigger a re-check; the filter still ignores
        // our own status writes.
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = ReconcileRequestFilter.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class RoleBindingController implements Reconciler<RoleBinding>, Cleaner<RoleBinding> {

    public static final String NAME = "rolebinding";
    public static final String EVENT_DELETION_BLOCKED = "DeletionBlocked";

    private final StatusRecorder<RoleBinding, RoleBindingStatus> recorder;
    private final PortFactory ports;
    private final Clock clock;
    private final RetryDelays retries;
    private final SharedRegions regions;

    /** @param regions the MaasRegion controller's informer, shared (see {@link SharedRegions}) */
    public RoleBindingController(PortFactory ports, Clock clock, RetryDelays retries, SharedRegions regions) {
        this.regions = regions;
        this.ports = ports;
        this.clock = clock;
        this.retries = retries;
        this.recorder = new StatusRecorder<>(clock, RoleBindingStatus.class, RoleBindingStatus::new);
    }

    @Override
    public List<EventSource<?, RoleBinding>> prepareEventSources(EventSourceContext<RoleBinding> context) {
        return EventSources.forRoleBindings(context, regions);
    }

    @Override
    public UpdateControl<RoleBinding> reconcile(RoleBinding binding, Context<RoleBinding> context) {
        return reconcile(
                recorder.open(binding, context),
                () -> MaasConnection.connect(
                        binding,
                        context.getSecondaryResource(MaasRegion.class),
                        context.getSecondaryResource(VaultIntegration.class),
                        ports,
                        retries.missingReference()),
                groupName -> context.getPrimaryCache().byIndex(EventSources.BY_GROUP, groupName));
    }

    /**
     * One reconcile on an open status session.
     *
     * @param connect the binding's MAAS API, asked for only once the spec is valid
     * @param claimants the bindings (of any namespace) that declare a given MAAS group name
     */
    public UpdateControl<RoleBinding> reconcile(
            StatusRecorder<RoleBinding, RoleBindingStatus>.Session session,
            Supplier<MaasConnection> connect,
            Function<String, Collection<RoleBinding>> claimants) {
        RoleBinding binding = session.latest();
        List<String> problems = SpecValidator.validate(binding.getSpec());
        if (!problems.isEmpty()) {
            return session.notReady(Reason.INVALID_SPEC, ErrorMessages.join(problems), null);
        }
        MaasConnection conn = connect.get();
        if (!conn.connected()) {
            return session.notReady(conn.reason(), conn.message(), conn.recheck());
        }
        var refused = Tenancy.roleBinding(
                conn.integration(),
                binding.getMetadata().getNamespace(),
                binding.getSpec().getRole());
        if (refused.isPresent()) {
            return session.notReady(refused.get().reason(), refused.get().message(), null);
        }
        GroupSyncResult result = GroupSync.sync(
                binding,
                conn,
                () -> earlierClaim(binding, claimants.apply(GroupSync.groupName(binding)), conn.apiUrl()));
        result.section().applyTo(session.status());
        Notices.record(ports.events(), binding, result.notices());
        session.set(result.conditions().toArray(ConditionValue[]::new));
        return session.finish(result.requeue());
    }

    /**
     * Another binding that declares the same group on the same MAAS and came first (older, then by
     * namespace/name) wins while the group does not exist yet, so two bindings never both create it.
     */
    private Optional<String> earlierClaim(RoleBinding binding, Collection<RoleBinding> claimants, String apiUrl) {
        Comparator<RoleBinding> order = Comparator.comparing(RoleBindingController::created)
                .thenComparing(b ->
                        b.getMetadata().getNamespace() + "/" + b.getMetadata().getName());
        return claimants.stream()
                .filter(o -> !Objects.equals(
                        o.getMetadata().getUid(), binding.getMetadata().getUid()))
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
                .filter(o -> apiUrl.equals(EventSources.apiUrlOf(regions, o)))
                .filter(o -> order.compare(o, binding) < 0)
                .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .findFirst();
    }

    private static Instant created(RoleBinding b) {
        String ts = b.getMetadata().getCreationTimestamp();
        try {
            return ts == null ? Instant.MAX : Instant.parse(ts);
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    @Override
    public DeleteControl cleanup(RoleBinding binding, Context<RoleBinding> context) {
        if (binding.getSpec() == null) {
            return DeleteControl.defaultDelete();
        }
        return cleanup(
                binding,
                MaasConnection.connect(
                        binding,
                        context.getSecondaryResource(MaasRegion.class),
                        context.getSecondaryResource(VaultIntegration.class),
                        ports,
                        retries.missingReference()));
    }

    public DeleteControl cleanup(RoleBinding binding, MaasConnection conn) {
        GroupDeletion.Outcome outcome = GroupDeletion.delete(binding, conn);
        Notices.record(ports.events(), binding, outcome.notices());
        if (outcome.done()) {
            return DeleteControl.defaultDelete();
        }
        Duration wait = retries.since(binding.getMetadata().getDeletionTimestamp(), clock.instant());
        ports.events()
                .warning(
                        binding,
                        EVENT_DELETION_BLOCKED,
                        outcome.problem() + "; retrying in " + wait.toSeconds()
                                + "s. To leave the group in MAAS instead, remove this resource's finalizer by hand");
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
    }

    @Override
    public ErrorStatusUpdateControl<RoleBinding> updateErrorStatus(
            RoleBinding binding, Context<RoleBinding> context, Exception e) {
        return recorder.error(binding, context, e);
    }

    /** For the fast tests: sessions with another writer. */
    public StatusRecorder<RoleBinding, RoleBindingStatus> recorder() {
        return recorder;
    }
}
