package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Names;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * The handler of {@link AppRolePhase#NO_ROLE}, {@link AppRolePhase#ROLE_READY} and
 * {@link AppRolePhase#ISSUED_UNCONFIRMED}: the region has no working secret-id yet, so one is
 * delivered without a restart ({@link SecretIdDelivery}); on success the phase becomes CONFIGURED.
 */
final class FirstConfiguration {

    static final String EVENT_CONFIGURE_FAILED = "ConfigureFailed";

    private FirstConfiguration() {}

    static ConcernResult run(
            RegionInputs in,
            AccessorLedger ledger,
            VaultIntegration vi,
            AppRoleStatus appRole,
            String why,
            ConditionValue provisioned) {
        SecretIdDelivery.Result d = SecretIdDelivery.deliver(in, ledger, vi, appRole.getRoleId(), false);
        List<Notice> notices = new ArrayList<>(d.notices());
        ConditionValue configured;
        if (d.ok()) {
            configured = AppRoleConditions.configured(in, d.accessor());
            notices.add(Notice.normal(
                    d.old() == null ? "Provisioned" : "Reconfigured",
                    "region " + in.hostname() + " configured for Vault (" + why + "): role "
                            + Names.roleName(in.region()) + ", secret-id accessor " + d.accessor()));
        } else {
            configured = ConditionValue.isFalse(
                    AppRoleConditions.CONFIGURED, d.reason().value(), d.message());
            if (d.failedStep() == SecretIdDelivery.Step.CONFIGURE
                    && d.reason() != Reason.WRAPPING_TOKEN_USED_ELSEWHERE) {
                notices.add(Notice.warning(EVENT_CONFIGURE_FAILED, d.message()));
            }
        }
        return new ConcernResult(List.of(provisioned, configured), null, List.copyOf(notices))
                .withRequeueIfFailed(AppRoleConditions.backoff(in, AppRoleConditions.CONFIGURED));
    }
}
