package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasBehaviour.Defect;
import io.maasops.security.maasversion.MaasVersion;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.port.RegionShell;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.util.RemoteText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The MAAS a migration runs against, read on the migrating region's shell right before it is needed (the package
 * manager, as {@code concern.maasinstall} reads it): the version decides what is verified and whether MAAS would
 * break after {@code migrate}, so it must be the version installed now, on the host that runs the command, not the
 * one recorded up to ten minutes ago (an admin who upgraded past a defect should not wait for the recheck). The
 * other regions' versions come from their status.maas (the operator has no reason to open their shells here): a
 * defect of the services every region runs (maas-openfga) is refused on any of them.
 *
 * @param version as the host's package manager reports it
 * @param behaviour {@link MaasVersions#lookup} of that version on the host's installation
 */
record MigrationMaas(MaasVersion version, MaasBehaviour behaviour) {

    /** MAAS defects after which the migrated MAAS does not work: the operator refuses to migrate. */
    static final List<String> REFUSED_DEFECTS = List.of("openfga-db-credentials");

    /** @throws MaasCliException when the host cannot say, or says a version the operator does not support */
    static MigrationMaas read(RegionShell cli) {
        MaasVersions.Printed read = MaasVersions.lookup(cli.installedVersion(), cli.packaging());
        MaasVersion v = read.version()
                .orElseThrow(() -> new MaasCliException(
                        "the MAAS version the host reports is not one the operator can read: "
                                + RemoteText.excerpt(read.text()),
                        0));
        MaasBehaviour b = read.behaviour()
                .orElseThrow(() -> new MaasCliException(
                        "MAAS " + v + " is not supported (3.3 to 3.8): the operator does not migrate it", 0));
        return new MigrationMaas(v, b);
    }

    /** The keys (below the secrets path) that every deployment of this version has once migrated. */
    List<String> keysAfterMigration() {
        return behaviour.keysAfterMigration();
    }

    /**
     * Why the operator will not migrate: a {@link #REFUSED_DEFECTS defect} of this version on {@code host}, or of
     * the version another region recorded in its status.maas. Empty when there is none.
     */
    Optional<String> refusal(String host, Collection<MaasRegion> regions) {
        List<String> found = new ArrayList<>();
        refused(version, Optional.of(behaviour)).forEach(d -> found.add(describe(d, version, host)));
        for (MaasRegion r : regions) {
            if (r.getSpec().getHostname().equals(host)
                    || r.getStatus() == null
                    || r.getStatus().getMaas() == null) {
                continue;
            }
            MaasVersions.Printed other =
                    MaasVersions.lookup(r.getStatus().getMaas().getVersion(), behaviour.installation());
            other.version()
                    .ifPresent(v -> refused(v, other.behaviour())
                            .forEach(d -> found.add(describe(d, v, r.getSpec().getHostname()))));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    private static List<Defect> refused(MaasVersion v, Optional<MaasBehaviour> behaviourOfV) {
        return behaviourOfV
                .map(b -> b.defectsOf(v).stream()
                        .filter(d -> REFUSED_DEFECTS.contains(d.id()))
                        .toList())
                .orElse(List.of());
    }

    private static String describe(Defect d, MaasVersion v, String host) {
        return "MAAS " + v + " on " + host + " has the known defect " + d.id() + " (MAAS " + d.from() + " to "
                + d.through() + "): " + d.description();
    }
}
