package io.maasops.security.contract;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a MaasRegion (its reconcile and its event filter) reads of its VaultIntegration: whether the
 * integration's Vault set-up is complete, and the spec and annotations it depends on.
 */
public final class IntegrationReadiness {

    /** The integration's Vault set-up conditions, in order. */
    public static final List<String> SETUP_TYPES = List.of(
            ConditionType.VAULT_REACHABLE.value(),
            ConditionType.VAULT_UNSEALED.value(),
            ConditionType.APPROLE_AUTH_READY.value(),
            ConditionType.SECRETS_MOUNT_READY.value(),
            ConditionType.POLICY_READY.value());

    private IntegrationReadiness() {}

    /**
     * Why a region cannot get a role yet (as the region's AppRoleProvisioned condition), empty when the
     * integration's set-up is complete. A sealed or unreachable Vault reads VaultSealed/VaultUnreachable.
     */
    public static Optional<ConditionValue> notReady(VaultIntegration vi) {
        var conditions = vi.getStatus() == null ? null : vi.getStatus().getConditions();
        for (String type : SETUP_TYPES) {
            Optional<Condition> c = Conditions.find(conditions, type);
            if (c.isEmpty() || !Conditions.TRUE.equals(c.get().getStatus())) {
                String detail = c.map(x -> type + " is " + x.getStatus() + ": " + x.getMessage())
                        .orElse(type + " not yet checked");
                String reason = c.map(Condition::getReason)
                        .map(r -> Reason.SEALED.value().equals(r)
                                ? Reason.VAULT_SEALED.value()
                                : Reason.UNREACHABLE.value().equals(r) ? Reason.VAULT_UNREACHABLE.value() : null)
                        .orElse(Reason.WAITING_FOR_VAULT_INTEGRATION.value());
                return Optional.of(ConditionValue.isFalse(
                        ConditionType.APPROLE_PROVISIONED.value(),
                        reason,
                        "VaultIntegration " + vi.getMetadata().getName() + " is not ready (" + detail + ")"));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether an update of a VaultIntegration can change what its regions do: its spec (generation),
     * its Vault set-up conditions (ready, sealed, unreachable) or its annotations (a manual nudge).
     */
    public static boolean changeMattersToRegions(VaultIntegration now, VaultIntegration before) {
        return !Objects.equals(
                        now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
                || !Objects.equals(
                        now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
                || !setupState(now).equals(setupState(before));
    }

    private static String setupState(VaultIntegration vi) {
        var conditions = vi.getStatus() == null ? null : vi.getStatus().getConditions();
        StringBuilder sb = new StringBuilder();
        for (String type : SETUP_TYPES) {
            Conditions.find(conditions, type)
                    .ifPresent(c -> sb.append(type)
                            .append('=')
                            .append(c.getStatus())
                            .append('/')
                            .append(c.getReason())
                            .append(';'));
        }
        return sb.toString();
    }
}
