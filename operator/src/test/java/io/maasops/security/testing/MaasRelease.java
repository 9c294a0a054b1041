package io.maasops.security.testing;

import io.maasops.security.regionhost.MaasPackaging;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MAAS release a simulated deployment runs, and what the doubles know about it, read from canonical/maas's
 * branches 3.3 … 3.8 and master (docs/reference/maas-versions.md cites file and line). Deliberately written out
 * here again rather than taken from the operator's own table ({@code io.maasops.security.maasversion}): a double
 * that asked the operator's table how MAAS behaves would agree with any mistake in it ({@code
 * MatrixAgreesWithDoublesTest} compares the two encodings instead).
 *
 * @param version the version MAAS reports, as {@code MAASVersion.short_version} prints it ("3.5.4", "3.8.0~beta6")
 * @param openfgaReadsVault 3.8 only: whether maas-openfga reads the DB credentials from Vault (canonical/maas
 *     PR #618/#644, merged after 3.8.0~beta6) or, as every 3.8 build up to beta6 does, only from regiond.conf
 */
public record MaasRelease(String version, boolean openfgaReadsVault) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:~(alpha|beta|rc)(\\d+))?");

    /**
     * What tests get when they name no release: the newest, 3.8 with the openfga fix (see {@link #NEWEST_WITH_DEFECT};
     * no 3.8 build with the fix was in the source read: the fix, PRs #618/#644, is newer).
     */
    public static final MaasRelease NEWEST = of("3.8.0");
    /** The newest 3.8 build whose source was read: maas-openfga still reads the DB credentials only from regiond.conf. */
    public static final MaasRelease NEWEST_WITH_DEFECT = of("3.8.0~beta6");
    /** canonical/maas master (4.0): snap only, Canonical RBAC removed, the Users seed with can_view_boot_entities. */
    public static final MaasRelease MASTER = of("4.0.0~alpha1");
    /**
     * One release per supported series, oldest first (the matrix tests run each): the newest tag of each series in
     * canonical/maas as read (3.3.9, 3.4.8, 3.5.9, 3.6.5, 3.7.3), and 3.8 with the openfga fix.
     */
    public static final List<MaasRelease> SUPPORTED =
            List.of(of("3.3.9"), of("3.4.8"), of("3.5.9"), of("3.6.5"), of("3.7.3"), NEWEST);

    public MaasRelease {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MAAS short version: " + version);
        }
        if (major(m) == 3 && minor(m) < 3) {
            throw new IllegalArgumentException("the doubles simulate MAAS 3.3 and newer, not " + version);
        }
    }

    /** A release by its version; 3.8 builds up to and including 3.8.0~beta6 have the openfga defect. */
    public static MaasRelease of(String version) {
        Matcher m = VERSION.matcher(version);
        boolean defect = m.matches()
                && major(m) == 3
                && minor(m) == 8
                && m.group(4) != null
                && (m.group(4).equals("alpha") || (m.group(4).equals("beta") && Integer.parseInt(m.group(5)) <= 6));
        return new MaasRelease(version, !defect);
    }

    private static int major(Matcher m) {
        return Integer.parseInt(m.group(1));
    }

    private static int minor(Matcher m) {
        return Integer.parseInt(m.group(2));
    }

    private Matcher parts() {
        Matcher m = VERSION.matcher(version);
        m.matches();
        return m;
    }

    /** "3.5". */
    public String series() {
        return major(parts()) + "." + minor(parts());
    }

    /** Whether this release is {@code major.minor} or newer (master counts as newer than every 3.x). */
    public boolean atLeast(int major, int minor) {
        Matcher m = parts();
        return major(m) > major || (major(m) == major && minor(m) >= minor);
    }

    public boolean isMaster() {
        return atLeast(4, 0);
    }

    // ---- installations ---------------------------------------------------------------------------------

    /** master dropped the Debian packaging (commit 0a59b98e6); every 3.x branch has both. */
    public boolean offers(MaasPackaging installation) {
        return installation == MaasPackaging.SNAP || !isMaster();
    }

    /** The user MAAS's region services run as: deb units say {@code User=maas}; snap services run as root. */
    public static String serviceUser(MaasPackaging installation) {
        return installation == MaasPackaging.DEB ? "maas" : "root";
    }

    /**
     * What {@code snap list maas} shows as Version: utilities/package-version, {@code VERSION-REVCOUNT-g.HASH}.
     */
    public String snapVersion() {
        return version + "-" + (16000 + 300 * minorNumber()) + "-g.2a2f95a0f";
    }

    /** What {@code dpkg-query -W -f='${Version}' maas-region-api} prints: debian/changelog, {@code 1:VERSION-0ubuntu1}. */
    public String debVersion() {
        return "1:" + version + "-0ubuntu1";
    }

    private int minorNumber() {
        return minor(parts());
    }

    // ---- region services -------------------------------------------------------------------------------

    /** How a region service uses Vault. */
    public enum VaultUse {
        /** Caches a client for the process lifetime and logs in again (with the cached secret-id) when its token expires. */
        RUNTIME,
        /** Logs in once at start (to read the DB credentials), never again. */
        AT_START,
        /** Never talks to Vault. */
        NONE,
        /** 3.8 up to beta6's maas-openfga: reads the DB credentials from regiond.conf only. */
        REGIOND_CONF_ONLY
    }

    /**
     * One region service: its deb unit, how it uses Vault, and whether a migration's {@code NOTIFY
     * sys_vault_migration} restarts it (regiond restarts its event loop, the v3 apiserver calls os._exit(0)).
     */
    public record Service(String unit, VaultUse vaultUse, boolean restartedByMigration) {
        public boolean regiond() {
            return unit.equals("maas-regiond");
        }
    }

    /**
     * The region services of this release, in the order a full restart starts them (regiond last: its deb unit is
     * {@code After=} maas-apiserver and, 3.8, maas-openfga). 3.5: maasapiserver/settings.py read_config logs in
     * once for the DB credentials (apiserver and temporal worker); 3.6+: maasservicelayer's vault manager is cached
     * in the services cache of both processes. maas-temporal reads its own config file, never Vault.
     */
    public List<Service> services() {
        List<Service> out = new ArrayList<>();
        if (atLeast(3, 8)) {
            out.add(new Service(
                    "maas-openfga", openfgaReadsVault ? VaultUse.AT_START : VaultUse.REGIOND_CONF_ONLY, false));
        }
        if (atLeast(3, 5)) {
            VaultUse v = atLeast(3, 6) ? VaultUse.RUNTIME : VaultUse.AT_START;
            out.add(new Service("maas-apiserver", v, atLeast(3, 6)));
            out.add(new Service("maas-temporal", VaultUse.NONE, false));
            out.add(new Service("maas-temporal-worker", v, false));
        }
        out.add(new Service("maas-regiond", VaultUse.RUNTIME, true));
        return out;
    }

    // ---- config-vault ----------------------------------------------------------------------------------

    /** {@code _restart_regions}: attempts_allowed = 5 (3.3, 3.4) or 10 (3.5+), 5 s apart after a first 5 s wait. */
    public int migrateRestartPolls() {
        return atLeast(3, 5) ? 10 : 5;
    }

    /**
     * 3.3–3.6 decorate {@code _migrate_secrets} with {@code @transactional}; 3.7+ call
     * {@code transactional(self._migrate_secrets(client))}, which runs it first (commit da3bd10d0): each row is
     * deleted as it is moved, and the {@code maasserver_vaultsecret} rows are only written at the end.
     */
    public boolean migrateSecretsAtomic() {
        return !atLeast(3, 7);
    }

    /** 3.5+: start_up._create_cluster_certificate_if_necessary creates maas-ca-certificate and cluster-certificate. */
    public boolean clusterCertificates() {
        return atLeast(3, 5);
    }

    // ---- API -------------------------------------------------------------------------------------------

    /** User groups and entitlements (API 2.0 {@code /groups/}, OpenFGA) exist from 3.8. */
    public boolean groupsApi() {
        return atLeast(3, 8);
    }

    /** Canonical RBAC can still be configured (deprecated in 3.8, removed on master). */
    public boolean canonicalRbac() {
        return !isMaster();
    }

    /** The "Users" group's seeded entitlements on maas:0 (00002_migrate_environments.go; master added boot entities). */
    public List<String> usersSeed() {
        return isMaster()
                ? List.of(
                        "can_deploy_machines",
                        "can_view_available_machines",
                        "can_view_global_entities",
                        "can_view_boot_entities")
                : List.of("can_deploy_machines", "can_view_available_machines", "can_view_global_entities");
    }

    @Override
    public String toString() {
        return version + (atLeast(3, 8) && !isMaster() && !openfgaReadsVault ? " (openfga defect)" : "");
    }
}
