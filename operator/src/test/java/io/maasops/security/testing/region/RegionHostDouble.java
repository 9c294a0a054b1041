package io.maasops.security.testing.region;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.region.Installation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One simulated MAAS region host: a real SSH server (Apache MINA SSHD) on 127.0.0.1 with its own host key,
 * accepting only the authorised client key(s), whose "login shell" splits the exec line with POSIX rules
 * ({@link ShellWords}) and runs exactly the commands the operator sends:
 * <ul>
 *   <li>{@code sudo -n -- <cmd>} (or {@code sudo -n <cmd>}); refused with sudo's own message when {@link #refuseSudo};</li>
 *   <li>{@code stat -c '%a %u %g %U %G %n' -- <path>...}, {@code chown <user>:<group> -- <path>},
 *       {@code chmod <octal> -- <path>} over a {@link VirtualFileSystem} with real modes and owners;</li>
 *   <li>{@code getent passwd|group <name>} over the host's user and group tables;</li>
 *   <li>{@code maas config-vault configure|status|migrate} ({@link SimulatedMaasCli}: real HTTP to Vault);</li>
 *   <li>{@code snap restart maas} (snap hosts), {@code systemctl restart maas-regiond} (deb hosts);</li>
 *   <li>{@code printf '%s\0' args...} and {@code sleep N} for transport tests.</li>
 * </ul>
 * Commands other than stat/printf/sleep need root: run them via sudo or log in as root.
 * Faults: {@link #stop()}/{@link #start()} (host down, same port), {@link #rotateHostKey()}, {@link #hang},
 * {@link #refuseSudo}. Inspection: {@link #regiondConf()}, {@link #file}, {@link #restartCount()},
 * {@link #commandLog()} (wrapped tokens redacted), {@link #unsafeCommandLines()}.
 */
public final class RegionHostDouble implements AutoCloseable {
    static final int MAAS_UID = 113;
    static final int MAAS_GID = 119;
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final SimulatedMaasDeployment deployment;
    private final String hostname;
    private final Installation installation;
    private final VirtualFileSystem fs = new VirtualFileSystem();
    private final AtomicReference<KeyPair> hostKey = new AtomicReference<>(KeyMaterial.generateEd25519());
    private final Set<PublicKey> authorizedKeys = new CopyOnWriteArraySet<>();
    private final List<String> commandLog = new CopyOnWriteArrayList<>();
    private final List<String> unsafeCommandLines = new CopyOnWriteArrayList<>();
    private final Set<String> hangingPrograms = new CopyOnWriteArraySet<>();
    private final Map<String, String> failingCommands = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger runningHangs = new AtomicInteger();
    private final ExecutorService commands;
    private final SimulatedMaasCli maasCli;
    private volatile boolean sudoRefused;
    private volatile SshServer server;
    private volatile int port;
    /** Non-null when this host is served by a shared SSH server (scale runs) instead of its own. */
    private final SharedSshFront front;
    private volatile boolean frontRegistered;

    RegionHostDouble(SimulatedMaasDeployment deployment, String hostname, Installation installation,
            PublicKey authorizedKey, int port) {
        this(deployment, hostname, installation, authorizedKey, port, null);
    }

    RegionHostDouble(SimulatedMaasDeployment deployment, String hostname, Installation installation,
            PublicKey authorizedKey, int port, SharedSshFront front) {
        this.front = front;
        this.commands = front != null ? front.commands() : newCommandPool();
        this.deployment = deployment;
        this.port = port;
        this.hostname = hostname;
        this.installation = installation;
        if (authorizedKey != null) {
            authorizedKeys.add(authorizedKey);
        }
        this.maasCli = new SimulatedMaasCli(this, deployment);
        seedFiles();
    }

    private void seedFiles() {
        Map<String, Object> regiond = new TreeMap<>();
        regiond.put("maas_url", "http://" + hostname + ":5240/MAAS");
        regiond.put("database_host", "localhost");
        regiond.put("database_name", "maasdb");
        regiond.put("database_user", "maas");
        regiond.put("database_pass", "SIMULATED-db-password");
        Map<String, Object> rackd = new TreeMap<>(Map.of("maas_url", "http://" + hostname + ":5240/MAAS"));
        // deb packages ship maas:maas 0640 (postinst chown); the snap keeps root-owned files under $SNAP_DATA.
        boolean deb = installation == Installation.DEB;
        int uid = deb ? MAAS_UID : 0;
        int gid = deb ? MAAS_GID : 0;
        fs.put(installation.regiondConf(), yaml(regiond), deb ? 0640 : 0644, uid, gid);
        fs.put(installation.rackdConf(), yaml(rackd), deb ? 0640 : 0644, uid, gid);
        fs.put(installation.sharedSecret(), deployment.rpcSharedSecret(), 0640, uid, gid);
    }

    static ExecutorService newCommandPool() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "region-host-double-cmd");
            t.setDaemon(true);
            return t;
        });
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    /** Starts (or restarts after {@link #stop()}) the SSH server; after the first start the port stays the same. */
    public synchronized RegionHostDouble start() {
        if (front != null) {
            front.register(this);
            frontRegistered = true;
            return this;
        }
        if (server != null) {
            return this;
        }
        SshServer s = startSshServer(port, hostKey::get, (user, key, session) -> isAuthorized(key),
                (channel, line) -> new SimulatedCommand(line), "region host double on port " + port);
        port = ((InetSocketAddress) s.getBoundAddresses().iterator().next()).getPort();
        server = s;
        return this;
    }

    /**
     * An SSH server on 127.0.0.1 the way every region host double runs one (its own or a
     * {@link SharedSshFront}): one host key, public keys only, TCP_NODELAY (a double should not add
     * Nagle delays of its own to what is measured).
     */
    static SshServer startSshServer(int port, java.util.function.Supplier<KeyPair> hostKey,
            org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator keys,
            org.apache.sshd.server.command.CommandFactory commandFactory, String what) {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(s, true);
        s.setPort(port);
        s.setKeyPairProvider(new KeyPairProvider() {
            @Override
            public Iterable<KeyPair> loadKeys(SessionContext session) {
                return List.of(hostKey.get());
            }
        });
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setPublickeyAuthenticator(keys);
        s.setCommandFactory(commandFactory);
        try {
            s.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + what, e);
        }
        return s;
    }

    /** Fault: the host goes down (listener closed, sessions dropped). {@link #start()} brings it back. */
    public synchronized void stop() {
        if (front != null) {
            front.unregister(this);   // new logins as this host fail; open sessions stay (see SharedSshFront)
            frontRegistered = false;
            return;
        }
        SshServer s = server;
        server = null;
        if (s != null) {
            try {
                s.stop(true);
            } catch (IOException ignored) {
                // already down
            }
        }
    }

    public boolean isUp() {
        return front != null ? frontRegistered : server != null;
    }

    @Override
    public void close() {
        stop();
        if (front == null) {
            commands.shutdownNow();   // a shared front's pool is closed with the front
        }
    }

    // ---- identity ----------------------------------------------------------------------------------

    public String hostname() {
        return hostname;
    }

    public Installation installation() {
        return installation;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return front != null ? front.port() : port;
    }

    /** The login the operator uses: {@code ubuntu}, or the hostname behind a {@link SharedSshFront} (it picks the host). */
    public String sshUser() {
        return front != null ? hostname : "ubuntu";
    }

    public PublicKey hostPublicKey() {
        return front != null ? front.hostPublicKey() : hostKey.get().getPublic();
    }

    /** The known_hosts line a test pins, e.g. {@code [127.0.0.1]:40123 ssh-ed25519 AAAA...}. */
    public String knownHostsLine() {
        return KeyMaterial.knownHostsLine(host(), port(), hostPublicKey());
    }

    boolean isAuthorized(PublicKey key) {
        return authorizedKeys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    /** An exec channel's command, for the {@link SharedSshFront}. */
    Command newCommand(String line) {
        return new SimulatedCommand(line);
    }

    public void authorize(PublicKey clientKey) {
        authorizedKeys.add(clientKey);
    }

    // ---- faults ------------------------------------------------------------------------------------

    /** Fault: the host key changes (as after a reinstall). Open sessions are dropped, like an sshd restart. */
    public synchronized void rotateHostKey() {
        if (front != null) {
            throw new UnsupportedOperationException("a host behind a shared SSH front has the front's host key");
        }
        hostKey.set(KeyMaterial.generateEd25519());
        if (server != null) {
            server.getActiveSessions().forEach(sess -> sess.close(true));
        }
    }

    /** Fault: commands whose program (after sudo) is {@code program} hang until their channel closes. */
    public void hang(String program) {
        hangingPrograms.add(program);
    }

    public void unhang(String program) {
        hangingPrograms.remove(program);
    }

    /** Commands currently hanging (for tests to see that a timeout closed them). */
    public int hangingNow() {
        return runningHangs.get();
    }

    /**
     * Fault: commands whose words (after sudo) start with {@code commandPrefix} (e.g. "snap restart maas",
     * "maas config-vault status") exit 1 with {@code stderr} and do nothing.
     */
    public void failCommand(String commandPrefix, String stderr) {
        failingCommands.put(commandPrefix, stderr);
    }

    public void stopFailing(String commandPrefix) {
        failingCommands.remove(commandPrefix);
    }

    /** Fault: {@code sudo -n} says a password is required. */
    public void refuseSudo(boolean refuse) {
        this.sudoRefused = refuse;
    }

    // ---- inspection --------------------------------------------------------------------------------

    public VirtualFileSystem fs() {
        return fs;
    }

    public VirtualFileSystem.FileEntry file(String path) {
        return fs.get(path).orElse(null);
    }

    /** "0640"-style mode of a file. */
    public String fileMode(String path) {
        return String.format(Locale.ROOT, "%04o", file(path).mode());
    }

    public String fileOwnerGroup(String path) {
        VirtualFileSystem.FileEntry f = file(path);
        return fs.userName(f.uid()) + ":" + fs.groupName(f.gid());
    }

    /** regiond.conf parsed as the flat YAML mapping MAAS keeps there. */
    public Map<String, Object> regiondConf() {
        return readYaml(installation.regiondConf());
    }

    void updateRegiondConf(Map<String, Object> updates) {
        Map<String, Object> conf = new TreeMap<>(regiondConf());
        conf.putAll(updates);
        fs.writeContent(installation.regiondConf(), yaml(conf)); // keeps mode and owner, as MAAS's save() does
    }

    public int restartCount() {
        return restarts.get();
    }

    void recordServiceRestart() {
        restarts.incrementAndGet();
    }

    /** Every command line received, as words joined by spaces, wrapped tokens replaced by {@code <redacted>}. */
    public List<String> commandLog() {
        return List.copyOf(commandLog);
    }

    /** Exec lines refused because a real shell would have interpreted them beyond plain words. */
    public List<String> unsafeCommandLines() {
        return List.copyOf(unsafeCommandLines);
    }

    private Map<String, Object> readYaml(String path) {
        try {
            Map<String, Object> m = YAML.readValue(file(path).content(), new TypeReference<Map<String, Object>>() { });
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String yaml(Map<String, Object> map) {
        try {
            return YAML.writeValueAsString(new TreeMap<>(map));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the shell ---------------------------------------------------------------------------------

    /** What a command printed and returned. */
    record Outcome(int exit, String stdout, String stderr) {
        static Outcome ok(String stdout) {
            return new Outcome(0, stdout, "");
        }

        static Outcome fail(int exit, String stderr) {
            return new Outcome(exit, "", stderr);
        }
    }

    /** Who runs the command: uid 0 for root (login as root, or via sudo). */
    record Caller(int uid, String user) {
        boolean root() {
            return uid == 0;
        }
    }

    /**
     * Runs an argument vector as root, as the container runtime runs a pod exec (no shell, no sudo):
     * the pod-exec face of this host for {@code KubeApiDouble#addPod}.
     */
    public io.maasops.security.testing.kube.PodExec.Result runInContainer(List<String> argv, CountDownLatch clientGone) {
        String line = argv.stream().map(io.maasops.security.region.ShellQuoting::quote).collect(java.util.stream.Collectors.joining(" "));
        Outcome o = execute(line, "root", clientGone);
        return new io.maasops.security.testing.kube.PodExec.Result(o.exit(), o.stdout(), o.stderr());
    }

    Outcome execute(String line, String loginUser, CountDownLatch closed) {
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (ShellWords.UnsafeShellSyntax e) {
            unsafeCommandLines.add(line);
            commandLog.add("<refused: " + e.getMessage() + ">");
            return Outcome.fail(2, "sh: 1: refused by region host double: " + e.getMessage() + "\n");
        }
        commandLog.add(String.join(" ", SimulatedMaasCli.redactForLog(words)));
        if (words.isEmpty()) {
            return Outcome.ok("");
        }
        Caller caller = "root".equals(loginUser) ? new Caller(0, "root")
                : new Caller(fs.uid(loginUser).orElse(1000), loginUser);
        if (words.get(0).equals("sudo")) {
            int i = 1;
            boolean nonInteractive = false;
            while (i < words.size() && words.get(i).startsWith("-")) {
                String opt = words.get(i++);
                if (opt.equals("--")) {
                    break;
                }
                if (opt.equals("-n")) {
                    nonInteractive = true;
                }
            }
            if (sudoRefused && !caller.root()) {
                return nonInteractive ? Outcome.fail(1, "sudo: a password is required\n")
                        : Outcome.fail(1, "sudo: a terminal is required to read the password; either use the -S"
                                + " option to read from standard input or configure an askpass helper\n");
            }
            words = words.subList(i, words.size());
            caller = new Caller(0, "root");
            if (words.isEmpty()) {
                return Outcome.fail(1, "usage: sudo -h | -K | -k | -V\n");
            }
        }
        String program = words.get(0);
        String joined = String.join(" ", words);
        for (Map.Entry<String, String> f : failingCommands.entrySet()) {
            if (joined.equals(f.getKey()) || joined.startsWith(f.getKey() + " ")) {
                return Outcome.fail(1, f.getValue());
            }
        }
        if (hangingPrograms.contains(program)) {
            runningHangs.incrementAndGet();
            try {
                closed.await(120, TimeUnit.SECONDS); // bounded: released when the client closes the channel
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                runningHangs.decrementAndGet();
            }
            return Outcome.fail(143, "");
        }
        List<String> args = words.subList(1, words.size());
        return switch (program) {
            case "stat" -> stat(args);
            case "chown" -> chown(caller, args);
            case "chmod" -> chmod(caller, args);
            case "getent" -> getent(args);
            case "printf" -> printf(args);
            case "sleep" -> sleep(args, closed);
            case "maas" -> caller.root() ? maasCli.run(args)
                    : Outcome.fail(1, "PermissionError: [Errno 13] Permission denied: '" + installation.regiondConf() + "'\n");
            case "snap" -> installation == Installation.SNAP ? snap(caller, args) : notFound(program);
            case "systemctl" -> installation == Installation.DEB ? systemctl(caller, args) : notFound(program);
            default -> notFound(program);
        };
    }

    private static Outcome notFound(String program) {
        return Outcome.fail(127, "sh: 1: " + program + ": not found\n");
    }

    /** Non-option arguments, GNU style: options end at "--". */
    private static List<String> operands(List<String> args) {
        List<String> out = new java.util.ArrayList<>();
        boolean optionsEnded = false;
        for (String a : args) {
            if (!optionsEnded && a.equals("--")) {
                optionsEnded = true;
            } else if (optionsEnded || !a.startsWith("-") || a.length() == 1) {
                out.add(a);
            }
        }
        return out;
    }

    private Outcome stat(List<String> args) {
        if (args.size() < 3 || !args.get(0).equals("-c")) {
            return Outcome.fail(1, "stat: region host double supports only: stat -c FORMAT -- FILE...\n");
        }
        String format = args.get(1);
        List<String> files = operands(args.subList(2, args.size()));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (String path : files) {
            var f = fs.get(path);
            if (f.isEmpty()) {
                err.append("stat: cannot statx '").append(path).append("': No such file or directory\n");
                continue;
            }
            var e = f.get();
            out.append(format.replace("%a", Integer.toOctalString(e.mode()))
                    .replace("%u", Integer.toString(e.uid())).replace("%g", Integer.toString(e.gid()))
                    .replace("%U", fs.userName(e.uid())).replace("%G", fs.groupName(e.gid()))
                    .replace("%n", path)).append('\n');
        }
        return new Outcome(err.length() == 0 ? 0 : 1, out.toString(), err.toString());
    }

    private Outcome chown(Caller caller, List<String> args) {
        List<String> ops = operands(args);
        if (ops.size() != 2) {
            return Outcome.fail(1, "chown: missing operand\n");
        }
        String spec = ops.get(0);
        String path = ops.get(1);
        String[] ug = spec.split(":", -1);
        var uid = fs.uid(ug[0]);
        var gid = ug.length > 1 ? fs.gid(ug[1]) : java.util.Optional.<Integer>empty();
        if (uid.isEmpty() || (ug.length > 1 && gid.isEmpty())) {
            return Outcome.fail(1, "chown: invalid " + (uid.isEmpty() ? "user" : "group") + ": '" + spec + "'\n");
        }
        var f = fs.get(path);
        if (f.isEmpty()) {
            return Outcome.fail(1, "chown: cannot access '" + path + "': No such file or directory\n");
        }
        if (!caller.root()) {
            return Outcome.fail(1, "chown: changing ownership of '" + path + "': Operation not permitted\n");
        }
        fs.chown(path, uid.get(), gid.orElse(f.get().gid()));
        return Outcome.ok("");
    }

    private Outcome chmod(Caller caller, List<String> args) {
        List<String> ops = operands(args);
        if (ops.size() != 2 || !ops.get(0).matches("[0-7]{3,4}")) {
            return Outcome.fail(1, "chmod: region host double supports only: chmod OCTAL -- FILE\n");
        }
        String path = ops.get(1);
        var f = fs.get(path);
        if (f.isEmpty()) {
            return Outcome.fail(1, "chmod: cannot access '" + path + "': No such file or directory\n");
        }
        if (!caller.root() && caller.uid() != f.get().uid()) {
            return Outcome.fail(1, "chmod: changing permissions of '" + path + "': Operation not permitted\n");
        }
        fs.chmod(path, Integer.parseInt(ops.get(0), 8));
        return Outcome.ok("");
    }

    /**
     * {@code getent passwd|group NAME}: the database line and exit 0, or nothing and exit 2 ("One or more
     * supplied key could not be found in the database"), as glibc's getent does.
     */
    private Outcome getent(List<String> args) {
        if (args.size() != 2) {
            return Outcome.fail(1, "getent: region host double supports only: getent passwd|group NAME\n");
        }
        String name = args.get(1);
        return switch (args.get(0)) {
            case "passwd" -> fs.namedUid(name)
                    .map(uid -> Outcome.ok(name + ":x:" + uid + ":" + uid + "::/nonexistent:/usr/sbin/nologin\n"))
                    .orElse(new Outcome(2, "", ""));
            case "group" -> fs.namedGid(name).map(gid -> Outcome.ok(name + ":x:" + gid + ":\n"))
                    .orElse(new Outcome(2, "", ""));
            default -> Outcome.fail(1, "Unknown database: " + args.get(0) + "\n");
        };
    }

    /** {@code printf FORMAT ARGS...} for the formats {@code %s\0} and {@code %s\n} (format reused per argument). */
    private static Outcome printf(List<String> args) {
        if (args.isEmpty()) {
            return Outcome.fail(1, "printf: usage: printf format [arguments]\n");
        }
        String fmt = args.get(0).replace("\\0", "\0").replace("\\n", "\n");
        if (!fmt.startsWith("%s") || fmt.indexOf('%', 2) >= 0) {
            return Outcome.fail(1, "printf: region host double supports only '%s\\0' and '%s\\n'\n");
        }
        StringBuilder out = new StringBuilder();
        for (String a : args.subList(1, args.size())) {
            out.append(a).append(fmt.substring(2));
        }
        return Outcome.ok(out.toString());
    }

    private static Outcome sleep(List<String> args, CountDownLatch closed) {
        try {
            long seconds = Long.parseLong(args.get(0));
            closed.await(Math.min(seconds, 300), TimeUnit.SECONDS);
            return Outcome.ok("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.fail(130, "");
        } catch (RuntimeException e) {
            return Outcome.fail(1, "sleep: invalid time interval\n");
        }
    }

    private Outcome snap(Caller caller, List<String> args) {
        if (!args.equals(List.of("restart", "maas"))) {
            return Outcome.fail(1, "error: region host double supports only 'snap restart maas'\n");
        }
        if (!caller.root()) {
            return Outcome.fail(1, "error: access denied (try with sudo)\n");
        }
        restarts.incrementAndGet();
        deployment.regionRestarted(hostname, this);
        return Outcome.ok("Restarted.\n");
    }

    private Outcome systemctl(Caller caller, List<String> args) {
        if (!args.equals(List.of("restart", "maas-regiond"))) {
            return Outcome.fail(1, "region host double supports only 'systemctl restart maas-regiond'\n");
        }
        if (!caller.root()) {
            return Outcome.fail(1, "Failed to restart maas-regiond.service: Access denied\n"
                    + "See system logs and 'systemctl status maas-regiond.service' for details.\n");
        }
        restarts.incrementAndGet();
        deployment.regionRestarted(hostname, this);
        return Outcome.ok("");
    }

    /** One exec channel: runs the line on a worker thread, writes the output, reports the exit status. */
    private final class SimulatedCommand implements Command {
        private final String line;
        private final CountDownLatch closed = new CountDownLatch(1);
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        SimulatedCommand(String line) {
            this.line = line;
        }

        @Override
        public void setInputStream(InputStream in) {
            // commands read no input
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            String user = channel.getSession().getUsername();
            commands.submit(() -> {
                Outcome o;
                try {
                    o = execute(line, user, closed);
                } catch (RuntimeException e) {
                    o = Outcome.fail(1, "Traceback (most recent call last):\n  ...\n" + e + "\n");
                }
                if (closed.getCount() == 0) {
                    return; // the client went away
                }
                try {
                    out.write(o.stdout().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    err.write(o.stderr().getBytes(StandardCharsets.UTF_8));
                    err.flush();
                } catch (IOException ignored) {
                    // channel closed underneath us
                }
                exit.onExit(o.exit());
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
            closed.countDown();
        }
    }
}
