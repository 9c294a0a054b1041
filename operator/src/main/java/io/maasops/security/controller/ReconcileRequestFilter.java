package io.maasops.security.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.contract.Annotations;
import java.util.Objects;

/**
 * Which updates of a primary resource start a reconcile when generation-aware processing is off:
 * a spec change (generation), a deletion, a finalizer change, or a new value of the
 * {@value #ANNOTATION} annotation ({@code kubectl annotate --overwrite rolebinding NAME security.maasops.io/reconcile-requested-at="$(date +%s)"}
 * asks for an immediate re-check, e.g. after fixing MAAS by hand), or of
 * {@link ApiGroup#ROTATE_SECRET_ID_ANNOTATION} (a MaasRegion's secret-id rotation request). Our own status writes do not.
 */
public class ReconcileRequestFilter implements OnUpdateFilter<HasMetadata> {

    public static final String ANNOTATION = Annotations.RECONCILE_REQUESTED_AT;

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
                || !Objects.equals(Annotations.requestedAt(updated), Annotations.requestedAt(old))
                || !Objects.equals(Annotations.rotationRequest(updated), Annotations.rotationRequest(old));
    }
}
