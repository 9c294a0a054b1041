package io.maasops.security.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MAAS administrator's commands on a region controller, typed: exactly what MAAS's docs tell an admin to
 * type (maas-internals.md §1, §7, §9), run through a {@link RegionCommandRunner}.
 *
 * <p><b>The wrapped token.</b> {@code configure} passes the response-wrapped secret-id as a command argument,
 * as MAAS's own procedure does ({@code maas config-vault configure URL ROLE_ID WRAPPED_TOKEN PATH}); MAAS has
 * no other way to receive it. This is acceptable because the token is single-use (the region's unwrap consumes
 * it, so a copy read from a process list or sudo log is worthless afterwards) and short-lived (wrap TTL, 5 m by
 * default). The operator itself never logs, prints or reports it: runners never log arguments, and every
 * message built from MAAS's output is passed through a {@link Redactor} holding the token.
 */
public final class MaasCli {
    /** Default limits; migrate waits for regions to restart (up to ~55 s inside MAAS). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MIGRATE_TIMEOUT = Duration.ofSeconds(180);

    static final String CONFIGURE_SUCCESS = "Vault successfully configured for the region!";
    /** {@code stat} format: mode in octal, uid, gid, and the names the host resolves them to. */
    static final String STAT_FORMAT = "%a %u %g %U %G";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?|[0-9]{1,10}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final YAMLMapper YAML = new YAMLMapper();

    private final RegionCommandRunner runner;
    private final Installation installation;
    private final Duration timeout;
    private final Duration migrateTimeout;

    public MaasCli(RegionCommandRunner runner, Installation installation) {
        this(runner, installation, DEFAULT_TIMEOUT, DEFAULT_MIGRATE_TIMEOUT);
    }

    public MaasCli(RegionCommandRunner runner, Installation installation, Duration timeout, Duration migrateTimeout) {
        this.runner = runner;
        this.installation = installation;
        this.timeout = timeout;
        this.migrateTimeout = migrateTimeout;
    }

    public Installation installation() {
        return installation;
    }

    // ---- config-vault ----------------------------------------------------------------------------------

    /** The argument vector of {@code configure} (pure; the token is revealed only into this vector). */
    public List<String> configureArgv(URI vaultUrl, String roleId, Secret wrappedToken, String secretsPath,
            String mount) {
        List<String> argv = new ArrayList<>(installation.cliPrefix());
        argv.addAll(List.of("config-vault", "configure", vaultUrl.toString(), roleId, wrappedToken.reveal(),
                secretsPath, "--mount", mount, "--yes"));
        return argv;
    }

    /**
     * {@code maas config-vault configure <url> <role_id> <wrapped_token> <path> --mount <mount> --yes}. MAAS
     * unwraps the token, tests write/read/delete of {@code <path>/test-<role_id>} with the AppRole, writes the
     * five {@code vault_*} keys into regiond.conf and marks the region configured.
     *
     * @throws MaasCliException with MAAS's (redacted) message when MAAS reports an error
     */
    public void configureVault(URI vaultUrl, String roleId, Secret wrappedToken, String secretsPath, String mount) {
        Redactor redactor = Redactor.of(wrappedToken);
        CommandResult r;
        try {
            r = runner.run(configureArgv(vaultUrl, roleId, wrappedToken, secretsPath, mount), timeout);
        } catch (RegionAccessException e) {
            // Runners never put arguments in messages; redact anyway so this stays true if one ever does.
            throw e.withMessage(redactor.redact(e.getMessage()));
        }
        if (r.exitCode() != 0 || !r.stdout().contains(CONFIGURE_SUCCESS)) {
            String msg = redactor.redact(commandErrorMessage(r));
            throw new MaasCliException("maas config-vault configure failed on " + runner.describe() + ": "
                    + (msg.isBlank() ? "exit code " + r.exitCode() : msg), r.exitCode());
        }
    }

    /** {@code maas config-vault status}, parsed from MAAS's YAML ({@code status}, {@code unconfigured_regions}). */
    public VaultStatus vaultStatus() {
        CommandResult r = runner.run(cli("config-vault", "status"), timeout);
        if (r.exitCode() != 0) {
            throw new MaasCliException("maas config-vault status failed on " + runner.describe() + ": "
                    + commandErrorMessage(r), r.exitCode());
        }
        return parseStatus(r.stdout());
    }

    static VaultStatus parseStatus(String yaml) {
        VaultStatus plain = parseSafeDumpStatus(yaml);
        return plain != null ? plain : parseStatusYaml(yaml);
    }

    /** A bare YAML scalar as PyYAML's safe_dump writes a hostname ([A-Za-z0-9][A-Za-z0-9._-]*), from index {@code from}. */
    private static boolean plainHostname(String line, int from) {
        if (line.length() <= from || ".-_".indexOf(line.charAt(from)) >= 0) {
            return false;
        }
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The exact shape MAAS prints ({@code yaml.safe_dump}: block style, {@code "[]"} when empty), read line by
     * line; null for any other shape, which the YAML parser then reads. The status lists every unconfigured
     * region of the deployment, and a YAML parse of a long list cost milliseconds per call (measured in the
     * 1000-region benchmark, where it was called twice per region).
     */
    static VaultStatus parseSafeDumpStatus(String out) {
        Boolean enabled = null;
        boolean inList = false;
        List<String> regions = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                inList = false;
            } else if (line.equals("status: enabled") || line.equals("status: disabled")) {
                if (enabled != null) {
                    return null;
                }
                enabled = line.endsWith(" enabled");
                inList = false;
            } else if (line.equals("unconfigured_regions:")) {
                inList = true;
            } else if (line.equals("unconfigured_regions: []")) {
                inList = false;
            } else if (inList && line.startsWith("- ") && plainHostname(line, 2)) {
                regions.add(line.substring(2));
            } else {
                return null;
            }
        }
        return enabled == null ? null : new VaultStatus(enabled, List.copyOf(regions));
    }

    private static VaultStatus parseStatusYaml(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (Exception e) {
            throw new MaasCliException("unexpected output of maas config-vault status (not YAML)", 0);
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) {
            throw new MaasCliException("unexpected output of maas config-vault status (no status key)", 0);
        }
        String status = root.get("status").asText();
        if (!status.equals("enabled") && !status.equals("disabled")) {
            throw new MaasCliException("unexpected status in maas config-vault status: " + status, 0);
        }
        List<String> regions = new ArrayList<>();
        root.path("unconfigured_regions").forEach(n -> regions.add(n.asText()));
        return new VaultStatus(status.equals("enabled"), regions);
    }

    /** {@code maas config-vault migrate}, classified into MAAS's outcomes. Never throws for MAAS's own errors. */
    public MigrationOutcome migrate() {
        CommandResult r = runner.run(cli("config-vault", "migrate"), migrateTimeout);
        return MigrationOutcome.parse(r, Redactor.none());
    }

    // ---- files -----------------------------------------------------------------------------------------

    public static List<String> statArgv(List<String> paths) {
        List<String> argv = new ArrayList<>(List.of("stat", "-c", STAT_FORMAT + " %n", "--"));
        argv.addAll(paths);
        return argv;
    }

    /**
     * Mode, owner and group of each path, in one {@code stat} call: each line ends with the file's
     * name ({@code %n}), so an answer is matched to its path even when another path is missing (GNU
     * stat reports that on stderr and goes on). One command instead of one per file: every command
     * is a round trip and a sudo log line on the controller.
     */
    public List<FileStatus> statFiles(List<String> paths) {
        if (paths.isEmpty()) {
            return List.of();
        }
        paths.forEach(MaasCli::requireAbsolute);
        return parseStat(paths, runner.run(statArgv(paths), timeout));
    }

    static List<FileStatus> parseStat(List<String> paths, CommandResult r) {
        java.util.Map<String, FileStatus> seen = new java.util.HashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ", 6);
            if (f.length != 6 || !f[0].matches("[0-7]{1,4}")) {
                throw new MaasCliException("unexpected stat output", 0);
            }
            String mode = String.format(Locale.ROOT, "%04o", Integer.parseInt(f[0], 8));
            String owner = "UNKNOWN".equals(f[3]) ? f[1] : f[3];
            String group = "UNKNOWN".equals(f[4]) ? f[2] : f[4];
            seen.put(f[5], new FileStatus(f[5], true, mode, owner, group));
        }
        List<FileStatus> out = new ArrayList<>();
        for (String path : paths) {
            FileStatus st = seen.get(path);
            if (st != null) {
                out.add(st);
            } else if (r.stderr().contains("'" + path + "': No such file or directory")) {
                out.add(FileStatus.missing(path));
            } else {
                throw new MaasCliException("stat failed on " + path + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()), r.exitCode());
            }
        }
        return out;
    }

    public static List<String> chownArgv(String path, String owner, String group) {
        return List.of("chown", owner + ":" + group, "--", path);
    }

    public static List<String> chmodArgv(String path, String mode) {
        return List.of("chmod", mode, "--", path);
    }

    /** {@code chown owner:group} then {@code chmod mode}; returns the file's status afterwards. */
    public FileStatus fixFile(String path, String owner, String group, String mode) {
        applyFix(path, null, owner, group, mode);
        return statFiles(List.of(path)).get(0);
    }

    /**
     * {@code chown owner:group} and {@code chmod mode}, each only where {@code current} (as stat saw
     * it; null: unknown) differs; no stat afterwards (a caller fixing several files stats them once).
     */
    public void applyFix(String path, FileStatus current, String owner, String group, String mode) {
        requireAbsolute(path);
        if (!NAME.matcher(owner).matches() || !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("owner and group must be POSIX user/group names or numeric ids");
        }
        if (!MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be octal like 0640, got " + mode);
        }
        String normalisedMode = String.format(Locale.ROOT, "%04o", Integer.parseInt(mode, 8));
        boolean known = current != null && current.exists();
        if (!known || !owner.equals(current.owner()) || !group.equals(current.group())) {
            CommandResult chown = runner.run(chownArgv(path, owner, group), timeout);
            if (chown.exitCode() != 0 && chown.stderr().contains("chown: invalid user: ")) {
                throw new UnknownAccountException(UnknownAccountException.Kind.USER, owner, "user '" + owner
                        + "' does not exist on " + runner.describe() + " (" + chown.stderr().strip() + ")", chown.exitCode());
            }
            if (chown.exitCode() != 0 && chown.stderr().contains("chown: invalid group: ")) {
                throw new UnknownAccountException(UnknownAccountException.Kind.GROUP, group, "group '" + group
                        + "' does not exist on " + runner.describe() + " (" + chown.stderr().strip() + ")", chown.exitCode());
            }
            check(chown, "chown " + path);
        }
        if (!known || !normalisedMode.equals(current.mode())) {
            check(runner.run(chmodArgv(path, normalisedMode), timeout), "chmod " + path);
        }
    }

    public static List<String> getentArgv(String database, String name) {
        return List.of("getent", database, name);
    }

    /** Whether the controller knows this user ({@code getent passwd NAME}: exit 0 found, 2 not found). */
    public boolean userExists(String name) {
        return getent("passwd", name);
    }

    /** Whether the controller knows this group ({@code getent group NAME}: exit 0 found, 2 not found). */
    public boolean groupExists(String name) {
        return getent("group", name);
    }

    private boolean getent(String database, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a POSIX user/group name: " + name);
        }
        CommandResult r = runner.run(getentArgv(database, name), timeout);
        return switch (r.exitCode()) {
            case 0 -> true;
            case 2 -> false; // getent(1): "One or more supplied key could not be found in the database."
            default -> throw new MaasCliException("getent " + database + " " + name + " failed on " + runner.describe()
                    + " (exit " + r.exitCode() + "): " + r.stderr().strip(), r.exitCode());
        };
    }

    // ---- service ---------------------------------------------------------------------------------------

    /** Restarts the region service so it reloads regiond.conf ({@code snap restart maas} or systemd). */
    public void restartRegion() {
        check(runner.run(installation.restartArgv(), timeout), String.join(" ", installation.restartArgv()));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(installation.cliPrefix());
        argv.addAll(List.of(args));
        return argv;
    }

    private void check(CommandResult r, String what) {
        if (r.exitCode() != 0) {
            throw new MaasCliException(what + " failed on " + runner.describe() + " (exit " + r.exitCode() + "): "
                    + RemoteText.excerpt(r.stderr()), r.exitCode());
        }
    }

    private static void requireAbsolute(String path) {
        if (!path.startsWith("/") || path.contains("\0") || path.contains("\n")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }

    /**
     * MAAS's error text, whole, for parsing: Django prints a {@code CommandError} as {@code CommandError: <message>}
     * on stderr and exits 1. Falls back to the whole stderr (or stdout) when the prefix is absent.
     */
    static String commandErrorText(CommandResult r) {
        String err = r.stderr();
        int i = err.lastIndexOf("CommandError: ");
        if (i >= 0) {
            return err.substring(i + "CommandError: ".length()).strip();
        }
        String s = err.strip();
        return s.isEmpty() ? r.stdout().strip() : s;
    }

    /**
     * {@link #commandErrorText} as it may appear in a message: a short sanitised excerpt ({@link RemoteText}; MAAS's
     * documented messages fit whole). Without a CommandError, a text too long to fit is a traceback or argparse's
     * usage, whose point is its last line: that line is kept. Redact after this, not before (the excerpt keeps a
     * secret whole or drops it, and would strip the redaction marks).
     */
    static String commandErrorMessage(CommandResult r) {
        String text = commandErrorText(r);
        if (!r.stderr().contains("CommandError: ")
                && RemoteText.excerpt(text, Integer.MAX_VALUE).length() > RemoteText.MAX_EXCERPT) {
            List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return RemoteText.excerpt(lines.get(lines.size() - 1));
        }
        return RemoteText.excerpt(text);
    }
}
