package io.maasops.security.concern.approle;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.time.Duration;

/** The AppRole concern's conditions as they carry over from the last status. */
final class AppRoleConditions {

    static final String PROVISIONED = ConditionType.APPROLE_PROVISIONED.value();
    static final String CONFIGURED = ConditionType.VAULT_CONFIGURED.value();
    static final String ROTATION = ConditionType.SECRET_ID_ROTATION.value();

    private AppRoleConditions() {}

    /** A region stays configured while Vault is sealed: keep a True condition, otherwise wait. */
    static ConditionValue keepOrWait(RegionInputs in, String type, ConditionValue cause) {
        return Conditions.find(in.status().getConditions(), type)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                .map(AppRoleConditions::value)
                .orElse(ConditionValue.unknown(type, cause.reason(), "waiting: " + cause.message()));
    }

    /** VaultConfigured as last written when True, else True with the accessor in use. */
    static ConditionValue currentConfigured(RegionInputs in, AppRoleStatus appRole) {
        return Conditions.find(in.status().getConditions(), CONFIGURED)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                .map(AppRoleConditions::value)
                .orElse(configured(in, appRole.getSecretIdAccessor()));
    }

    static ConditionValue configured(RegionInputs in, String accessor) {
        return ConditionValue.isTrue(
                CONFIGURED,
                Reason.CONFIGURED.value(),
                "region " + in.hostname() + " uses secret-id accessor " + accessor);
    }

    /** The one backoff, from how long {@code type} has not been True. */
    static Duration backoff(RegionInputs in, String type) {
        return in.retries()
                .since(
                        Conditions.find(in.status().getConditions(), type)
                                .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
                                .map(Condition::getLastTransitionTime)
                                .orElse(null),
                        in.now());
    }

    static ConditionValue value(Condition c) {
        return new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }
}
