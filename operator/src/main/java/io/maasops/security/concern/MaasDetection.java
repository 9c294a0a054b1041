package io.maasops.security.concern;

import io.maasops.security.api.v1alpha1.DetectedMaas;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.regionhost.MaasPackaging;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** What the controller's package manager printed, as status.maas records it. Pure. */
public final class MaasDetection {

    private MaasDetection() {}

    /** Parses {@code printed} and records it in {@code status.maas}; version null when it names no MAAS version. */
    public static DetectedMaas record(MaasRegionStatus status, MaasPackaging packaging, String printed, Instant now) {
        DetectedMaas found = base(packaging, now);
        MaasVersions.Printed read = MaasVersions.lookup(printed, packaging);
        read.version().ifPresent(v -> {
            found.setVersion(v.toString());
            found.setSeries(v.series());
            found.setSupported(read.behaviour().isPresent());
        });
        status.setMaas(found);
        return found;
    }

    /** MAAS is not installed the way spec.installation says: recorded as unsupported, without a version. */
    public static DetectedMaas recordMismatch(MaasRegionStatus status, MaasPackaging packaging, Instant now) {
        DetectedMaas found = base(packaging, now);
        status.setMaas(found);
        return found;
    }

    private static DetectedMaas base(MaasPackaging packaging, Instant now) {
        DetectedMaas found = new DetectedMaas();
        found.setInstallation(packaging.name().toLowerCase(Locale.ROOT));
        found.setSupported(false);
        found.setCheckedAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return found;
    }
}
