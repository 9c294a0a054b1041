package io.maasops.security.controller;

import io.maasops.security.concern.RegionInputs;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.util.Optional;

/** The InsecureTransport conditions of a MaasRegion and of a VaultIntegration (informational, outside Ready). */
final class InsecureTransportCondition {

    private InsecureTransportCondition() {}

    /** Informational, outside Ready: the admin allowed a plain-http MAAS API for this deployment. */
    static Optional<ConditionValue> of(RegionInputs in) {
        var api = in.region().getSpec().getApi();
        if (api == null || api.getUrl() == null || !api.getUrl().regionMatches(true, 0, "http://", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(ConditionValue.isTrue(
                ConditionType.INSECURE_TRANSPORT.value(),
                Reason.PLAIN_HTTP_ALLOWED.value(),
                "the MAAS API is reached over plain http (VaultIntegration "
                        + in.integration().getMetadata().getName()
                        + " allows it: spec.tenancy.allowInsecureMaasApi): its API key travels in clear"));
    }

    /** The integration's: the admin allowed plain http to Vault (a lab, the sandbox), or https. */
    static ConditionValue of(io.maasops.security.api.v1alpha1.VaultIntegration vi) {
        return io.maasops.security.contract.VaultAddresses.plainHttpInUse(vi)
                .map(m -> ConditionValue.isTrue(
                        ConditionType.INSECURE_TRANSPORT.value(), Reason.PLAIN_HTTP_ALLOWED.value(), m))
                .orElse(ConditionValue.isFalse(
                        ConditionType.INSECURE_TRANSPORT.value(),
                        Reason.HTTPS.value(),
                        "the operator and the regions reach Vault over https"));
    }
}
