package io.maasops.security.rbac;

import java.util.Objects;

/**
 * One row of the role table: an OpenFGA relation of MAAS's model, the scope it is granted on, and
 * why the role needs it (the sentence the docs print).
 */
public record EntitlementRule(Scope scope, String entitlement, String justification) {

    public EntitlementRule {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(entitlement, "entitlement");
        Objects.requireNonNull(justification, "justification");
        boolean known = scope == Scope.MAAS_WIDE
                ? MaasModel.MAAS_RELATIONS.contains(entitlement)
                : MaasModel.POOL_RELATIONS.contains(entitlement);
        if (!known) {
            throw new IllegalArgumentException(entitlement + " is not a relation of MAAS's model on " + scope);
        }
    }
}
