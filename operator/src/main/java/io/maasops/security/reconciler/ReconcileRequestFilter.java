package io.maasops.security.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a primary resource start a reconcile when generation-aware processing is off:
 * a spec change (generation), a deletion, a finalizer change, or a new value of the
 * {@value #ANNOTATION} annotation ({@code kubectl annotate --overwrite rolebinding NAME security.maasops.io/reconcile-requested-at="$(date +%s)"}
 * asks for an immediate re-check, e.g. after fixing MAAS by hand), or of
 * {@link ApiGroup#ROTATE_SECRET_ID_ANNOTATION} (a MaasRegion's secret-id rotation request). Our own status writes do not.
 */
public class ReconcileRequestFilter implements OnUpdateFilter<HasMetadata> {

  public static final String ANNOTATION = "security.maasops.io/reconcile-requested-at";

  @Override
  public boolean accept(HasMetadata updated, HasMetadata old) {
    if (old == null) {
      return true;
    }
    var n = updated.getMetadata();
    var o = old.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || n.getDeletionTimestamp() != null
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || !Objects.equals(annotation(n.getAnnotations(), ANNOTATION), annotation(o.getAnnotations(), ANNOTATION))
        || !Objects.equals(annotation(n.getAnnotations(), ApiGroup.ROTATE_SECRET_ID_ANNOTATION),
            annotation(o.getAnnotations(), ApiGroup.ROTATE_SECRET_ID_ANNOTATION));
  }

  /** The current value of {@value #ANNOTATION} on {@code r} (null when absent). */
  public static String requestedAt(HasMetadata r) {
    return annotation(r.getMetadata().getAnnotations(), ANNOTATION);
  }

  private static String annotation(Map<String, String> annotations, String name) {
    return annotations == null ? null : annotations.get(name);
  }
}
