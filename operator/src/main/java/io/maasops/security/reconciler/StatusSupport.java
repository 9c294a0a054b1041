package io.maasops.security.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.metrics.ResourceMetrics;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.StatusUpdates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The status bookkeeping every reconciler shares: start from a copy, set conditions, write if changed. */
final class StatusSupport<R extends CustomResource<?, S>, S extends ResourceStatus> {

  private final Clock clock;
  private final Class<S> statusType;
  private final Supplier<S> empty;

  StatusSupport(Clock clock, Class<S> statusType, Supplier<S> empty) {
    this.clock = clock;
    this.statusType = statusType;
    this.empty = empty;
  }

  /** A mutable copy of the resource's status (or a new one) with observedGeneration set. */
  S begin(R resource) {
    S status = StatusUpdates.copy(resource.getStatus(), statusType);
    if (status == null) {
      status = empty.get();
    }
    status.setObservedGeneration(generation(resource));
    return status;
  }

  void set(S status, ConditionValue... values) {
    status.setConditions(Conditions.setAll(status.getConditions(), List.of(values), status.getObservedGeneration(), clock.instant()));
  }

  /**
   * Writes the status if it changed, through JOSDK's patch-and-cache helper so the next reconcile
   * starts from this status even if the informer has not delivered the write yet (a stale status
   * would repeat an event or a Vault write).
   */
  UpdateControl<R> finish(R resource, S status, Duration requeue, Context<R> context) {
    if (!StatusUpdates.sameJson(resource.getStatus(), status)) {
      patchStatus(resource, status, context);
    }
    ResourceMetrics.of(context).statusWritten(resource, status);
    return requeue == null ? UpdateControl.noUpdate() : UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
  }

  /**
   * Writes the status now, mid-reconcile, for a fact that must survive a crash before the
   * reconcile ends (e.g. "migration running"); returns the resource as written, which the final
   * {@link #finish} must then diff against. Throws when the write fails.
   */
  R write(R resource, S status, Context<R> context) {
    return patchStatus(resource, status, context);
  }

  /**
   * One JSON patch that sets the whole status subresource, cached through JOSDK's
   * updateAndCacheResource like its own helpers. JOSDK's patchStatusAndCacheResource edits (GET,
   * diff, PATCH): the GET and the diff were a few % of the operator's CPU per region in the benchmark.
   * No precondition is needed: only the operator (its leader) writes status, and JOSDK never runs two
   * reconciles of one resource at once.
   */
  @SuppressWarnings("unchecked")
  private R patchStatus(R resource, S status, Context<R> context) {
    S copy = StatusUpdates.copy(status, statusType);
    String patch = StatusUpdates.wholeStatusPatch(copy);
    Class<R> type = (Class<R>) resource.getClass();
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(resource, context, r -> {
      r.setStatus(copy);
      return r;
    }, r -> resourceOf(context.getClient().resources(type), r).subresource("status").patch(PatchContext.of(PatchType.JSON), patch));
  }

  /** The resource's endpoint, namespaced or cluster-scoped (VaultIntegration). */
  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> io.fabric8.kubernetes.client.dsl.Resource<T> resourceOf(
      io.fabric8.kubernetes.client.dsl.MixedOperation<T, ?, io.fabric8.kubernetes.client.dsl.Resource<T>> op, T r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? op.withName(r.getMetadata().getName()) : op.inNamespace(ns).withName(r.getMetadata().getName());
  }

  /** Ready=False with one reason; the other conditions stay as last seen. */
  UpdateControl<R> notReady(R resource, S status, String reason, String message, Duration requeue, Context<R> context) {
    set(status, ConditionValue.isFalse(Conditions.READY, reason, message));
    return finish(resource, status, requeue, context);
  }

  /**
   * Ready=False with the error, on top of the status as the API server has it now: a reconcile may
   * have written status mid-way (a pending secret-id accessor, "migration running") before it
   * failed, and the copy it started from would erase that. When even the read fails, nothing is
   * written (found by the reliability suite: an operator stopped mid-reconcile lost a recorded accessor).
   */
  ErrorStatusUpdateControl<R> error(R resource, Context<R> context, Exception e) {
    R current;
    try {
      current = context.getClient().resource(resource).get();
    } catch (RuntimeException readFailed) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (current == null) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    S status = begin(current);
    set(status, ConditionValue.isFalse(Conditions.READY, Reasons.RECONCILE_ERROR, ErrorMessages.describe(e)));
    R copy = Serialization.clone(current);
    copy.setStatus(status);
    ResourceMetrics.of(context).statusWritten(copy, status);
    return ErrorStatusUpdateControl.patchStatus(copy);
  }

  Clock clock() {
    return clock;
  }

  static long generation(CustomResource<?, ?> r) {
    return r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
  }
}
