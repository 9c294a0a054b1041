package io.maasops.security.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.concern.Checkpoint;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.metrics.ResourceMetrics;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.KStatus;
import io.maasops.security.status.Reason;
import io.maasops.security.status.StatusUpdates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The only status writer (a test proves no other class writes status). A reconcile {@link #open}s a
 * {@link Session} on a copy of the status, may {@link Session#checkpoint} it mid-way (a fact that must
 * survive a crash: an issued secret-id's accessor, "migration running"), and {@link Session#finish}es
 * it. Both writes go through JOSDK's updateAndCacheResource, so the next reconcile starts from this
 * status even before the informer delivers the write; the session remembers the resource as last
 * written, so finish diffs against that and writes nothing when nothing changed.
 *
 * <p>kstatus: {@code observedGeneration} is set only by finish (a completed reconcile of that
 * generation, or a reported failure), never by a checkpoint; finish also derives Reconciling and
 * Stalled from Ready ({@link KStatus}).
 */
public final class StatusRecorder<R extends CustomResource<?, S>, S extends ResourceStatus> {

    private final Clock clock;
    private final Class<S> statusType;
    private final Supplier<S> empty;

    public StatusRecorder(Clock clock, Class<S> statusType, Supplier<S> empty) {
        this.clock = clock;
        this.statusType = statusType;
        this.empty = empty;
    }

    /** A session that writes through JOSDK's cache. */
    public Session open(R resource, Context<R> context) {
        ResourceMetrics metrics = ResourceMetrics.of(context);
        return new Session(resource, initial(resource), (r, s) -> patchStatus(r, s, context), metrics::statusWritten);
    }

    /** A session with another writer (tests record the writes). */
    public Session open(R resource, BiFunction<R, S, R> writer) {
        return new Session(resource, initial(resource), writer, (r, s) -> {});
    }

    private S initial(R resource) {
        S status = StatusUpdates.copy(resource.getStatus(), statusType);
        return status == null ? empty.get() : status;
    }

    /** One reconcile's status. */
    public final class Session implements Checkpoint {
        private final R received;
        private final S status;
        private final BiFunction<R, S, R> writer;
        /** Sees every status a reconcile ends with, written or unchanged (the per-resource metrics). */
        private final BiConsumer<R, S> finished;

        private final long generation;
        private R latest;

        private Session(R resource, S status, BiFunction<R, S, R> writer, BiConsumer<R, S> finished) {
            this.finished = finished;
            this.received = resource;
            this.latest = resource;
            this.status = status;
            this.writer = writer;
            this.generation = generation(resource);
        }

        /** The status being built (mutable). */
        public S status() {
            return status;
        }

        /** The status as the reconcile found it (null: none yet); {@link #status} is a copy being built. */
        public S before() {
            return received.getStatus();
        }

        /** observedGeneration as last written: the generation the last completed reconcile saw (null: none). */
        public Long previousGeneration() {
            return received.getStatus() == null ? null : received.getStatus().getObservedGeneration();
        }

        public void set(ConditionValue... values) {
            status.setConditions(
                    Conditions.setAll(status.getConditions(), List.of(values), generation, clock.instant()));
        }

        public void remove(String type) {
            status.setConditions(Conditions.remove(status.getConditions(), type));
        }

        /** Writes the status built so far now; observedGeneration stays as it was. Throws when the write fails. */
        @Override
        public void persist() {
            latest = writer.apply(latest, StatusUpdates.copy(status, statusType));
        }

        /** Ends the reconcile: observedGeneration, Reconciling/Stalled from Ready, one write if anything changed. */
        public UpdateControl<R> finish(Duration requeue) {
            status.setObservedGeneration(generation);
            Conditions.find(status.getConditions(), Conditions.READY)
                    .ifPresent(ready -> status.setConditions(KStatus.apply(
                            status.getConditions(),
                            new ConditionValue(
                                    ready.getType(), ready.getStatus(), ready.getReason(), ready.getMessage()),
                            generation,
                            clock.instant())));
            if (!StatusUpdates.sameJson(latest.getStatus(), status)) {
                latest = writer.apply(latest, StatusUpdates.copy(status, statusType));
            }
            finished.accept(latest, status);
            return requeue == null
                    ? UpdateControl.noUpdate()
                    : UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
        }

        /** Ready=False with one reason (the other conditions stay as last seen), then {@link #finish}. */
        public UpdateControl<R> notReady(String reason, String message, Duration requeue) {
            set(ConditionValue.isFalse(Conditions.READY, reason, message));
            return finish(requeue);
        }

        public UpdateControl<R> notReady(Reason reason, String message, Duration requeue) {
            return notReady(reason.value(), message, requeue);
        }

        /** The resource as last written (or as received). */
        public R latest() {
            return latest;
        }
    }

    /**
     * Ready=False with the error, on top of the status as the API server has it now: a reconcile may
     * have checkpointed (a pending secret-id accessor, "migration running") before it failed, and the
     * copy it started from would erase that. When even the read fails, nothing is written (an operator
     * stopped mid-reconcile must not lose a recorded accessor: docs/reliability.md).
     */
    public ErrorStatusUpdateControl<R> error(R resource, Context<R> context, Exception e) {
        R current;
        try {
            current = context.getClient().resource(resource).get();
        } catch (RuntimeException readFailed) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        if (current == null) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        Session session = open(current, (r, s) -> r);
        session.set(
                ConditionValue.isFalse(Conditions.READY, Reason.RECONCILE_ERROR.value(), ErrorMessages.describe(e)));
        S status = session.status();
        status.setObservedGeneration(session.generation);
        status.setConditions(KStatus.apply(
                status.getConditions(),
                ConditionValue.isFalse(
                        ConditionType.READY.value(), Reason.RECONCILE_ERROR.value(), ErrorMessages.describe(e)),
                session.generation,
                clock.instant()));
        R copy = Serialization.clone(current);
        copy.setStatus(status);
        ResourceMetrics.of(context).statusWritten(copy, status);
        return ErrorStatusUpdateControl.patchStatus(copy);
    }

    /**
     * One JSON patch that sets the whole status subresource, cached through JOSDK's
     * updateAndCacheResource like its own helpers (JOSDK's patchStatusAndCacheResource GETs and diffs
     * first: a few % of the operator's CPU per region in the benchmark). No precondition is needed: only
     * the operator's leader writes status, and JOSDK never runs two reconciles of one resource at once.
     */
    @SuppressWarnings("unchecked")
    private R patchStatus(R resource, S status, Context<R> context) {
        String patch = StatusUpdates.wholeStatusPatch(status);
        Class<R> type = (Class<R>) resource.getClass();
        return PrimaryUpdateAndCacheUtils.updateAndCacheResource(
                resource,
                context,
                r -> {
                    r.setStatus(status);
                    return r;
                },
                r -> resourceOf(context.getClient().resources(type), named(r))
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch));
    }

    /**
     * The resource's endpoint, namespaced or cluster-scoped (VaultIntegration), holding an object: fabric8's
     * patch with a string GETs the object first when the operation holds none (one GET per status write, 3 per
     * region while provisioning).
     */
    private static <T extends HasMetadata> Resource<T> resourceOf(MixedOperation<T, ?, Resource<T>> op, T r) {
        String ns = r.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? op.resource(r) : op.inNamespace(ns).resource(r);
    }

    /**
     * An object of {@code r}'s kind with only its name and namespace: fabric8's patch with a string deep-copies
     * the object the operation holds (through JSON) only to take the URL from it, and a whole MaasRegion made that
     * copy 6 % of the operator's CPU while provisioning (benchmark profile).
     */
    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T named(T r) {
        try {
            T named = (T) r.getClass().getDeclaredConstructor().newInstance();
            named.setMetadata(new ObjectMetaBuilder()
                    .withName(r.getMetadata().getName())
                    .withNamespace(r.getMetadata().getNamespace())
                    .build());
            return named;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(r.getClass() + " has no public no-argument constructor", e);
        }
    }

    static long generation(HasMetadata r) {
        return r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    }
}
