package io.maasops.security.concern.approle;

import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Reasons;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.status.ConditionValue;
import java.util.List;
import java.util.Optional;

/** Whether a region can be reached at all before anything is issued for it (nothing is spent on a host that is down). */
final class RegionReachability {

    private RegionReachability() {}

    /**
     * A read-only `maas config-vault status` on the region, unless the region already answered a command in this
     * reconcile: empty when the region can be reached.
     */
    static Optional<ConcernResult> unreachable(RegionInputs in) {
        if (in.hostAnswered()) {
            return Optional.empty();
        }
        try {
            in.shell().vaultStatus();
            return Optional.empty();
        } catch (MaasCliException e) {
            return Optional.empty(); // reached; MAAS's own answer is for configure to report
        } catch (RegionAccessException e) {
            if (e.kind() == RegionAccessException.Kind.SUDO_REFUSED || e.kind() == RegionAccessException.Kind.TIMEOUT) {
                return Optional.empty(); // the host answered: configure reports it as before
            }
            ConditionValue c = ConditionValue.isFalse(
                    AppRoleConditions.CONFIGURED, Reasons.of(e).value(), e.getMessage());
            return Optional.of(new ConcernResult(
                    List.of(
                            ConditionValue.unknown(
                                    AppRoleConditions.PROVISIONED,
                                    c.reason(),
                                    "waiting for the region: " + c.message()),
                            c),
                    AppRoleConditions.backoff(in, AppRoleConditions.CONFIGURED),
                    List.of(Notice.warning(FirstConfiguration.EVENT_CONFIGURE_FAILED, e.getMessage()))));
        }
    }
}
