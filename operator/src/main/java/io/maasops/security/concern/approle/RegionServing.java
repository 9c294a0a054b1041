package io.maasops.security.concern.approle;

import io.maasops.security.concern.RegionInputs;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.tls.CertificateReadException;
import java.util.List;
import java.util.Optional;

/**
 * Whether a region that restarted its MAAS services serves again, from what the host and MAAS can tell: the
 * Vault consumers the restart touched run ({@code systemctl is-active} on deb; on snap only the one snap service,
 * {@code snap services maas}), MAAS's CLI answers ({@code maas config-vault status}: Django settings load, which
 * after the first start following migrate logs in to Vault with regiond.conf's secret-id), and, where spec.api is
 * set, MAAS's API answers an authenticated GET. Before migration nothing here proves MAAS can log in with the new
 * secret-id (README, "Secret-id rotation").
 */
final class RegionServing {

    private RegionServing() {}

    /** What of the restarted services does not run ({@code systemctl is-active}/{@code snap services}); empty when all run. */
    static Optional<String> consumersDown(RegionInputs in) {
        var behaviour = in.behaviour();
        if (behaviour.isEmpty()) {
            return Optional.of("the MAAS on " + in.hostname() + " is not supported, so its services are not known");
        }
        List<String> down = in.shell().inactiveServices(behaviour.get().vaultConsumers());
        return down.isEmpty()
                ? Optional.empty()
                : Optional.of("not running on " + in.hostname() + ": " + String.join(", ", down));
    }

    /** Empty when the region serves; else what does not answer. */
    static Optional<String> notServing(RegionInputs in) {
        try {
            var status = in.shell().vaultStatus();
            if (status.unconfiguredRegions().contains(in.hostname())) {
                return Optional.of("MAAS lists " + in.hostname() + " as unconfigured");
            }
            Optional<String> down = consumersDown(in);
            if (down.isPresent()) {
                return down;
            }
        } catch (MaasCliException | RegionAccessException e) {
            return Optional.of(e.getMessage());
        }
        return apiDown(in);
    }

    /** Empty when spec.api is not set or MAAS's API answers an authenticated GET (users/?op=whoami). */
    static Optional<String> apiDown(RegionInputs in) {
        try {
            var api = in.maasApi();
            if (api.isPresent()) {
                api.get().whoami();
            }
            return Optional.empty();
        } catch (MaasApiException | CertificateReadException e) {
            return Optional.of("its MAAS API does not answer: " + e.getMessage());
        }
    }
}
