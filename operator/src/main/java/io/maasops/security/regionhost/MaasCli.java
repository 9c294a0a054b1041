package io.maasops.security.regionhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import io.maasops.security.validation.SafeValues;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MAAS administrator's commands on a region controller, typed: exactly what MAAS's docs tell an admin to
 * type (docs/reference/maas-internals.md §1, §7, §8), run through a {@link RegionCommandRunner}.
 *
 * <p><b>The wrapped token.</b> MAAS's CLI takes the response-wrapped secret-id only as a positional argument
 * ({@code maas config-vault configure URL ROLE_ID WRAPPED_TOKEN PATH}). So that it never travels in the command
 * line the operator sends (SSH exec request, MINA's DEBUG log of it, sudo's {@code COMMAND=} line in auth.log,
 * the {@code command=} parameters of a Kubernetes exec URL and thus the API server's audit log), {@code configure}
 * runs {@link #CONFIGURE_SCRIPT} with {@code sh -c} and writes the token, plus a newline, to its standard input;
 * the shell reads it into a variable and {@code exec}s MAAS with it. The token then exists only in {@code maas}'s
 * own argument vector on the controller while it runs (visible to root and, through /proc, to local users):
 * inherent to MAAS's CLI. It is single-use (MAAS's unwrap consumes it) and short-lived (wrap TTL, 5 m by
 * default), so a copy read there is worthless afterwards. The operator itself never logs, prints or reports it:
 * runners never log arguments or input, and every message built from MAAS's output is passed through a
 * {@link Redactor} holding the token.
 */
public final class MaasCli implements io.maasops.security.port.RegionShell {
    /** Default limits; migrate waits for regions to restart (up to ~55 s inside MAAS). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public static final Duration DEFAULT_MIGRATE_TIMEOUT = Duration.ofSeconds(180);

    static final String CONFIGURE_SUCCESS = "Vault successfully configured for the region!";
    /** The end of {@code maas}'s top-level help (maascli/__init__.py prepare_parser epilog) and the blank line after. */
    static final String MAAS_HELP_EPILOG = "\nhttps://maas.io/\n\n";
    /**
     * {@code stat} format: raw mode in hex (file type and permission bits; {@code %F} would be the type's name
     * translated into the host's locale), uid, gid, and the names the host resolves them to.
     */
    static final String STAT_FORMAT = "%f %u %g %U %G";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?|[0-9]{1,10}");
    private static final YAMLMapper YAML = new YAMLMapper();

    private final RegionCommandRunner runner;
    private final MaasPackaging installation;
    private final Duration timeout;
    private final Duration migrateTimeout;

    public MaasCli(RegionCommandRunner runner, MaasPackaging installation) {
        this(runner, installation, DEFAULT_TIMEOUT, DEFAULT_MIGRATE_TIMEOUT);
    }

    public MaasCli(RegionCommandRunner runner, MaasPackaging installation, Duration timeout, Duration migrateTimeout) {
        this.runner = runner;
        this.installation = installation;
        this.timeout = timeout;
        this.migrateTimeout = migrateTimeout;
    }

    public MaasPackaging installation() {
        return installation;
    }

    @Override
    public MaasPackaging packaging() {
        return installation;
    }

    // ---- config-vault ----------------------------------------------------------------------------------

    /**
     * The shell script of {@code configure} (POSIX; Ubuntu's {@code sh} is dash): read one line of standard input
     * into {@code t} ({@code IFS=} keeps blanks, {@code -r} keeps backslashes) and only if a whole line arrived
     * (read fails at EOF without a newline) replace the shell by MAAS, with the token as the third positional
     * argument. {@code %s} is the MAAS CLI, quoted; the other values come as {@code $1..$4}, never inside the
     * script text.
     */
    static final String CONFIGURE_SCRIPT =
            "IFS= read -r t && exec %s config-vault configure \"$1\" \"$2\" \"$t\" \"$3\" --mount \"$4\" --yes";

    /**
     * The argument vector of {@code configure} (pure): {@code sh -c SCRIPT sh URL ROLE_ID PATH MOUNT}; the wrapped
     * token is not in it, it goes to standard input ({@link #configureInput}).
     */
    public List<String> configureArgv(URI vaultUrl, String roleId, String secretsPath, String mount) {
        String script = String.format(Locale.ROOT, CONFIGURE_SCRIPT, ShellQuoting.join(installation.cliPrefix()));
        return List.of("sh", "-c", script, "sh", vaultUrl.toString(), roleId, secretsPath, mount);
    }

    /** What {@code configure} writes to the script's standard input: the token and the newline {@code read} needs. */
    static Secret configureInput(Secret wrappedToken) {
        String token = wrappedToken.reveal();
        if (token.isEmpty() || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0 || token.indexOf('\0') >= 0) {
            // read would take only part of it (or nothing); never echo it
            throw new IllegalArgumentException("the wrapped token is empty or contains a line break or NUL");
        }
        return Secret.of(token + "\n");
    }

    /**
     * {@code maas config-vault configure <url> <role_id> <wrapped_token> <path> --mount <mount> --yes}, the token
     * given on standard input (see the class comment). MAAS
     * unwraps the token, tests write/read/delete of {@code <path>/test-<role_id>} with the AppRole, writes the
     * five {@code vault_*} keys into regiond.conf and marks the region configured.
     *
     * @throws MaasCliException with MAAS's (redacted) message when MAAS reports an error
     */
    public void configureVault(URI vaultUrl, String roleId, Secret wrappedToken, String secretsPath, String mount) {
        Redactor redactor = Redactor.of(wrappedToken);
        CommandResult r;
        try {
            r = runner.run(configureArgv(vaultUrl, roleId, secretsPath, mount), configureInput(wrappedToken), timeout);
        } catch (RegionAccessException e) {
            // Runners never put arguments in messages; redact anyway so this stays true if one ever does.
            throw e.withMessage(redactor.redact(e.getMessage()));
        }
        if (r.exitCode() != 0 || !r.stdout().contains(CONFIGURE_SUCCESS)) {
            String msg = redactor.redact(commandErrorMessage(r));
            throw new MaasCliException(
                    "maas config-vault configure failed on " + runner.describe() + ": "
                            + (msg.isBlank() ? "exit code " + r.exitCode() : msg),
                    r.exitCode());
        }
    }

    /** {@code maas config-vault status}, parsed from MAAS's YAML ({@code status}, {@code unconfigured_regions}). */
    public VaultStatus vaultStatus() {
        CommandResult r = runner.run(cli("config-vault", "status"), timeout);
        if (r.exitCode() != 0) {
            throw new MaasCliException(
                    "maas config-vault status failed on " + runner.describe() + ": " + commandErrorMessage(r),
                    r.exitCode());
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
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
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

    /**
     * {@code pgrep -f '[c]onfig-vault migrate'} (procps, on every Ubuntu host): every process whose whole command line
     * holds {@code config-vault migrate} (the {@code maas} CLI and the sudo around it), whichever way MAAS is
     * installed. The bracket keeps the pattern from matching the command lines that carry it: pgrep leaves out only
     * itself, not the sudo and login shell that started it.
     */
    static final List<String> MIGRATE_RUNNING_ARGV = List.of("pgrep", "-f", "[c]onfig-vault migrate");

    /** Whether a {@code maas config-vault migrate} runs on the controller (pgrep: exit 0 found, 1 none). */
    public boolean migrateRunning() {
        CommandResult r = runner.run(MIGRATE_RUNNING_ARGV, timeout);
        return switch (r.exitCode()) {
            case 0 -> true;
            case 1 -> false;
            default ->
                throw new MaasCliException(
                        "cannot tell whether `maas config-vault migrate` runs on " + runner.describe() + " (`"
                                + String.join(" ", MIGRATE_RUNNING_ARGV) + "`, exit " + r.exitCode() + ": "
                                + RemoteText.excerpt(r.stderr()) + ")",
                        r.exitCode());
        };
    }

    // ---- files -----------------------------------------------------------------------------------------

    public static List<String> statArgv(List<String> paths) {
        List<String> argv = new ArrayList<>(List.of("stat", "-c", STAT_FORMAT + " %n", "--"));
        argv.addAll(paths);
        return argv;
    }

    /**
     * Mode, type, owner and group of each path, in one {@code stat} call, without following a symbolic link
     * (GNU stat without {@code -L} is lstat): each line ends with the file's name ({@code %n}), so an answer is
     * matched to its path even when another path is missing (GNU stat reports that on stderr and goes on). One
     * command instead of one per file: every command is a round trip and a sudo log line on the controller.
     */
    public List<FileStatus> statFiles(List<String> paths) {
        if (paths.isEmpty()) {
            return List.of();
        }
        paths.forEach(MaasCli::requireConfigFile);
        return parseStat(paths, runner.run(statArgv(paths), timeout));
    }

    /** One line in the {@link #statArgv} format (raw mode in hex, uid, gid, user, group, path); null if it is not one. */
    static FileStatus parseStatLine(String line) {
        String[] f = line.split(" ", 6);
        if (f.length != 6 || !f[0].matches("[0-9a-f]{4,6}") || (Integer.parseInt(f[0], 16) & 0170000) == 0) {
            return null; // %f always carries the file type bits
        }
        int raw = Integer.parseInt(f[0], 16);
        String mode = String.format(Locale.ROOT, "%04o", raw & 07777);
        String owner = "UNKNOWN".equals(f[3]) ? f[1] : f[3];
        String group = "UNKNOWN".equals(f[4]) ? f[2] : f[4];
        return new FileStatus(f[5], true, mode, owner, group, FileStatus.FileType.ofRawMode(raw));
    }

    static List<FileStatus> parseStat(List<String> paths, CommandResult r) {
        java.util.Map<String, FileStatus> seen = new java.util.HashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            FileStatus st = parseStatLine(line);
            if (st == null) {
                throw new MaasCliException("unexpected stat output", 0);
            }
            seen.put(st.path(), st);
        }
        List<FileStatus> out = new ArrayList<>();
        for (String path : paths) {
            FileStatus st = seen.get(path);
            if (st != null) {
                out.add(st);
            } else if (r.stderr().contains("'" + path + "': No such file or directory")) {
                out.add(FileStatus.missing(path));
            } else {
                throw new MaasCliException(
                        "stat failed on " + path
                                + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()),
                        r.exitCode());
            }
        }
        return out;
    }

    /**
     * The fix: {@code python3 -I -S -c FIX_SCRIPT owner group mode path...}, one command for every file to fix, that
     * changes owner, group and mode of each regular file and never follows a symbolic link, even one swapped in
     * after the stat.
     *
     * <p>Why a script: GNU {@code chmod} always follows a symbolic link named on its command line (no
     * {@code --no-dereference} before coreutils 9.6; Ubuntu 22.04 has 8.32, 24.04 has 9.4), and {@code chown -h}
     * then {@code chmod} are two look-ups of the path that a swap can get between. The script opens the file
     * once with {@code O_NOFOLLOW}, proves it a regular file with {@code fstat} and changes what it opened
     * ({@code fchown}, {@code fchmod} on the descriptor): there is no second look-up to race. The directories on
     * the way are opened one by one with {@code O_NOFOLLOW} too; a symbolic link on the way is followed only
     * when root owns it and only root can write the directory holding it (the snap's
     * {@code /var/snap/maas/current}), so a link the {@code maas} user plants in {@code /etc/maas} or
     * {@code /var/lib/maas} (it owns both on deb hosts) leads nowhere. An lstat before the open keeps devices
     * and FIFOs from being opened at all; {@code O_NONBLOCK}/{@code O_NOCTTY} cover one swapped in between.
     * python3 is on every Ubuntu server (netplan, cloud-init and MAAS's own deb packages are Python); {@code -I}
     * ignores PYTHON* variables and the working directory, {@code -S} skips site-packages.
     *
     * <p>Answer: exit 1 with GNU chown's wording on stderr ({@code chown: invalid user: 'u:g'}) when an account is
     * unknown, before any file is touched. Otherwise exit 0 and one stdout line per path, in argument order, that
     * starts with a code ({@link FixOutcome#parse}): 0 changed, then the file as fstat sees it after the change in
     * the {@link #statArgv} format (so no stat is needed afterwards); 3 not a regular file, then the same format as
     * lstat saw it; 4 missing; 1 not changed, then why. One command instead of one per file: every command is a
     * round trip, an SSH channel and a sudo log line on the controller. Residual risks: a hard link that the
     * {@code maas} user made to another file it may read and write (protected_hardlinks, on by default, refuses
     * any other) would be changed to the wanted owner and mode, which takes access away rather than granting any;
     * ACLs are not looked at. The text has no backslash and no single quote (it travels as one shell word); the
     * region host double recognises exactly this text.
     */
    public static final String FIX_SCRIPT = """
            import errno, grp, os, pwd, stat, sys
            user, group, mode = sys.argv[1:4]
            def account(lookup, name, kind):
                try:
                    return lookup(name)[2]
                except KeyError:
                    if name.isdigit():
                        return int(name)
                    print("chown: invalid %s: %s" % (kind, repr(user + ":" + group)), file=sys.stderr)
                    sys.exit(1)
            def name(lookup, id):
                try:
                    return lookup(id)[0]
                except KeyError:
                    return "UNKNOWN"
            def report(code, st, path):
                print("%d %x %d %d %s %s %s" % (code, st.st_mode, st.st_uid, st.st_gid,
                    name(pwd.getpwuid, st.st_uid), name(grp.getgrgid, st.st_gid), path))
            uid = account(pwd.getpwnam, user, "user")
            gid = account(grp.getgrnam, group, "group")
            DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
            def fix(path, opened):
                d = os.open("/", DIR)
                opened.append(d)
                todo = path.split("/")[1:]
                hops = 0
                while len(todo) > 1:
                    part = todo.pop(0)
                    if part in ("", "."):
                        continue
                    st = os.stat(part, dir_fd=d, follow_symlinks=False)
                    if stat.S_ISLNK(st.st_mode):
                        here = os.fstat(d)
                        if st.st_uid != 0 or here.st_uid != 0 or here.st_mode & 0o022:
                            print("1 %s: not changed: it goes through %s, a symbolic link not both owned by root and in"
                                " a directory only root can write; the operator never follows such links" % (path, repr(part)))
                            return
                        hops += 1
                        if hops > 40:
                            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
                        target = os.readlink(part, dir_fd=d)
                        if target.startswith("/"):
                            d = os.open("/", DIR)
                            opened.append(d)
                        todo = target.split("/") + todo
                        continue
                    d = os.open(part, DIR, dir_fd=d)
                    opened.append(d)
                st = os.stat(todo[0], dir_fd=d, follow_symlinks=False)
                if not stat.S_ISREG(st.st_mode):
                    return report(3, st, path)
                try:
                    fd = os.open(todo[0], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=d)
                except OSError as e:
                    if e.errno != errno.ELOOP:
                        raise
                    return report(3, os.stat(todo[0], dir_fd=d, follow_symlinks=False), path)
                opened.append(fd)
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    return report(3, st, path)
                os.fchown(fd, uid, gid)
                os.fchmod(fd, int(mode, 8))
                report(0, os.fstat(fd), path)
            for path in sys.argv[4:]:
                opened = []
                try:
                    fix(path, opened)
                except FileNotFoundError:
                    print("4 %s: No such file or directory" % path)
                except OSError as e:
                    print("1 %s: %s" % (path, e.strerror))
                for fd in opened:
                    os.close(fd)
            """;

    public static List<String> fixArgv(List<String> paths, String owner, String group, String mode) {
        List<String> argv = new ArrayList<>(List.of("python3", "-I", "-S", "-c", FIX_SCRIPT, owner, group, mode));
        argv.addAll(paths);
        return argv;
    }

    /**
     * Owner, group and mode of one regular file, without following links; returns the file's status afterwards.
     *
     * @throws FileRefusedException when the path was missing or not a regular file (nothing changed)
     * @throws UnknownAccountException when the host does not know the owner or group
     * @throws MaasCliException when the file could not be changed
     */
    public FileStatus fixFile(String path, String owner, String group, String mode) {
        FixOutcome o = fixFiles(List.of(path), owner, group, mode).get(0);
        return switch (o.kind()) {
            case CHANGED -> o.status();
            case REFUSED -> throw new FileRefusedException(o.status(), o.message(), 0);
            case FAILED -> throw new MaasCliException(o.message(), 0);
        };
    }

    /**
     * Owner, group and mode of each regular file, in one command ({@link #FIX_SCRIPT}); one outcome per path, in
     * order, each changed file with its status after the change.
     *
     * @throws UnknownAccountException when the host does not know the owner or group (no file was changed)
     * @throws MaasCliException when the command itself failed
     */
    public List<FixOutcome> fixFiles(List<String> paths, String owner, String group, String mode) {
        paths.forEach(MaasCli::requireConfigFile);
        if (!NAME.matcher(owner).matches() || !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("owner and group must be POSIX user/group names or numeric ids");
        }
        if (!SafeValues.isConfigFileMode(mode)) {
            throw new IllegalArgumentException("mode must be octal like 0640, without bits for others and without"
                    + " setuid, setgid or sticky bit, got " + mode);
        }
        if (paths.isEmpty()) {
            return List.of();
        }
        String normalisedMode = String.format(Locale.ROOT, "%04o", Integer.parseInt(mode, 8));
        CommandResult r = runner.run(fixArgv(paths, owner, group, normalisedMode), timeout);
        if (r.exitCode() == 1) { // an unknown account, in chown's words, before any file was touched
            for (var kind : UnknownAccountException.Kind.values()) {
                String word = kind.name().toLowerCase(Locale.ROOT);
                String name = kind == UnknownAccountException.Kind.USER ? owner : group;
                if (r.stderr().contains("chown: invalid " + word + ": ")) {
                    throw new UnknownAccountException(
                            kind,
                            name,
                            word + " '" + name + "' does not exist on " + runner.describe() + " ("
                                    + r.stderr().strip() + ")",
                            r.exitCode());
                }
            }
        }
        return FixOutcome.parse(paths, r, runner.describe());
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
            default ->
                throw new MaasCliException(
                        "getent " + database + " " + name + " failed on " + runner.describe() + " (exit " + r.exitCode()
                                + "): " + r.stderr().strip(),
                        r.exitCode());
        };
    }

    // ---- service ---------------------------------------------------------------------------------------

    /** Only the restart commands of MAAS's own services: the argv comes from the operator's table, checked anyway. */
    private static final Pattern RESTART = Pattern.compile("snap restart maas|systemctl restart( maas-[a-z-]+)+");

    /**
     * Restarts the processes that hold a Vault client so they read regiond.conf again ({@code snap restart maas}, or
     * {@code systemctl restart} with every such unit: systemd does not restart the units regiond {@code Requires=}).
     */
    public void restartRegion(List<String> argv) {
        String line = String.join(" ", argv);
        if (!RESTART.matcher(line).matches()
                || !line.startsWith(installation == MaasPackaging.SNAP ? "snap" : "systemctl")) {
            throw new IllegalArgumentException(
                    "not a restart of MAAS's services on a " + installation + " install: " + line);
        }
        check(runner.run(argv, timeout), line);
    }

    /**
     * deb: {@code systemctl is-active UNIT...} prints one state per unit, in order, and exits 0 when <em>any</em> is
     * active, so each line is read ("active" or not: "failed", "inactive", "activating", …); snap: {@code snap
     * services maas} prints a header and one row per service (Service, Startup, Current, Notes).
     */
    public List<String> inactiveServices(List<String> units) {
        if (installation == MaasPackaging.DEB) {
            for (String u : units) {
                if (!u.matches("maas-[a-z-]+")) {
                    throw new IllegalArgumentException("not a MAAS unit: " + u);
                }
            }
            List<String> argv = new ArrayList<>(List.of("systemctl", "is-active"));
            argv.addAll(units);
            CommandResult r = runner.run(argv, timeout);
            List<String> states = r.stdout().lines().map(String::strip).toList();
            if (states.size() != units.size()) {
                check(r, String.join(" ", argv)); // no state per unit: report what systemctl said
                throw new MaasCliException(
                        String.join(" ", argv) + " on " + runner.describe() + " printed " + states.size()
                                + " states for " + units.size() + " units",
                        r.exitCode());
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < units.size(); i++) {
                if (!states.get(i).equals("active")) {
                    out.add(units.get(i) + " (" + states.get(i) + ")");
                }
            }
            return out;
        }
        CommandResult r = runner.run(List.of("snap", "services", "maas"), timeout);
        check(r, "snap services maas");
        List<String> out = new ArrayList<>();
        List<String> rows = r.stdout().lines().skip(1).filter(l -> !l.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new MaasCliException("snap services maas on " + runner.describe() + " listed no service", 0);
        }
        for (String row : rows) {
            String[] cols = row.trim().split("\\s+");
            if (cols.length < 3 || !cols[2].equals("active")) {
                out.add(cols[0] + " (" + (cols.length >= 3 ? cols[2] : "?") + ")");
            }
        }
        return out;
    }

    /**
     * {@code snap list maas} (the Version column of its one row) or {@code dpkg-query -W -f=${Version}
     * maas-region-api}: the form {@code maasversion.MaasVersion} parses. A controller where MAAS is not installed
     * that way answers as the package manager does (snap: "error: no matching snaps installed", dpkg-query: exit 1;
     * a missing program: exit 127), which becomes a {@link MaasCliException} naming the installation.
     */
    public String installedVersion() {
        List<String> argv = installation == MaasPackaging.SNAP
                ? List.of("snap", "list", "maas")
                : List.of("dpkg-query", "-W", "-f=${Version}", "maas-region-api");
        CommandResult r = runner.run(argv, timeout);
        if (r.exitCode() != 0) {
            throw new MaasCliException(
                    "MAAS is not installed as a " + installation.name().toLowerCase(Locale.ROOT) + " on "
                            + runner.describe() + " (`" + String.join(" ", argv) + "`, exit " + r.exitCode() + ": "
                            + RemoteText.excerpt(r.stderr()) + ")",
                    r.exitCode());
        }
        if (installation == MaasPackaging.DEB) {
            return r.stdout().strip();
        }
        for (String row : r.stdout().lines().skip(1).toList()) {
            String[] cols = row.trim().split("\\s+");
            if (cols.length >= 2 && cols[0].equals("maas")) {
                return cols[1];
            }
        }
        return "";
    }

    static final String ROLE_ID_KEY = "vault_approle_id:";
    /** What Vault issues as a role-id (a UUID); anything else found there is reported as unreadable, never echoed. */
    private static final Pattern ROLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * {@code grep -m 1 -e ^vault_approle_id: -- PATH}: only that line leaves the controller, never the secret-id or
     * the database password beside it in regiond.conf (a link planted in its place leads to a file whose lines do
     * not start with the key: nothing is printed).
     */
    public static List<String> regiondConfRoleIdArgv(String path) {
        return List.of("grep", "-m", "1", "-e", "^" + ROLE_ID_KEY, "--", path);
    }

    /**
     * The role-id regiond.conf names ({@code vault_approle_id}), empty when the key is absent, empty or null.
     * regiond.conf is a flat YAML mapping MAAS saves with {@code safe_dump} (docs/reference/maas-internals.md): the
     * key starts its line. grep exits 0 found, 1 none, 2 on an error (e.g. the file is missing).
     */
    public java.util.Optional<String> regiondConfRoleId() {
        String path = installation.regiondConf();
        CommandResult r = runner.run(regiondConfRoleIdArgv(path), timeout);
        if (r.exitCode() == 1) {
            return java.util.Optional.empty();
        }
        check(r, "grep " + ROLE_ID_KEY + " " + path);
        return parseRoleIdLine(r.stdout());
    }

    static java.util.Optional<String> parseRoleIdLine(String out) {
        String line = out.strip();
        if (!line.startsWith(ROLE_ID_KEY)) {
            throw new MaasCliException("unexpected output when reading " + ROLE_ID_KEY + " from regiond.conf", 0);
        }
        String v = line.substring(ROLE_ID_KEY.length()).strip();
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || v.equals("null") || v.equals("~")) {
            return java.util.Optional.empty();
        }
        if (!ROLE_ID.matcher(v).matches()) {
            throw new MaasCliException(ROLE_ID_KEY + " in regiond.conf does not hold a role-id", 0);
        }
        return java.util.Optional.of(v);
    }

    /** {@code id -nG USER}: every group the user is in, primary first; empty when the user does not exist (exit 1). */
    public List<String> groupsOf(String user) {
        if (!NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("not a POSIX user name: " + user);
        }
        CommandResult r = runner.run(List.of("id", "-nG", "--", user), timeout);
        if (r.exitCode() == 1 && r.stderr().contains("no such user")) {
            return List.of();
        }
        check(r, "id -nG " + user);
        return List.of(r.stdout().strip().split("\\s+"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(installation.cliPrefix());
        argv.addAll(List.of(args));
        return argv;
    }

    private void check(CommandResult r, String what) {
        if (r.exitCode() != 0) {
            throw new MaasCliException(
                    what + " failed on " + runner.describe() + " (exit " + r.exitCode() + "): "
                            + RemoteText.excerpt(r.stderr()),
                    r.exitCode());
        }
    }

    /** The third check of a config file path (after the CRD schema and SpecValidator), right before a command. */
    private static void requireConfigFile(String path) {
        if (!SafeValues.isConfigFilePath(path)) {
            throw new IllegalArgumentException("not a file inside /etc/maas/, /var/lib/maas/ or /var/snap/maas/: "
                    + (path == null || path.length() <= 80 ? path : path.substring(0, 60) + "..."));
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
        String s = withoutHelpText(err).strip();
        return s.isEmpty() ? r.stdout().strip() : s;
    }

    /**
     * The message without the help text the {@code maas} CLI prints before it. Any failure that is not a Django
     * {@code CommandError} (an exception from MAAS's code, a usage error) goes to maascli's {@code
     * ArgumentParser.error}, which prints the whole help of the (sub)parser, then a blank line, the bare message and
     * a newline, and exits 2 (canonical/maas src/maascli/__init__.py main, src/maascli/parser.py error; the same
     * on branches 3.3 … 3.8). Help texts start with argparse's {@code usage: } line. The top-level help ends with
     * its epilog {@code https://maas.io/}: the message is everything after it (an exception's text may have
     * several lines and blank lines, e.g. hvac's "1 error occurred:"); a sub-command's help has no epilog and
     * argparse's own messages are one line: the message is what follows the last blank line. Anything else is
     * returned unchanged.
     */
    static String withoutHelpText(String stderr) {
        if (!stderr.startsWith("usage: ")) {
            return stderr;
        }
        int epilog = stderr.indexOf(MAAS_HELP_EPILOG);
        if (epilog >= 0) {
            return stderr.substring(epilog + MAAS_HELP_EPILOG.length());
        }
        String body = stderr.stripTrailing();
        int blank = body.lastIndexOf("\n\n");
        return blank < 0 ? body : body.substring(blank + 2);
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
            List<String> lines =
                    text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return RemoteText.excerpt(lines.get(lines.size() - 1));
        }
        return RemoteText.excerpt(text);
    }
}
