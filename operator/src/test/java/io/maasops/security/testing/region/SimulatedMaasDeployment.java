package io.maasops.security.testing.region;

import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.MaasRelease;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The state one MAAS deployment keeps in its database, shared by its region hosts: which controllers MAAS
 * knows ({@code maasserver_controllerinfo.vault_configured}), the cluster-wide {@code vault_enabled} flag, and
 * the rows of {@code maasserver_secret} (a fixture set in MAAS's logical layout) that {@code migrate} moves to
 * Vault. Regions may be known to MAAS without a host double (a region no custom resource declares), and so may
 * rack-only controllers ({@link #addRackController}), which MAAS lists among the unconfigured "regions" too.
 * Every host of a deployment runs the same {@link MaasRelease}.
 */
public final class SimulatedMaasDeployment implements AutoCloseable {
    /** A controller row. */
    static final class Region {
        final String hostname;
        volatile boolean vaultConfigured;
        /** Simulated fault: the region ignores the migration restart signal. */
        volatile boolean ignoresRestart;
        /** A rack-only controller: a ControllerInfo row (rpc/rackcontrollers.py) but no region processes. */
        final boolean rackOnly;

        Region(String hostname, boolean rackOnly) {
            this.hostname = hostname;
            this.rackOnly = rackOnly;
        }

        Region(String hostname) {
            this(hostname, false);
        }
    }

    /**
     * MAAS's {@code locks.startup}: {@code migrate} holds it for its whole run (@synchronised(startup)), region
     * starts take it; {@code config-vault status} does not (it answers while a migrate runs).
     */
    final Object startupLock = new Object();

    private final MaasRelease release;

    private final Map<String, Region> regions = new TreeMap<>();
    private final List<RegionHostDouble> hosts = new ArrayList<>();
    private final Map<String, Map<String, Object>> dbSecrets = new LinkedHashMap<>();
    private final Map<String, String> migratedPaths = new LinkedHashMap<>();
    private volatile boolean vaultEnabled;
    private Runnable beforeNextMigrate;
    private Runnable afterNextMigrate;
    private final String rpcSharedSecret;

    /** The newest release, a rack having configured DHCP already (so {@code global/omapi-key} exists). */
    public SimulatedMaasDeployment() {
        this(MaasRelease.NEWEST, true);
    }

    public SimulatedMaasDeployment(MaasRelease release) {
        this(release, true);
    }

    /**
     * @param dhcpConfigured whether a rack has configured DHCP: only then does {@code global/omapi-key} exist
     *     (maasserver/dhcp.py creates it lazily); 3.5+ always have the two cluster certificates
     *     (start_up._create_cluster_certificate_if_necessary)
     */
    public SimulatedMaasDeployment(MaasRelease release, boolean dhcpConfigured) {
        this.release = release;
        // Deterministic fixture values: tests can compare what landed in Vault.
        Random r = new Random(42);
        byte[] shared = new byte[16];
        r.nextBytes(shared);
        rpcSharedSecret = HexFormat.of().formatHex(shared);
        dbSecrets.put("global/rpc-shared", Map.of("secret", rpcSharedSecret));
        if (dhcpConfigured) {
            dbSecrets.put("global/omapi-key", Map.of("secret", "SIMULATED-omapi-key-b64=="));
        }
        dbSecrets.put("global/macaroon-key", Map.of("secret", "SIMULATED-macaroon-private-key"));
        dbSecrets.put(
                "global/tls",
                Map.of(
                        "key",
                        "-----BEGIN PRIVATE KEY-----\nSIMULATED\n-----END PRIVATE KEY-----\n",
                        "cert",
                        "-----BEGIN CERTIFICATE-----\nSIMULATED\n-----END CERTIFICATE-----\n",
                        "cacert",
                        ""));
        dbSecrets.put("global/ipmi-k_g-key", Map.of("secret", ""));
        dbSecrets.put("node/7/power-parameters", Map.of("power_pass", "SIMULATED-bmc-password"));
        dbSecrets.put("bmc/3/power-parameters", Map.of("power_pass", "SIMULATED-vmhost-password"));
        dbSecrets.put("rootkey/1/material", Map.of("secret", "SIMULATED-root-key-material"));
        if (release.clusterCertificates()) {
            dbSecrets.put("global/maas-ca-certificate", Map.of("key", "SIMULATED-ca-key", "cert", "SIMULATED-ca-cert"));
            dbSecrets.put(
                    "global/cluster-certificate",
                    Map.of(
                            "key",
                            "SIMULATED-cluster-key",
                            "cert",
                            "SIMULATED-cluster-cert",
                            "cacerts",
                            "SIMULATED-ca-cert"));
        }
    }

    public MaasRelease release() {
        return release;
    }

    /**
     * A rack-only controller MAAS knows: it has a ControllerInfo row with {@code vault_configured=False} for ever
     * (no regiond sets it), so it appears in {@code config-vault status}'s unconfigured list and blocks {@code
     * migrate} (config_vault.py: the query has no node-type filter).
     */
    public synchronized void addRackController(String hostname) {
        regions.computeIfAbsent(hostname, h -> new Region(h, true));
    }

    /** An admin deletes a controller in MAAS: its node goes, and its ControllerInfo row with it (on_delete=CASCADE). */
    public synchronized void deleteController(String hostname) {
        regions.remove(hostname);
    }

    /** The machine's MAAS id (the system_id of its node; /var/lib/maas/maas_id), stable per hostname. */
    static String maasId(String hostname) {
        return "n" + Integer.toString(Math.floorMod(hostname.hashCode(), 36 * 36 * 36 * 36 * 36), 36);
    }

    /** Starts a region host (a real SSH server on 127.0.0.1) that MAAS knows as {@code hostname}. */
    public synchronized RegionHostDouble addRegionHost(
            String hostname, MaasPackaging installation, PublicKey authorizedClientKey) {
        return addRegionHost(hostname, installation, authorizedClientKey, 0);
    }

    /** As above on a fixed port (0 = random), e.g. for a sandbox whose known_hosts is written beforehand. */
    public synchronized RegionHostDouble addRegionHost(
            String hostname, MaasPackaging installation, PublicKey authorizedClientKey, int port) {
        regions.computeIfAbsent(hostname, Region::new);
        RegionHostDouble host = new RegionHostDouble(this, hostname, installation, authorizedClientKey, port);
        hosts.add(host);
        host.start();
        return host;
    }

    /** A region host behind a shared SSH server (scale runs: see {@link SharedSshFront}). */
    public synchronized RegionHostDouble addRegionHost(
            String hostname, MaasPackaging installation, PublicKey authorizedClientKey, SharedSshFront front) {
        regions.computeIfAbsent(hostname, Region::new);
        RegionHostDouble host = new RegionHostDouble(this, hostname, installation, authorizedClientKey, 0, front);
        hosts.add(host);
        host.start();
        return host;
    }

    /**
     * Test hooks, run once by the next {@code migrate}: {@code before} as it starts (after its lock), {@code after}
     * once it has moved the secrets and before it prints success (e.g. to seal Vault "during" the migration).
     */
    public synchronized void onNextMigrate(Runnable before, Runnable after) {
        beforeNextMigrate = before;
        afterNextMigrate = after;
    }

    /** Runs the hook outside this object's lock (a hook that waits must not stop {@code status} answering). */
    void runBeforeMigrateHook() {
        Runnable r;
        synchronized (this) {
            r = beforeNextMigrate;
            beforeNextMigrate = null;
        }
        if (r != null) {
            r.run();
        }
    }

    void runAfterMigrateHook() {
        Runnable r;
        synchronized (this) {
            r = afterNextMigrate;
            afterNextMigrate = null;
        }
        if (r != null) {
            r.run();
        }
    }

    /** A controller MAAS knows that has no host double (and so never gets configured unless told). */
    public synchronized void addKnownRegion(String hostname) {
        regions.computeIfAbsent(hostname, Region::new);
    }

    public synchronized void setVaultConfigured(String hostname, boolean configured) {
        regions.get(hostname).vaultConfigured = configured;
    }

    /** Fault: this region does not restart when {@code migrate} asks it to. */
    public synchronized void setIgnoresRestart(String hostname, boolean ignores) {
        regions.get(hostname).ignoresRestart = ignores;
    }

    public synchronized boolean vaultConfigured(String hostname) {
        Region r = regions.get(hostname);
        return r != null && r.vaultConfigured;
    }

    /** Hostnames with {@code vault_configured=False}, sorted (MAAS's {@code _get_unconfigured_regions}). */
    public synchronized List<String> unconfiguredRegions() {
        return regions.values().stream()
                .filter(r -> !r.vaultConfigured)
                .map(r -> r.hostname)
                .toList();
    }

    /** Regions whose processes did not go away after the restart signal (rack-only controllers have none). */
    public synchronized List<String> regionsIgnoringRestart() {
        return regions.values().stream()
                .filter(r -> r.ignoresRestart && !r.rackOnly)
                .map(r -> r.hostname)
                .toList();
    }

    public boolean vaultEnabled() {
        return vaultEnabled;
    }

    synchronized void setVaultEnabled(boolean enabled) {
        this.vaultEnabled = enabled;
    }

    /** The {@code maasserver_secret} rows still in the database (logical path → value dict). */
    public synchronized Map<String, Map<String, Object>> dbSecrets() {
        return new LinkedHashMap<>(dbSecrets);
    }

    /** The fixture's {@code global/rpc-shared} value (also the shared secret file's content). */
    public String rpcSharedSecret() {
        return rpcSharedSecret;
    }

    synchronized void removeDbSecret(String path) {
        dbSecrets.remove(path);
    }

    /** Puts a row back (a rolled-back transaction of 3.3–3.6's atomic migrate). */
    synchronized void restoreDbSecrets(Map<String, Map<String, Object>> rows) {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>(rows);
        merged.putAll(dbSecrets);
        dbSecrets.clear();
        dbSecrets.putAll(merged);
    }

    synchronized void removeVaultSecretRow(String path) {
        migratedPaths.remove(path);
    }

    /** Paths inserted into {@code maasserver_vaultsecret} by migrate (logical path → "deleted=False"). */
    public synchronized Map<String, String> vaultSecretRows() {
        return new LinkedHashMap<>(migratedPaths);
    }

    synchronized void addVaultSecretRow(String path) {
        migratedPaths.put(path, "deleted=False");
    }

    /**
     * {@code NOTIFY sys_vault_migration}: each region's regiond restarts its event loop (and from 3.6 the v3
     * apiserver exits, systemd/pebble start it again); their new start-up then waits for the startup lock that
     * {@code migrate} holds. Returns the hosts that restarted, whose start {@link #finishDeferredStarts} completes.
     */
    List<RegionHostDouble> notifyVaultMigrationRestart() {
        List<RegionHostDouble> restarted = new ArrayList<>();
        for (RegionHostDouble h : hosts()) { // not under this lock: a host's start takes its own, then this one
            if (!regionIgnoresRestart(h.hostname())) {
                h.recordServiceRestart();
                h.services().stopForMigrationRestart();
                restarted.add(h);
            }
        }
        return restarted;
    }

    private synchronized boolean regionIgnoresRestart(String hostname) {
        return regions.get(hostname).ignoresRestart;
    }

    /** After {@code migrate} released the startup lock: the restarted regions' start-up runs (with vault_enabled). */
    void finishDeferredStarts(List<RegionHostDouble> restarted) {
        restarted.forEach(h -> h.services().startAfterMigrationRestart());
    }

    /**
     * At every start the region sets its {@code vault_configured} from whether its regiond.conf has
     * vault_url, vault_approle_id and vault_secret_id (start_up.inner_start_up).
     */
    synchronized void regionRestarted(String hostname, RegionHostDouble host) {
        Map<String, Object> conf = host.regiondConf();
        boolean hasClient =
                present(conf, "vault_url") && present(conf, "vault_approle_id") && present(conf, "vault_secret_id");
        regions.get(hostname).vaultConfigured = hasClient;
    }

    static boolean present(Map<String, Object> conf, String key) {
        Object v = conf.get(key);
        return v != null && !v.toString().isEmpty();
    }

    public synchronized List<RegionHostDouble> hosts() {
        return List.copyOf(hosts);
    }

    @Override
    public synchronized void close() {
        hosts.forEach(RegionHostDouble::close);
    }

    /** A fresh client key pair for tests (ed25519). */
    public static KeyPair newClientKey() {
        return KeyMaterial.generateEd25519();
    }
}
