package io.maasops.security.testing.region;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.MaasRelease.Service;
import io.maasops.security.testing.MaasRelease.VaultUse;
import io.maasops.security.testing.region.HvacLikeHttp.HvacError;
import io.maasops.security.testing.region.VirtualFileSystem.PermissionError;
import io.maasops.security.testing.region.VirtualFileSystem.Writer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The MAAS services of one region host and what their start does, per {@link MaasRelease} and installation (the
 * services as the deb units name them; on snap the same processes run under pebble/supervisor, as root):
 * <ul>
 *   <li>each reads regiond.conf as its service user (deb {@code User=maas}; snap root);</li>
 *   <li>Vault consumers log in with regiond.conf's secret-id once Vault is enabled (to read the DB credentials,
 *       djangosettings/settings.py) and cache it: {@link VaultUse#RUNTIME} ones log in again with the <em>cached</em>
 *       secret-id whenever their token expires ({@link #reLogin});</li>
 *   <li>regiond's start-up (start_up.inner_start_up, 3.3–3.8) rewrites the shared secret with atomic_write(mode 0640)
 *       at every start, then on the first start after migration moves the DB credentials to Vault and rewrites
 *       regiond.conf with them blanked (migrate_db_credentials_if_necessary), then records vault_configured; any
 *       failure is "Error during start-up; pausing for 3 seconds." and a retry for ever: {@link State#START_UP_LOOP};</li>
 *   <li>3.8 up to beta6: maas-openfga reads the DB credentials from regiond.conf only and fails once they are blank.</li>
 * </ul>
 * Services start in the order of {@link MaasRelease#services()} (regiond last: its deb unit is After= the others).
 */
public final class SimulatedRegionServices {
    private static final YAMLMapper YAML = new YAMLMapper();
    static final String START_UP_PAUSE = "Error during start-up; pausing for 3 seconds.";

    /** A service's state. */
    public enum State {
        RUNNING,
        STOPPED,
        START_UP_LOOP,
        FAILED
    }

    /** What a service is doing, the secret-id it logged in with (null: none), and its last error. */
    public record Status(String unit, State state, String cachedSecretId, String lastError) {}

    private final RegionHostDouble host;
    private final SimulatedMaasDeployment deployment;
    private final MaasRelease release;
    private final MaasPackaging installation;
    private final Map<String, Status> status = new LinkedHashMap<>();
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final Map<String, String> failingStarts = new java.util.concurrent.ConcurrentHashMap<>();

    SimulatedRegionServices(RegionHostDouble host, SimulatedMaasDeployment deployment, MaasPackaging installation) {
        this.host = host;
        this.deployment = deployment;
        this.release = deployment.release();
        this.installation = installation;
        for (Service s : release.services()) {
            status.put(s.unit(), new Status(s.unit(), State.RUNNING, null, null));
        }
    }

    /** The units this release has, in start order. */
    public List<String> units() {
        return release.services().stream().map(Service::unit).toList();
    }

    public synchronized Status status(String unit) {
        return status.get(unit);
    }

    public synchronized Map<String, Status> all() {
        return new LinkedHashMap<>(status);
    }

    /** What the services logged (start-up errors), oldest first. */
    public List<String> journal() {
        return List.copyOf(journal);
    }

    /** Every service runs and no Vault consumer holds a secret-id other than regiond.conf's. */
    public synchronized boolean allRunningWithCurrentSecretId() {
        Object current = host.regiondConf().get("vault_secret_id");
        return status.values().stream()
                .allMatch(s -> s.state() == State.RUNNING
                        && (s.cachedSecretId() == null || s.cachedSecretId().equals(current)));
    }

    /** {@code snap restart maas}: every service. */
    public void restartAll() {
        restart(units());
    }

    /** {@code systemctl restart UNIT...}: the named units only (Requires= does not restart the required units). */
    void restart(List<String> units) {
        for (Service s : release.services()) { // systemd orders the jobs by After=, regiond last
            if (units.contains(s.unit())) {
                start(s);
            }
        }
    }

    /** The restart signal of migrate stops regiond (and 3.6+ the apiserver); their start waits for the lock. */
    synchronized void stopForMigrationRestart() {
        for (Service s : release.services()) {
            if (s.restartedByMigration()) {
                status.put(s.unit(), new Status(s.unit(), State.STOPPED, null, null));
            }
        }
    }

    void startAfterMigrationRestart() {
        for (Service s : release.services()) {
            if (s.restartedByMigration()) {
                start(s);
            }
        }
    }

    private Writer writer() {
        return host.fs().writer(MaasRelease.serviceUser(installation));
    }

    private void start(Service s) {
        Status result;
        synchronized (this) {
            result = startLocked(s);
            status.put(s.unit(), result);
        }
        if (result.state() == State.RUNNING && s.regiond()) {
            deployment.regionRestarted(host.hostname(), host); // vault_configured, last step of inner_start_up
        }
    }

    /**
     * Fault: each start of {@code unit} fails (the unit ends "failed", {@code error} in the journal) until
     * {@link #clearFailingStart}; e.g. a service that does not come back after a rotation's restart.
     */
    public void failStartsOf(String unit, String error) {
        failingStarts.put(unit, error);
    }

    public void clearFailingStart(String unit) {
        failingStarts.remove(unit);
    }

    /** An administrator's {@code systemctl restart UNIT...} / {@code snap restart maas} by hand (not counted as the operator's). */
    public void restartByHand(List<String> units) {
        restart(units);
    }

    private Status startLocked(Service s) {
        String injected = failingStarts.get(s.unit());
        if (injected != null) {
            return failed(s, injected);
        }
        Map<String, Object> conf;
        try {
            conf = parse(host.fs().readAs(installation.regiondConf(), writer()));
        } catch (PermissionError e) {
            return failed(s, "PermissionError: " + e.getMessage());
        } catch (VirtualFileSystem.FsError e) {
            return failed(
                    s, "FileNotFoundError: [Errno 2] " + e.getMessage() + ": '" + installation.regiondConf() + "'");
        }
        if (s.vaultUse() == VaultUse.NONE) {
            return new Status(s.unit(), State.RUNNING, null, null);
        }
        if (s.vaultUse() == VaultUse.REGIOND_CONF_ONLY) {
            return SimulatedMaasDeployment.present(conf, "database_pass")
                    ? new Status(s.unit(), State.RUNNING, null, null)
                    : failed(s, "failed to connect to database: password authentication failed for user \"\"");
        }
        boolean client = SimulatedMaasDeployment.present(conf, "vault_url")
                && SimulatedMaasDeployment.present(conf, "vault_approle_id")
                && SimulatedMaasDeployment.present(conf, "vault_secret_id");
        String secretId = client ? conf.get("vault_secret_id").toString() : null;
        String token = null;
        if (client && deployment.vaultEnabled()) {
            try {
                token = new HvacLikeHttp(conf.get("vault_url").toString(), host.vaultHttp())
                        .login(conf.get("vault_approle_id").toString(), secretId);
            } catch (HvacError e) {
                // settings.py logs this and falls back to the local credentials, blank after migration
                String err = "Unable to fetch DB credentials from Vault: " + e.getMessage();
                return s.regiond() ? startUpLoop(s, err) : failed(s, err);
            }
        } else if (deployment.vaultEnabled()) {
            String err = "django.core.exceptions.ImproperlyConfigured: Vault is enabled cluster-wide, but is not"
                    + " configured for this region.";
            return s.regiond() ? startUpLoop(s, err) : failed(s, err);
        }
        if (!s.regiond()) {
            return new Status(s.unit(), State.RUNNING, secretId, null);
        }
        try {
            host.fs().atomicWrite(installation.sharedSecret(), deployment.rpcSharedSecret(), 0640, writer());
        } catch (PermissionError e) {
            return startUpLoop(s, "PermissionError: " + e.getMessage());
        }
        if (token != null && SimulatedMaasDeployment.present(conf, "database_name")) {
            String path = conf.get("vault_secrets_mount") + "/data/" + conf.get("vault_secrets_path") + "/controller/"
                    + SimulatedMaasDeployment.maasId(host.hostname()) + "/database-creds";
            try {
                new HvacLikeHttp(conf.get("vault_url").toString(), host.vaultHttp())
                        .post(
                                path,
                                token,
                                Map.of(
                                        "options",
                                        Map.of(),
                                        "data",
                                        Map.of(
                                                "user",
                                                conf.get("database_user"),
                                                "pass",
                                                conf.get("database_pass"),
                                                "name",
                                                conf.get("database_name"))));
            } catch (HvacError e) {
                return startUpLoop(s, "maasserver.vault.VaultError: Vault request failed");
            }
            Map<String, Object> blanked = new TreeMap<>(conf);
            blanked.put("database_user", "");
            blanked.put("database_pass", "");
            blanked.put("database_name", "");
            try {
                host.fs().atomicWrite(installation.regiondConf(), RegionHostDouble.yaml(blanked), null, writer());
            } catch (PermissionError e) {
                return startUpLoop(s, "PermissionError: " + e.getMessage());
            }
        }
        return new Status(s.unit(), State.RUNNING, secretId, null);
    }

    private Status failed(Service s, String error) {
        journal.add(s.unit() + ": " + error);
        return new Status(s.unit(), State.FAILED, null, error);
    }

    private Status startUpLoop(Service s, String error) {
        journal.add(s.unit() + ": " + START_UP_PAUSE + " (" + error + ")");
        return new Status(s.unit(), State.START_UP_LOOP, null, error);
    }

    /**
     * Each running Vault consumer's token expired: {@link VaultUse#RUNTIME} services log in again with their cached
     * secret-id (maasserver/vault.py _ensure_auth; maasservicelayer's vault manager). Unit → null when the login
     * worked, else hvac's error. A consumer that failed to log in stops serving (FAILED).
     */
    public Map<String, String> reLogin() {
        Map<String, Object> conf = host.regiondConf();
        Map<String, String> out = new LinkedHashMap<>();
        for (Service s : release.services()) {
            Status st = status(s.unit());
            if (s.vaultUse() != VaultUse.RUNTIME || st.state() != State.RUNNING || st.cachedSecretId() == null) {
                continue;
            }
            try {
                new HvacLikeHttp(conf.get("vault_url").toString(), host.vaultHttp())
                        .login(conf.get("vault_approle_id").toString(), st.cachedSecretId());
                out.put(s.unit(), null);
            } catch (HvacError e) {
                out.put(s.unit(), e.getMessage());
                synchronized (this) {
                    status.put(s.unit(), failed(s, "Vault login failed: " + e.getMessage()));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> parse(String yaml) {
        try {
            Map<String, Object> m = YAML.readValue(yaml, new TypeReference<Map<String, Object>>() {});
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests that read a list of failed units. */
    public synchronized List<String> notRunning() {
        List<String> out = new ArrayList<>();
        status.values().stream().filter(s -> s.state() != State.RUNNING).forEach(s -> out.add(s.unit()));
        return out;
    }
}
