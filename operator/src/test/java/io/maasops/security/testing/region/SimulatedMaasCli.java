package io.maasops.security.testing.region;

import com.fasterxml.jackson.databind.JsonNode;
import io.maasops.security.testing.region.HvacLikeHttp.HvacError;
import io.maasops.security.testing.region.RegionHostDouble.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated {@code maas config-vault} command of a region host (MAAS's
 * src/maasserver/management/commands/config_vault.py and maasserver/vault.py, docs/reference/maas-internals.md §1), talking
 * real HTTP to Vault the way hvac does. Failures are printed as Django prints a {@code CommandError}
 * ({@code CommandError: <message>} on stderr, exit 1); Vault errors carry hvac's text. Any other failure (an
 * exception from MAAS's code, a usage error) is printed as maascli's ArgumentParser.error prints it: the whole help
 * of the parser, a blank line, the message, exit 2 (src/maascli/__init__.py main, src/maascli/parser.py; 3.3–3.8).
 * Per release ({@link SimulatedMaasDeployment#release()}): the number of restart polls of {@code migrate} (5 on
 * 3.3/3.4, 10 later), and whether a Vault failure midway rolls the moved secrets back (3.3–3.6) or leaves them
 * moved (3.7+). {@code status} does not wait for a running {@code migrate} (only migrate and region starts take
 * the startup lock). Unlike MAAS, the restart wait of {@code migrate} does not sleep 5 s between polls (same
 * messages, instant).
 */
public final class SimulatedMaasCli {
    private final RegionHostDouble host;
    private final SimulatedMaasDeployment deployment;

    SimulatedMaasCli(RegionHostDouble host, SimulatedMaasDeployment deployment) {
        this.host = host;
        this.deployment = deployment;
    }

    private static Outcome commandError(String message) {
        return Outcome.fail(1, "CommandError: " + message + "\n");
    }

    /**
     * {@code maas --help} on a region (prog "maas", description the docstring of maascli/api.py, the regiond
     * commands of cli.py REGIOND_COMMANDS, epilog https://maas.io/); Python 3.10+ heads the options "options:".
     */
    public static final String MAAS_HELP = """
            usage: maas [-h] COMMAND ...

            Interact with a remote MAAS server.

            options:
              -h, --help            show this help message and exit

            drill down:
              COMMAND
                login               Log in to a remote API, and remember its description
                                    and credentials.
                logout              Log out of a remote API, purging any stored
                                    credentials.
                list                List remote APIs that have been logged-in to.
                refresh             Refresh the API descriptions of all profiles.
                init                Initialise MAAS in the specified run mode.
                config              View or change controller configuration.
                status              Status of controller services.
                migrate             Perform migrations on connected database.
                apikey              Used to manage a user's API keys. Shows existing keys
                                    unless --generate or --delete is passed.
                configauth          Configure external authentication.
                config-tls          Configure MAAS Region TLS.
                config-vault        Configure MAAS Region Vault integration.
                createadmin         Create a MAAS administrator account.
                changepassword      Change a MAAS user's password.

            https://maas.io/
            """;

    static final String CONFIG_VAULT_HELP = """
            usage: maas config-vault [-h] COMMAND ...

            Configure MAAS Region Vault integration.

            options:
              -h, --help  show this help message and exit

            drill down:
              COMMAND
                configure
                          Update MAAS configuration to use Vault secret storage.
                migrate   Migrate secrets to Vault
                status    Report status of Vault integration
            """;

    public static final String CONFIGURE_HELP = """
            usage: maas config-vault configure [-h] [--mount MOUNT] [--yes]
                                               url role_id wrapped_token secrets_path

            positional arguments:
              url            Vault URL
              role_id        Vault AppRole Role ID
              wrapped_token  Vault wrapped token for the AppRole secret_id
              secrets_path   Path prefix for MAAS secrets in Vault KV storage

            options:
              -h, --help     show this help message and exit
              --mount MOUNT  Vault KV mount path
              --yes          Skip interactive confirmation
            """;

    /** maascli's ArgumentParser.error: the parser's whole help, a blank line, the bare message, exit 2. */
    static Outcome parserError(String help, String message) {
        return Outcome.fail(2, help + "\n" + message + "\n");
    }

    Outcome run(List<String> args) {
        if (args.isEmpty()) {
            return parserError(MAAS_HELP, "too few arguments");
        }
        if (!args.get(0).equals("config-vault")) {
            return Outcome.fail(2, "region host double: only 'maas config-vault ...' is simulated\n");
        }
        if (args.size() < 2) {
            return parserError(CONFIG_VAULT_HELP, "too few arguments");
        }
        List<String> rest = args.subList(2, args.size());
        if (List.of("configure", "status", "migrate").contains(args.get(1))) {
            Outcome noDatabase = djangoSettings();
            if (noDatabase != null) {
                return noDatabase;
            }
        }
        return switch (args.get(1)) {
            case "configure" -> configure(rest);
            case "status" -> rest.isEmpty() ? status() : unrecognised(rest);
            case "migrate" -> rest.isEmpty() ? migrate() : unrecognised(rest);
            default ->
                parserError(
                        CONFIG_VAULT_HELP,
                        "argument COMMAND: invalid choice: '" + args.get(1)
                                + "' (choose from 'configure', 'migrate', 'status')");
        };
    }

    /** parse_args with extra words: the top-level parser's error. */
    private static Outcome unrecognised(List<String> rest) {
        return parserError(MAAS_HELP, "unrecognized arguments: " + String.join(" ", rest));
    }

    /**
     * Loading Django's settings (djangosettings/settings.py _get_default_db_config, 3.3–3.8): with a Vault client in
     * regiond.conf, MAAS logs in and reads {@code <path>/controller/<maas_id>/database-creds}; a VaultError is only
     * logged and the local credentials are used, which are blank once a region start moved them to Vault. Then no
     * command can reach the database: Django's ImproperlyConfigured, printed by maascli with the help, exit 2
     * (message INFERRED from Django 4.2's PostgreSQL backend). Null when the database is reachable.
     */
    private Outcome djangoSettings() {
        Map<String, Object> conf = host.regiondConf();
        if (!hasClient(conf) || SimulatedMaasDeployment.present(conf, "database_name")) {
            return null;
        }
        HvacLikeHttp vault = new HvacLikeHttp(conf.get("vault_url").toString(), host.vaultHttp());
        try {
            String token = vault.login(
                    conf.get("vault_approle_id").toString(),
                    conf.get("vault_secret_id").toString());
            vault.get(
                    conf.get("vault_secrets_mount") + "/data/" + conf.get("vault_secrets_path") + "/controller/"
                            + host.maasId() + "/database-creds",
                    token);
            return null;
        } catch (HvacError e) {
            return parserError(
                    MAAS_HELP,
                    "settings.DATABASES is improperly configured. Please supply the NAME or"
                            + " OPTIONS['service'] value.");
        }
    }

    /** The command's words with the wrapped token (3rd positional of configure) masked, for the command log. */
    static List<String> redactForLog(List<String> words) {
        List<String> out = new ArrayList<>(words);
        int cv = out.indexOf("config-vault");
        if (cv < 0 || cv + 1 >= out.size() || !out.get(cv + 1).equals("configure")) {
            return out;
        }
        int positional = 0;
        for (int i = cv + 2; i < out.size(); i++) {
            String w = out.get(i);
            if (w.equals("--mount")) {
                i++;
                continue;
            }
            if (w.startsWith("--")) {
                continue;
            }
            if (positional++ == 2) {
                out.set(i, "<redacted>");
            }
        }
        return out;
    }

    // ---- configure ---------------------------------------------------------------------------------

    private Outcome configure(List<String> args) {
        List<String> positional = new ArrayList<>();
        String mount = "secret";
        boolean yes = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--yes")) {
                yes = true;
            } else if (a.equals("--mount") && i + 1 < args.size()) {
                mount = args.get(++i);
            } else if (a.startsWith("--mount=")) {
                mount = a.substring("--mount=".length());
            } else if (a.startsWith("-") && a.length() > 1) {
                return unrecognised(List.of(a));
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 4) {
            List<String> names = List.of("url", "role_id", "wrapped_token", "secrets_path");
            return positional.size() < 4
                    ? parserError(
                            CONFIGURE_HELP,
                            "the following arguments are required: "
                                    + String.join(", ", names.subList(positional.size(), 4)))
                    : unrecognised(positional.subList(4, positional.size()));
        }
        String url = positional.get(0);
        String roleId = positional.get(1);
        String wrappedToken = positional.get(2);
        String secretsPath = stripSlash(positional.get(3));
        mount = stripSlash(mount);
        if (!yes && hasClient(host.regiondConf())) {
            // prompt_yes_no on a channel without input: EOF
            return new Outcome(
                    1,
                    "This region already has Vault configured. Overwrite the existing vault"
                            + " configuration? (y/n): ",
                    "EOFError: EOF when reading a line\n");
        }
        HvacLikeHttp vault = new HvacLikeHttp(url, host.vaultHttp());
        String secretId;
        try {
            JsonNode unwrapped = vault.post("sys/wrapping/unwrap", wrappedToken, Map.of());
            JsonNode sid = unwrapped.path("data").path("secret_id");
            if (!sid.isTextual()) {
                return commandError("Unable to unwrap Secret ID with given token.");
            }
            secretId = sid.asText();
            // check_approle_permissions: write, read back, delete metadata and all versions
            String token = vault.login(roleId, secretId);
            String probe = secretsPath + "/test-" + roleId;
            vault.post(mount + "/data/" + probe, token, Map.of("options", Map.of(), "data", Map.of("value", roleId)));
            vault.get(mount + "/data/" + probe, token);
            vault.delete(mount + "/metadata/" + probe, token);
        } catch (HvacError e) {
            return commandError(e.getMessage());
        }
        Map<String, Object> updates = new LinkedHashMap<>();
        updates.put("vault_url", url);
        updates.put("vault_approle_id", roleId);
        updates.put("vault_secret_id", secretId);
        updates.put("vault_secrets_path", secretsPath);
        updates.put("vault_secrets_mount", mount);
        host.updateRegiondConf(updates);
        deployment.setVaultConfigured(host.hostname(), true);
        return Outcome.ok("\nVault successfully configured for the region!\n"
                + "Once all regions in cluster are configured, use the following command to migrate secrets:\n\n"
                + "sudo maas config-vault migrate\n\n");
    }

    private static String stripSlash(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static boolean hasClient(Map<String, Object> conf) {
        return SimulatedMaasDeployment.present(conf, "vault_url")
                && SimulatedMaasDeployment.present(conf, "vault_approle_id")
                && SimulatedMaasDeployment.present(conf, "vault_secret_id");
    }

    // ---- status ------------------------------------------------------------------------------------

    private Outcome status() {
        boolean enabled = deployment.vaultEnabled();
        // yaml.safe_dump of {status, unconfigured_regions}: block style, sorted keys, "[]" for an empty list;
        // print() adds a newline
        StringBuilder sb = new StringBuilder("status: ")
                .append(enabled ? "enabled" : "disabled")
                .append('\n');
        if (!enabled) {
            List<String> regions = deployment.unconfiguredRegions();
            if (regions.isEmpty()) {
                sb.append("unconfigured_regions: []\n");
            } else {
                sb.append("unconfigured_regions:\n");
                regions.forEach(r -> sb.append("- ").append(r).append('\n'));
            }
        }
        return Outcome.ok(sb.append('\n').toString());
    }

    // ---- migrate -----------------------------------------------------------------------------------

    private Outcome migrate() {
        List<RegionHostDouble> restarted = new ArrayList<>();
        try {
            synchronized (deployment.startupLock) { // @synchronised(startup): one migration at a time, cluster-wide
                return migrateLocked(restarted);
            }
        } finally {
            deployment.finishDeferredStarts(restarted); // their start-up waited for the startup lock
        }
    }

    private Outcome migrateLocked(List<RegionHostDouble> restarted) {
        deployment.runBeforeMigrateHook();
        if (deployment.vaultEnabled()) {
            return commandError("Secrets are already migrated to Vault.");
        }
        Map<String, Object> conf = host.regiondConf();
        if (!hasClient(conf)) {
            return commandError("Vault is not configured for the current region. "
                    + "Please use `sudo maas config-vault configure` command on all regions before migrating.");
        }
        List<String> unconfigured = deployment.unconfiguredRegions();
        if (!unconfigured.isEmpty()) {
            return commandError("Vault is not configured for regions: " + String.join(", ", unconfigured) + "\n"
                    + "Please use `sudo maas config-vault configure` command on the regions above before migrating.");
        }
        HvacLikeHttp vault = new HvacLikeHttp(conf.get("vault_url").toString(), host.vaultHttp());
        String token;
        try {
            token = vault.login(
                    conf.get("vault_approle_id").toString(),
                    conf.get("vault_secret_id").toString());
        } catch (HvacError e) {
            return commandError("Vault test failed: " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        out.append("Send restart signal to active regions\n");
        restarted.addAll(deployment.notifyVaultMigrationRestart());
        out.append(" - Signal sent. Waiting for 5 seconds...\n");
        boolean done = false;
        int polls = deployment.release().migrateRestartPolls();
        for (int attempt = 1; attempt <= polls; attempt++) {
            out.append("\nWait for active regions to restart (attempt ")
                    .append(attempt)
                    .append('/')
                    .append(polls)
                    .append(")\n");
            List<String> active = deployment.regionsIgnoringRestart();
            if (active.isEmpty()) {
                out.append(" - No regions are currently active, proceeding.\n");
                done = true;
                break;
            }
            out.append(" - Regions are still active: ")
                    .append(String.join(", ", active))
                    .append('\n');
        }
        if (!done) {
            return new Outcome(
                    1,
                    out.toString(),
                    "CommandError: Unable to migrate as one or more regions didn't"
                            + " restart when politely asked. Please shut down these regions before starting the"
                            + " migration process again.\n");
        }
        out.append("Migrating secrets\n");
        String mount = conf.get("vault_secrets_mount").toString();
        String path = conf.get("vault_secrets_path").toString();
        Map<String, Map<String, Object>> moved = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> s : deployment.dbSecrets().entrySet()) {
            try {
                vault.post(
                        mount + "/data/" + path + "/" + s.getKey(),
                        token,
                        Map.of("options", Map.of(), "data", s.getValue()));
            } catch (HvacError e) {
                if (deployment.release().migrateSecretsAtomic()) { // 3.3–3.6: @transactional rolls the rows back
                    deployment.restoreDbSecrets(moved);
                }
                // the maasserver_vaultsecret rows are bulk-created only after the loop, on every release
                moved.keySet().forEach(deployment::removeVaultSecretRow);
                // maasserver.vault.VaultError is no CommandError: maascli prints the help and the message, exit 2
                return new Outcome(2, out.toString(), MAAS_HELP + "\nVault request failed\n");
            }
            moved.put(s.getKey(), s.getValue());
            deployment.addVaultSecretRow(s.getKey());
            deployment.removeDbSecret(s.getKey());
        }
        deployment.setVaultEnabled(true);
        deployment.runAfterMigrateHook();
        return Outcome.ok(
                out.append("Successfully migrated cluster secrets to Vault\n").toString());
    }
}
