package io.maasops.security.concern.approle;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The handler of {@link AppRolePhase#CONFIGURED} (a rotation is due) and {@link AppRolePhase#ROTATING}
 * (a newer secret-id was never confirmed, or the role-id changed): a configured region runs with its
 * secret-id, so a new one goes through every step (configure, restart, confirm) and the old one is
 * destroyed only after they all worked. Reports SecretIdRotation, outside Ready.
 */
final class Rotation {

    static final String EVENT_ROTATED = "SecretIdRotated";
    static final String EVENT_FAILED = "SecretIdRotationFailed";

    private Rotation() {}

    /**
     * @param restarted whether the region's services may have restarted (the restart step was reached)
     * @param rotated whether the new secret-id is confirmed and the old one destroyed
     */
    record Outcome(ConcernResult result, boolean restarted, boolean rotated) {}

    static Outcome run(
            RegionInputs in,
            AccessorLedger ledger,
            VaultIntegration vi,
            AppRoleStatus appRole,
            String why,
            ConditionValue provisioned,
            Duration period) {
        ConditionValue configured = AppRoleConditions.currentConfigured(in, appRole);
        Duration periodic = RotationSchedule.untilNext(appRole, period, in.now(), in.retries(), in.key());
        String failingSince = Conditions.find(in.status().getConditions(), AppRoleConditions.ROTATION)
                .filter(c -> Conditions.FALSE.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(null);
        SecretIdDelivery.Result d = SecretIdDelivery.deliver(in, ledger, vi, appRole.getRoleId(), true);
        // recorded once the attempt has an outcome (a failed request is retried by a new value): recorded before, the
        // checkpoints of this attempt stored the new request beside the previous attempt's failed condition, which
        // reads as "this request failed" while it is still under way
        String annotation = io.maasops.security.contract.Annotations.rotationRequest(in.region());
        if (annotation != null) {
            appRole.setRotationRequest(annotation);
        }
        List<Notice> notices = new ArrayList<>(d.notices());
        ConditionValue rotation;
        Duration requeue;
        if (d.ok()) {
            rotation = ConditionValue.isTrue(
                    AppRoleConditions.ROTATION,
                    Reason.ROTATED.value(),
                    "secret-id rotated (" + why + "): region " + in.hostname() + " uses accessor " + d.accessor()
                            + " since " + appRole.getRotatedAt());
            configured = AppRoleConditions.configured(in, d.accessor());
            notices.add(Notice.normal(
                    EVENT_ROTATED,
                    "region " + in.hostname() + " restarted with a new secret-id (accessor "
                            + d.accessor() + "); the previous one (accessor " + d.old() + ") "
                            + (d.old() != null && ledger.isStale(d.old())
                                    ? "could not be destroyed yet and is retried (status.appRole.staleSecretIdAccessors)"
                                    : "was destroyed")));
            requeue = RotationSchedule.untilNext(appRole, period, in.now(), in.retries(), in.key());
        } else {
            String message = "rotation (" + why + ") failed at step " + d.failedStep().label + ": " + d.message()
                    + "; the region keeps working credentials (accessor " + appRole.getSecretIdAccessor()
                    + " is not destroyed)";
            rotation = ConditionValue.isFalse(AppRoleConditions.ROTATION, Reason.ROTATION_FAILED.value(), message);
            notices.add(Notice.warning(EVENT_FAILED, message));
            requeue = ConcernResult.sooner(periodic, in.retries().since(failingSince, in.now()));
        }
        boolean restarted = d.ok()
                || d.failedStep() == SecretIdDelivery.Step.RESTART
                || d.failedStep() == SecretIdDelivery.Step.CONFIRM;
        return new Outcome(
                new ConcernResult(List.of(provisioned, configured), requeue, List.copyOf(notices))
                        .withInformational(rotation),
                restarted,
                d.ok());
    }
}
