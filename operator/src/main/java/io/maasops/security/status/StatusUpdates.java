package io.maasops.security.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Objects;

/** Writes a status only when it differs from the one the resource already has. */
public final class StatusUpdates {

  private StatusUpdates() {}

  /**
   * @param primary the resource as received (never mutated)
   * @param status the status the reconcile computed
   * @param requeue when to look again, or null for the controller's maximum interval
   */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R primary, S status, Duration requeue) {
    UpdateControl<R> control;
    if (sameJson(primary.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      R copy = Serialization.clone(primary);
      copy.setStatus(status);
      control = UpdateControl.patchStatus(copy);
    }
    return requeue == null ? control : control.rescheduleAfter(requeue);
  }

  public static boolean sameJson(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(Serialization.jsonMapper().valueToTree(a), Serialization.jsonMapper().valueToTree(b));
  }

  /** A deep copy of a status object (so a reconcile never mutates the cached resource). */
  @SuppressWarnings("unchecked")
  public static <S> S copy(S status, Class<S> type) {
    if (status == null) {
      return null;
    }
    return Serialization.jsonMapper().convertValue(status, type);
  }
}
