package io.maasops.security.maasversion;

import io.maasops.security.maasversion.MaasBehaviour.Defect;
import io.maasops.security.maasversion.MaasBehaviour.FilePolicy;
import io.maasops.security.maasversion.MaasBehaviour.RbacSupport;
import io.maasops.security.regionhost.MaasPackaging;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table of MAAS behaviour by series × installation, read from canonical/maas's branches 3.3 … 3.8
 * (docs/reference/maas-versions.md cites file and branch for every cell). Data, not branches in code: a new series
 * is a new row. Versions before 3.3 (and after the newest row, e.g. master/4.0, which dropped the deb packaging and
 * Canonical RBAC) are {@link #lookup unsupported}.
 */
public final class MaasVersions {
    private MaasVersions() {}

    /** The oldest series the operator supports. */
    public static final String OLDEST = "3.3";

    private static final String RPC_SHARED = "global/rpc-shared";
    private static final List<String> KEYS_33 = List.of(RPC_SHARED);
    /** 3.5+: start_up._create_cluster_certificate_if_necessary. */
    private static final List<String> KEYS_35 =
            List.of(RPC_SHARED, "global/maas-ca-certificate", "global/cluster-certificate");

    private static final List<String> UNITS_33 = List.of("maas-regiond");
    /** 3.5+: debian/maas-region-api.maas-apiserver.service, …maas-temporal-worker.service (User=maas). */
    private static final List<String> UNITS_35 = List.of("maas-apiserver", "maas-temporal-worker", "maas-regiond");
    /** 3.8: + debian/maas-region-api.maas-openfga.service. */
    private static final List<String> UNITS_38 =
            List.of("maas-openfga", "maas-apiserver", "maas-temporal-worker", "maas-regiond");
    /** 3.8 branch, src/maasopenfga/internal/migrations/00002_migrate_environments.go (master adds boot entities). */
    private static final List<String> USERS_SEED_38 =
            List.of("can_deploy_machines", "can_view_available_machines", "can_view_global_entities");

    /** One series: the columns of docs/reference/maas-versions.md. */
    private record Series(
            String series,
            List<String> debVaultUnits,
            int migrateRestartPolls,
            boolean migrateAtomic,
            List<String> keysAfterMigration,
            boolean groupsApi,
            RbacSupport rbac,
            List<String> usersSeed) {}

    private static final List<Series> SERIES = List.of(
            new Series("3.3", UNITS_33, 5, true, KEYS_33, false, RbacSupport.SUPPORTED, List.of()),
            new Series("3.4", UNITS_33, 5, true, KEYS_33, false, RbacSupport.SUPPORTED, List.of()),
            new Series("3.5", UNITS_35, 10, true, KEYS_35, false, RbacSupport.SUPPORTED, List.of()),
            new Series("3.6", UNITS_35, 10, true, KEYS_35, false, RbacSupport.SUPPORTED, List.of()),
            new Series("3.7", UNITS_35, 10, false, KEYS_35, false, RbacSupport.SUPPORTED, List.of()),
            new Series(
                    "3.8", UNITS_38, 10, false, KEYS_35, true, RbacSupport.DEPRECATED_OVERRIDES_GROUPS, USERS_SEED_38));

    /** What the service user of an installation is, and the file policy MAAS can live with there. */
    private record Install(
            MaasPackaging installation,
            String serviceUser,
            String secretRewriter,
            String regiondConfRewriter,
            String owner,
            String groupIfMissing) {}

    private static final List<Install> INSTALLS = List.of(
            // deb units: User=maas Group=maas; postinst chown maas:maas + 0640 (regiond.conf, rackd.conf, secret)
            new Install(
                    MaasPackaging.DEB,
                    "maas",
                    "maas-regiond at every start (start_up.py MAAS_SHARED_SECRET.set)",
                    "maas-regiond at its first start after migrate (start_up.migrate_db_credentials_if_necessary)",
                    "maas",
                    null),
            // snap: every service runs as root, which may chown to anyone; hosts usually have no maas group
            new Install(
                    MaasPackaging.SNAP,
                    "root",
                    "maas-regiond at every start (start_up.py MAAS_SHARED_SECRET.set)",
                    "maas-regiond at its first start after migrate (start_up.migrate_db_credentials_if_necessary)",
                    "root",
                    "root"));

    /** Known defects, by the first and last version they affect. */
    private static final List<Defect> DEFECTS = List.of(
            new Defect(
                    "openfga-db-credentials",
                    MaasVersion.of("3.8.0~alpha1"),
                    MaasVersion.of("3.8.0~beta6"),
                    "maas-openfga reads the database credentials only from regiond.conf, which migrate blanks:"
                            + " authorisation fails after migration (LP: #2166344; fixed upstream by canonical/maas"
                            + " PRs #618/#644, after 3.8.0~beta6)"),
            new Defect(
                    "migrate-not-atomic",
                    MaasVersion.of("3.7.0~alpha1"),
                    MaasVersion.of("3.8.99"),
                    "config-vault migrate moves secrets outside one transaction (commit da3bd10d0): a Vault"
                            + " failure midway leaves some secrets moved"),
            new Defect(
                    "rack-only-blocks-migrate",
                    MaasVersion.of("3.3.0~alpha1"),
                    MaasVersion.of("3.8.99"),
                    "rack-only controllers appear in config-vault's unconfigured list (no node-type filter) and"
                            + " block migrate"));

    /** Whether the operator supports this version at all (3.3 … 3.8). */
    public static boolean supported(MaasVersion version) {
        return series(version).isPresent();
    }

    private static Optional<Series> series(MaasVersion version) {
        return SERIES.stream().filter(s -> s.series().equals(version.series())).findFirst();
    }

    /** The behaviour of this version on this installation; empty when the version is not supported. */
    public static Optional<MaasBehaviour> lookup(MaasVersion version, MaasPackaging installation) {
        Optional<Series> s = series(version);
        Optional<Install> in =
                INSTALLS.stream().filter(i -> i.installation() == installation).findFirst();
        if (s.isEmpty() || in.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(build(s.get(), in.get()));
    }

    /**
     * What a version text printed by a host or answered by MAAS's API says: the version (empty when the text names
     * none; parsing never throws on remote text) and its behaviour on {@code installation} (empty when the text
     * names no version or an unsupported one). The one place that reads a printed version; each caller words its
     * own refusal from {@link Printed#version} and {@link Printed#behaviour}.
     */
    public static Printed lookup(String printed, MaasPackaging installation) {
        Optional<MaasVersion> version = MaasVersion.parse(printed);
        return new Printed(printed, version, version.flatMap(v -> lookup(v, installation)));
    }

    /** A printed version text, read: see {@link #lookup(String, MaasPackaging)}. */
    public record Printed(String text, Optional<MaasVersion> version, Optional<MaasBehaviour> behaviour) {}

    private static MaasBehaviour build(Series s, Install in) {
        MaasPackaging inst = in.installation();
        List<FilePolicy> files = List.of(
                new FilePolicy(
                        inst.regiondConf(), in.owner(), "maas", "0640", in.regiondConfRewriter(), in.groupIfMissing()),
                new FilePolicy(inst.rackdConf(), in.owner(), "maas", "0640", null, in.groupIfMissing()),
                new FilePolicy(
                        inst.sharedSecret(), in.owner(), "maas", "0640", in.secretRewriter(), in.groupIfMissing()));
        List<String> restart = new ArrayList<>();
        if (inst == MaasPackaging.DEB) {
            restart.addAll(List.of("systemctl", "restart"));
            restart.addAll(s.debVaultUnits());
        } else {
            restart.addAll(List.of("snap", "restart", "maas"));
        }
        List<Defect> defects = DEFECTS.stream()
                .filter(d -> d.from().series().equals(s.series())
                        || (d.from().compareTo(MaasVersion.of(s.series() + ".0~alpha1")) <= 0
                                && d.through().compareTo(MaasVersion.of(s.series() + ".0~alpha1")) >= 0))
                .toList();
        return new MaasBehaviour(
                s.series(),
                inst,
                in.serviceUser(),
                files,
                restart,
                s.debVaultUnits(),
                s.keysAfterMigration(),
                s.migrateRestartPolls(),
                s.migrateAtomic(),
                s.groupsApi(),
                s.rbac(),
                s.usersSeed(),
                defects);
    }

    /** Every supported series, oldest first. */
    public static List<String> supportedSeries() {
        return SERIES.stream().map(Series::series).toList();
    }
}
