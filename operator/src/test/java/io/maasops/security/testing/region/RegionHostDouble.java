package io.maasops.security.testing.region;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maasops.security.regionhost.MaasPackaging;
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
 *   <li>{@code stat -c FORMAT -- <path>...} (lstat; %a %f %F %u %g %U %G %n), {@code chown [-h] <user>:<group> -- <path>}
 *       (follows a final symbolic link unless -h), {@code chmod <octal> -- <path>} (always follows it, as GNU chmod
 *       does) over a {@link VirtualFileSystem} with real modes, owners, directories and symbolic links;</li>
 *   <li>{@code python3 -I -S -c <the operator's fix script> <user> <group> <mode> <path>...} ({@link SimulatedFixScript};
 *       any other python program is refused);</li>
 *   <li>{@code getent passwd|group <name>} over the host's user and group tables;</li>
 *   <li>{@code maas config-vault configure|status|migrate} ({@link SimulatedMaasCli}: real HTTP to Vault);</li>
 *   <li>{@code snap restart maas} (snap hosts), {@code systemctl restart UNIT...} (deb hosts; the units of the
 *       deployment's {@link io.maasops.security.testing.MaasRelease}), which run the services' start as
 *       {@link SimulatedRegionServices} does; {@code snap list maas}, {@code dpkg-query -W -f=${Version} maas-region-api};</li>
 *   <li>{@code printf '%s\0' args...} and {@code sleep N} for transport tests;</li>
 *   <li>{@code sh -c 'IFS= read -r t && exec ... "$t" ...' sh ARGS...}, the script that hands the wrapped token
 *       from standard input to {@code maas} ({@link MiniShell}); any other script is refused.</li>
 * </ul>
 * It can present an OpenSSH host certificate ({@link #presentHostCertificate}) and serve as a pod
 * ({@link #runInContainer} for {@code KubeApiDouble#addPod}, argument vectors run as root without a shell). {@link #execRequests()} holds every
 * exec request exactly as received.
 * Commands other than stat/printf/sleep need root: run them via sudo or log in as root.
 * {@code pgrep -f PATTERN} sees the commands running on the host (login shell, sudo, program), so a {@code maas
 * config-vault migrate} held by a test (e.g. {@code SimulatedMaasDeployment#onNextMigrate}) is found while it runs.
 * Faults: {@link #stop()}/{@link #start()} (host down, same port), {@link #rotateHostKey()}, {@link #hang},
 * {@link #refuseSudo}, {@link #beforeCommand} (e.g. swap a file between the operator's stat and its fix),
 * {@link #betweenFixScriptLstatAndOpen}. Inspection: {@link #regiondConf()}, {@link #file}, {@link #restartCount()},
 * {@link #commandLog()} (wrapped tokens redacted), {@link #unsafeCommandLines()}.
 */
public final class RegionHostDouble implements AutoCloseable {
    static final int MAAS_UID = 113;
    static final int MAAS_GID = 119;
    static final String SNAP_REVISION = "32469";
    /** The fixture's database password in regiond.conf (moved to Vault by the first region start after migrate). */
    public static final String DATABASE_PASSWORD = "SIMULATED-db-password";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final SimulatedMaasDeployment deployment;
    private final String hostname;
    private final MaasPackaging installation;
    private final VirtualFileSystem fs = new VirtualFileSystem();
    private final AtomicReference<KeyPair> hostKey = new AtomicReference<>(KeyMaterial.generateEd25519());
    /** A host certificate for {@link #hostKey} the server also presents (as sshd's HostCertificate), or null. */
    private final AtomicReference<org.apache.sshd.common.config.keys.OpenSshCertificate> hostCertificate =
            new AtomicReference<>();

    private final Set<PublicKey> authorizedKeys = new CopyOnWriteArraySet<>();
    private final List<String> commandLog = new CopyOnWriteArrayList<>();
    private final List<TimedCommand> timedCommands = new CopyOnWriteArrayList<>();
    /** Every SSH exec request line and every pod exec argument vector, exactly as received. */
    private final List<String> execRequests = new CopyOnWriteArrayList<>();

    private final List<String> unsafeCommandLines = new CopyOnWriteArrayList<>();
    private final Set<String> hangingPrograms = new CopyOnWriteArraySet<>();
    private final Map<String, String> failingCommands = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger runningHangs = new AtomicInteger();
    /**
     * The command lines of the processes running now, by pid, as /proc/PID/cmdline shows them to pgrep: the login
     * shell of an SSH exec ({@code bash -c LINE}), sudo with its arguments, the program with its arguments.
     */
    private final Map<Long, String> processes = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicLong nextPid = new java.util.concurrent.atomic.AtomicLong(4000);
    private final ExecutorService commands;
    private final SimulatedMaasCli maasCli;
    private final SimulatedFixScript fixScript = new SimulatedFixScript(fs);
    private final SimulatedRegionServices services;
    private final Map<String, Runnable> beforeCommands = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean sudoRefused;
    private volatile SshServer server;
    private volatile int port;
    /** Non-null when this host is served by a shared SSH server (scale runs) instead of its own. */
    private final SharedSshFront front;

    private volatile boolean frontRegistered;

    RegionHostDouble(
            SimulatedMaasDeployment deployment,
            String hostname,
            MaasPackaging installation,
            PublicKey authorizedKey,
            int port) {
        this(deployment, hostname, installation, authorizedKey, port, null);
    }

    RegionHostDouble(
            SimulatedMaasDeployment deployment,
            String hostname,
            MaasPackaging installation,
            PublicKey authorizedKey,
            int port,
            SharedSshFront front) {
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
        this.services = new SimulatedRegionServices(this, deployment, installation);
    }

    /** The MAAS services of this host (their state, which secret-id each Vault consumer holds). */
    public SimulatedRegionServices services() {
        return services;
    }

    private void seedFiles() {
        Map<String, Object> regiond = new TreeMap<>();
        regiond.put("maas_url", "http://" + hostname + ":5240/MAAS");
        regiond.put("database_host", "localhost");
        regiond.put("database_name", "maasdb");
        regiond.put("database_user", "maas");
        regiond.put("database_pass", DATABASE_PASSWORD);
        Map<String, Object> rackd = new TreeMap<>(Map.of("maas_url", "http://" + hostname + ":5240/MAAS"));
        // deb packages ship maas:maas 0640 (postinst chown) in /etc/maas and /var/lib/maas, both owned by maas;
        // the snap keeps root-owned files under $SNAP_DATA (/var/snap/maas/<revision>, reached through snapd's
        // root-owned "current" link) and $SNAP_COMMON.
        boolean deb = installation == MaasPackaging.DEB;
        if (deb) {
            fs.mkdir("/etc/maas", 0755, MAAS_UID, MAAS_GID);
            fs.mkdir("/var/lib/maas", 0755, MAAS_UID, MAAS_GID);
        } else {
            fs.mkdir("/var/snap/maas/" + SNAP_REVISION, 0755, 0, 0);
            fs.symlink("/var/snap/maas/current", SNAP_REVISION, 0, 0);
        }
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
        SshServer s = startSshServer(
                port,
                hostKey::get,
                hostCertificate::get,
                (user, key, session) -> isAuthorized(key),
                (channel, line) -> new SimulatedCommand(line),
                "region host double on port " + port);
        port = ((InetSocketAddress) s.getBoundAddresses().iterator().next()).getPort();
        server = s;
        return this;
    }

    /**
     * An SSH server on 127.0.0.1 the way every region host double runs one (its own or a
     * {@link SharedSshFront}): one host key, public keys only, TCP_NODELAY (a double should not add
     * Nagle delays of its own to what is measured).
     */
    static SshServer startSshServer(
            int port,
            java.util.function.Supplier<KeyPair> hostKey,
            java.util.function.Supplier<org.apache.sshd.common.config.keys.OpenSshCertificate> hostCertificate,
            org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator keys,
            org.apache.sshd.server.command.CommandFactory commandFactory,
            String what) {
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
        s.setHostKeyCertificateProvider(session -> {
            var cert = hostCertificate.get();
            return cert == null ? List.of() : List.of(cert);
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
            front.unregister(this); // new logins as this host fail; open sessions stay (see SharedSshFront)
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
            commands.shutdownNow(); // a shared front's pool is closed with the front
        }
    }

    // ---- identity ----------------------------------------------------------------------------------

    private volatile java.net.http.HttpClient vaultHttp = HvacLikeHttp.HTTP;

    /** As installing a CA in the host's trust store: MAAS's Vault client then verifies Vault against it. */
    public void trustCa(String caPem) {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(
                    null,
                    new javax.net.ssl.TrustManager[] {
                        io.maasops.security.tls.TrustAnchors.fromPem(caPem.getBytes(StandardCharsets.UTF_8))
                    },
                    null);
            vaultHttp = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(5))
                    .sslContext(ctx)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    java.net.http.HttpClient vaultHttp() {
        return vaultHttp;
    }

    public String hostname() {
        return hostname;
    }

    /** MAAS's id of this machine: its DB credentials go to {@code <path>/controller/<maasId>/database-creds}. */
    public String maasId() {
        return SimulatedMaasDeployment.maasId(hostname);
    }

    public MaasPackaging installation() {
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

    /**
     * Presents {@code certificateLine} (an OpenSSH host certificate for {@link #hostPublicKey()}, e.g. written by
     * {@code ssh-keygen -s CA -h}) besides the plain host key, as sshd's {@code HostCertificate} does; null stops.
     */
    public void presentHostCertificate(String certificateLine) {
        if (certificateLine == null) {
            hostCertificate.set(null);
            return;
        }
        try {
            var key = org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(certificateLine.strip())
                    .resolvePublicKey(
                            null, Map.of(), org.apache.sshd.common.config.keys.PublicKeyEntryResolver.FAILING);
            var cert = (org.apache.sshd.common.config.keys.OpenSshCertificate) key;
            if (!KeyUtils.compareKeys(cert.getCertPubKey(), hostKey.get().getPublic())) {
                throw new IllegalArgumentException("the certificate is not for this host's key");
            }
            hostCertificate.set(cert);
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not an OpenSSH certificate: " + e.getMessage(), e);
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

    /**
     * Fault: {@code action} runs just before each command whose words (after sudo) start with
     * {@code commandPrefix} (e.g. "python3": between the operator's stat and its fix), until cleared.
     */
    public void beforeCommand(String commandPrefix, Runnable action) {
        beforeCommands.put(commandPrefix, action);
    }

    public void clearBeforeCommand(String commandPrefix) {
        beforeCommands.remove(commandPrefix);
    }

    /** Fault: {@code action} runs inside the fix script, between its lstat of the file and its open. */
    public void betweenFixScriptLstatAndOpen(Runnable action) {
        fixScript.betweenLstatAndOpen(action);
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

    /**
     * Every command as it reached the host, unredacted: SSH exec request lines as sent, pod exec argument vectors
     * joined by spaces. What sshd's and MINA's logs, sudo's auth.log and the Kubernetes audit log would see.
     */
    public List<String> execRequests() {
        return List.copyOf(execRequests);
    }

    /** Exec lines refused because a real shell would have interpreted them beyond plain words. */
    public List<String> unsafeCommandLines() {
        return List.copyOf(unsafeCommandLines);
    }

    /** The last text read as YAML and what it parsed to: regiond.conf is read by most commands, written rarely. */
    private volatile ParsedYaml lastYaml;

    private record ParsedYaml(String text, Map<String, Object> map) {}

    private Map<String, Object> readYaml(String path) {
        String text = file(path).content();
        ParsedYaml last = lastYaml;
        if (last != null && last.text().equals(text)) {
            return last.map();
        }
        try {
            Map<String, Object> m = YAML.readValue(text, new TypeReference<Map<String, Object>>() {});
            Map<String, Object> parsed = m == null ? Map.of() : java.util.Collections.unmodifiableMap(m);
            lastYaml = new ParsedYaml(text, parsed);
            return parsed;
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
    public io.maasops.security.testing.kube.PodExec.Result runInContainer(
            List<String> argv, InputStream stdin, CountDownLatch clientGone) {
        Outcome o = execArgv(argv, stdin, clientGone);
        return new io.maasops.security.testing.kube.PodExec.Result(o.exit(), o.stdout(), o.stderr());
    }

    /** An SSH exec request: the login shell splits the line into words and runs them. */
    Outcome execute(String line, String loginUser, InputStream stdin, CountDownLatch closed) {
        execRequests.add(line);
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (ShellWords.UnsafeShellSyntax e) {
            unsafeCommandLines.add(line);
            commandLog.add("<refused: " + e.getMessage() + ">");
            return Outcome.fail(2, "sh: 1: refused by region host double: " + e.getMessage() + "\n");
        }
        Caller caller = "root".equals(loginUser)
                ? new Caller(0, "root")
                : new Caller(fs.uid(loginUser).orElse(1000), loginUser);
        long shell = spawn("bash -c " + line); // sshd runs the line with the login shell
        try {
            return run(words, caller, stdin, closed);
        } finally {
            processes.remove(shell);
        }
    }

    private long spawn(String cmdline) {
        long pid = nextPid.incrementAndGet();
        processes.put(pid, cmdline);
        return pid;
    }

    /**
     * A pod exec: the container runtime runs the argument vector as is (no shell, no sudo), as root, the way a
     * MAAS region container runs its processes.
     */
    Outcome execArgv(List<String> argv, InputStream stdin, CountDownLatch closed) {
        execRequests.add(String.join(" ", argv));
        return run(argv, new Caller(0, "root"), stdin, closed);
    }

    private Outcome run(List<String> words, Caller caller, InputStream stdin, CountDownLatch closed) {
        commandLog.add(String.join(" ", forLog(words)));
        if (words.isEmpty()) {
            return Outcome.ok("");
        }
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
                return nonInteractive
                        ? Outcome.fail(1, "sudo: a password is required\n")
                        : Outcome.fail(
                                1,
                                "sudo: a terminal is required to read the password; either use the -S"
                                        + " option to read from standard input or configure an askpass helper\n");
            }
            long sudo = spawn(String.join(" ", words)); // sudo waits for its child
            try {
                words = words.subList(i, words.size());
                caller = new Caller(0, "root");
                if (words.isEmpty()) {
                    return Outcome.fail(1, "usage: sudo -h | -K | -k | -V\n");
                }
                return runProgram(words, caller, stdin, closed);
            } finally {
                processes.remove(sudo);
            }
        }
        return runProgram(words, caller, stdin, closed);
    }

    private Outcome runProgram(List<String> words, Caller caller, InputStream stdin, CountDownLatch closed) {
        if (words.get(0).equals("sh")) {
            // sh -c SCRIPT NAME ARGS...: only the script form MaasCli sends is understood (see MiniShell)
            MiniShell.Result r = MiniShell.run(words.subList(1, words.size()), stdin);
            return r.exec() != null ? dispatch(r.exec(), caller, closed) : r.outcome();
        }
        return dispatch(words, caller, closed);
    }

    /** One command as it ran (after sudo and sh): when it started and ended ({@link System#nanoTime}), its exit. */
    public record TimedCommand(long startNanos, long endNanos, String line, int exit) {}

    /** Every program run (after sudo and sh), in the order they ended, with their times: orders commands across hosts. */
    public List<TimedCommand> timedCommands() {
        return List.copyOf(timedCommands);
    }

    private Outcome dispatch(List<String> words, Caller caller, CountDownLatch closed) {
        long start = System.nanoTime();
        long pid = spawn(String.join(" ", words));
        Outcome o;
        try {
            o = dispatchProgram(words, caller, closed, pid);
        } finally {
            processes.remove(pid);
        }
        timedCommands.add(new TimedCommand(start, System.nanoTime(), String.join(" ", forLog(words)), o.exit()));
        return o;
    }

    /** One program with its arguments, after sudo and sh: faults first, then the program ({@code pid}: its process). */
    private Outcome dispatchProgram(List<String> words, Caller caller, CountDownLatch closed, long pid) {
        String program = words.get(0);
        String joined = String.join(" ", words);
        for (Map.Entry<String, String> f : failingCommands.entrySet()) {
            if (joined.equals(f.getKey()) || joined.startsWith(f.getKey() + " ")) {
                return Outcome.fail(1, f.getValue());
            }
        }
        for (Map.Entry<String, Runnable> b : beforeCommands.entrySet()) {
            if (joined.equals(b.getKey()) || joined.startsWith(b.getKey() + " ")) {
                b.getValue().run();
            }
        }
        slowHostFloor();
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
            case "id" -> id(args);
            case "python3" ->
                SimulatedFixScript.isFixScript(args)
                        ? fixScript.run(caller, args)
                        : Outcome.fail(
                                1,
                                "region host double: python3 runs only the operator's fix script"
                                        + " (python3 -I -S -c SCRIPT with SHA-256 " + SimulatedFixScript.SCRIPT_SHA256
                                        + ")\n");
            case "printf" -> printf(args);
            case "grep" -> grep(caller, args);
            case "pgrep" -> pgrep(args, pid);
            case "sleep" -> sleep(args, closed);
            // maascli/cli.py run_regiond_command: SystemExit("You can only '%s' as root.") for a regiond command
            case "maas" ->
                caller.root() || args.isEmpty()
                        ? maasCli.run(args)
                        : Outcome.fail(1, "You can only '" + args.get(0) + "' as root.\n");
            case "snap" -> installation == MaasPackaging.SNAP ? snap(caller, args) : notFound(program);
            case "systemctl" -> installation == MaasPackaging.DEB ? systemctl(caller, args) : notFound(program);
            case "dpkg-query" -> installation == MaasPackaging.DEB ? dpkgQuery(args) : notFound(program);
            default -> notFound(program);
        };
    }

    /**
     * For a stress run of the whole suite ({@code mvn verify -Dregion.double.minLatencyMs=100}): every command takes at
     * least that long, as on a loaded controller, which reorders the operator's parts (README, "Development").
     */
    private static final long COMMAND_FLOOR_MS = Long.getLong("region.double.minLatencyMs", 0);

    private static void slowHostFloor() {
        if (COMMAND_FLOOR_MS > 0) {
            try {
                Thread.sleep(COMMAND_FLOOR_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    /** Words as the command log keeps them: wrapped tokens redacted, the fix script's text named, not copied. */
    private static List<String> forLog(List<String> words) {
        List<String> out = new java.util.ArrayList<>(SimulatedMaasCli.redactForLog(words));
        int p = out.indexOf("python3");
        if (p >= 0 && SimulatedFixScript.isFixScript(out.subList(p + 1, out.size()))) {
            out.set(p + 4, "<fix script>");
        }
        return out;
    }

    /**
     * procps pgrep, {@code -f PATTERN} only: the pids of the processes whose whole command line (arguments joined by
     * blanks) the extended regular expression finds, except pgrep's own process (not its sudo and shell); exit 0 with
     * one pid a line when some match, 1 when none, 2 for a usage error.
     */
    private Outcome pgrep(List<String> args, long self) {
        if (args.size() != 2 || !args.get(0).equals("-f")) {
            return Outcome.fail(2, "region host double: only pgrep -f PATTERN is simulated\n");
        }
        java.util.regex.Pattern pattern;
        try {
            pattern = java.util.regex.Pattern.compile(args.get(1));
        } catch (java.util.regex.PatternSyntaxException e) {
            return Outcome.fail(2, "pgrep: invalid regex\n");
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(processes).forEach((pid, cmdline) -> {
            if (pid != self && pattern.matcher(cmdline).find()) {
                out.append(pid).append('\n');
            }
        });
        return out.length() == 0 ? new Outcome(1, "", "") : Outcome.ok(out.toString());
    }

    /** GNU stat without -L: lstat of each operand; errors on stderr, the others still printed. */
    private Outcome stat(List<String> args) {
        if (args.size() < 3 || !args.get(0).equals("-c")) {
            return Outcome.fail(1, "stat: region host double supports only: stat -c FORMAT -- FILE...\n");
        }
        String format = args.get(1);
        List<String> files = operands(args.subList(2, args.size()));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (String path : files) {
            VirtualFileSystem.Node n;
            try {
                n = fs.lstat(path);
            } catch (VirtualFileSystem.FsError e) {
                err.append("stat: cannot statx '")
                        .append(path)
                        .append("': ")
                        .append(e.getMessage())
                        .append('\n');
                continue;
            }
            out.append(statFormat(format, n, path)).append('\n');
        }
        return new Outcome(err.length() == 0 ? 0 : 1, out.toString(), err.toString());
    }

    /** The directives GNU stat knows that the double supports, in the C locale. */
    private String statFormat(String format, VirtualFileSystem.Node n, String path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            sb.append(
                    switch (d) {
                        case 'a' -> Integer.toOctalString(n.mode());
                        case 'f' -> Integer.toHexString(n.rawMode());
                        case 'F' ->
                            n.kind() == VirtualFileSystem.Kind.REGULAR
                                            && n.content().isEmpty()
                                    ? "regular empty file"
                                    : io.maasops.security.regionhost.FileStatus.FileType.ofRawMode(n.rawMode())
                                            .text();
                        case 'u' -> Integer.toString(n.uid());
                        case 'g' -> Integer.toString(n.gid());
                        case 'U' -> fs.userName(n.uid());
                        case 'G' -> fs.groupName(n.gid());
                        case 'n' -> path;
                        case '%' -> "%";
                        default ->
                            throw new IllegalArgumentException(
                                    "region host double: stat directive %" + d + " is not simulated");
                    });
        }
        return sb.toString();
    }

    /** GNU chown: follows a final symbolic link unless -h (then lchown). */
    private Outcome chown(Caller caller, List<String> args) {
        boolean noDereference = args.stream()
                .takeWhile(a -> !a.equals("--"))
                .anyMatch(a -> a.equals("-h") || a.equals("--no-dereference"));
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
        VirtualFileSystem.Node n;
        try {
            n = fs.lstat(path);
            if (n.kind() == VirtualFileSystem.Kind.SYMLINK && !noDereference) {
                try {
                    n = fs.stat(path);
                } catch (VirtualFileSystem.FsError e) {
                    return Outcome.fail(1, "chown: cannot dereference '" + path + "': " + e.getMessage() + "\n");
                }
            }
        } catch (VirtualFileSystem.FsError e) {
            return Outcome.fail(1, "chown: cannot access '" + path + "': " + e.getMessage() + "\n");
        }
        if (!caller.root()) {
            return Outcome.fail(1, "chown: changing ownership of '" + path + "': Operation not permitted\n");
        }
        int newGid = gid.orElse(n.gid());
        if (noDereference) {
            fs.lchown(path, uid.get(), newGid);
        } else {
            fs.chown(path, uid.get(), newGid);
        }
        return Outcome.ok("");
    }

    /** GNU chmod: a symbolic link named on the command line is always followed (coreutils before 9.6). */
    private Outcome chmod(Caller caller, List<String> args) {
        List<String> ops = operands(args);
        if (ops.size() != 2 || !ops.get(0).matches("[0-7]{3,4}")) {
            return Outcome.fail(1, "chmod: region host double supports only: chmod OCTAL -- FILE\n");
        }
        String path = ops.get(1);
        VirtualFileSystem.Node n;
        try {
            n = fs.lstat(path);
            if (n.kind() == VirtualFileSystem.Kind.SYMLINK) {
                try {
                    n = fs.stat(path);
                } catch (VirtualFileSystem.FsError e) {
                    return Outcome.fail(
                            1,
                            e.getMessage().equals(VirtualFileSystem.ENOENT)
                                    ? "chmod: cannot operate on dangling symlink '" + path + "'\n"
                                    : "chmod: cannot access '" + path + "': " + e.getMessage() + "\n");
                }
            }
        } catch (VirtualFileSystem.FsError e) {
            return Outcome.fail(1, "chmod: cannot access '" + path + "': " + e.getMessage() + "\n");
        }
        if (!caller.root() && caller.uid() != n.uid()) {
            return Outcome.fail(1, "chmod: changing permissions of '" + path + "': Operation not permitted\n");
        }
        fs.chmod(path, Integer.parseInt(ops.get(0), 8));
        return Outcome.ok("");
    }

    /**
     * {@code getent passwd|group NAME}: the database line and exit 0, or nothing and exit 2 ("One or more
     * supplied key could not be found in the database"), as glibc's getent does.
     */
    /** {@code id -nG [--] USER} as coreutils answers it (exit 1 "id: 'x': no such user" for an unknown one). */
    private Outcome id(List<String> args) {
        List<String> names = operands(args);
        if (!args.contains("-nG") || names.size() != 1) {
            return Outcome.fail(1, "id: region host double supports only: id -nG [--] USER\n");
        }
        return fs.groupsOf(names.get(0))
                .map(g -> Outcome.ok(String.join(" ", g) + "\n"))
                .orElse(Outcome.fail(1, "id: '" + names.get(0) + "': no such user\n"));
    }

    private Outcome getent(List<String> args) {
        if (args.size() != 2) {
            return Outcome.fail(1, "getent: region host double supports only: getent passwd|group NAME\n");
        }
        String name = args.get(1);
        return switch (args.get(0)) {
            case "passwd" ->
                fs.namedUid(name)
                        .map(uid -> Outcome.ok(name + ":x:" + uid + ":" + uid + "::/nonexistent:/usr/sbin/nologin\n"))
                        .orElse(new Outcome(2, "", ""));
            case "group" ->
                fs.namedGid(name)
                        .map(gid -> Outcome.ok(name + ":x:" + gid + ":\n"))
                        .orElse(new Outcome(2, "", ""));
            default -> Outcome.fail(1, "Unknown database: " + args.get(0) + "\n");
        };
    }

    /**
     * GNU grep, only as {@code grep -m 1 -e ^LITERAL -- FILE} (the operator reads regiond.conf's vault_approle_id
     * line so): the first line starting with LITERAL and exit 0, nothing and exit 1, or exit 2 with grep's message
     * when the file cannot be read. Opens the file as open(2) does, following a symbolic link.
     */
    private Outcome grep(Caller caller, List<String> args) {
        if (args.size() != 6
                || !args.subList(0, 3).equals(List.of("-m", "1", "-e"))
                || !args.get(4).equals("--")
                || !args.get(3).matches("\\^[A-Za-z0-9_:]+")) {
            return Outcome.fail(2, "grep: region host double supports only: grep -m 1 -e ^LITERAL -- FILE\n");
        }
        String path = args.get(5);
        String content;
        try {
            if (fs.stat(path).kind() == VirtualFileSystem.Kind.DIRECTORY) {
                return Outcome.fail(2, "grep: " + path + ": Is a directory\n");
            }
            content = fs.readAs(
                    path,
                    caller.root() ? new VirtualFileSystem.Writer(0, java.util.Set.of(0)) : fs.writer(caller.user()));
        } catch (VirtualFileSystem.FsError e) {
            return Outcome.fail(2, "grep: " + path + ": " + e.getMessage() + "\n");
        } catch (VirtualFileSystem.PermissionError e) {
            return Outcome.fail(2, "grep: " + path + ": Permission denied\n");
        }
        String prefix = args.get(3).substring(1);
        return content.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .map(l -> Outcome.ok(l + "\n"))
                .orElse(new Outcome(1, "", ""));
    }

    /**
     * Edits regiond.conf as an administrator would by hand (e.g. a region configured with another region's
     * AppRole): the keys given replace the file's, mode and owner kept.
     */
    public void editRegiondConfByHand(Map<String, Object> updates) {
        updateRegiondConf(updates);
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
        if (args.equals(List.of("list", "maas"))) {
            String v = deployment.release().snapVersion();
            String series = deployment.release().series();
            return Outcome.ok(String.format(
                            Locale.ROOT,
                            "%-5s %-24s %-6s %-12s %-12s %s%n",
                            "Name",
                            "Version",
                            "Rev",
                            "Tracking",
                            "Publisher",
                            "Notes")
                    + String.format(
                            Locale.ROOT,
                            "%-5s %-24s %-6s %-12s %-12s %s%n",
                            "maas",
                            v,
                            SNAP_REVISION,
                            series + "/stable",
                            "canonical\u2713",
                            "-"));
        }
        if (args.equals(List.of("services", "maas"))) {
            // one snap service runs every MAAS process (supervisor up to 3.4, pebble from 3.5): it stays active
            // whatever a process under it does, so the snap tells nothing about them (docs/reference/maas-versions.md)
            String service = deployment.release().atLeast(3, 5) ? "maas.pebble" : "maas.supervisor";
            return Outcome.ok(
                    String.format(Locale.ROOT, "%-16s %-8s %-8s %s%n", "Service", "Startup", "Current", "Notes")
                            + String.format(Locale.ROOT, "%-16s %-8s %-8s %s%n", service, "enabled", "active", "-"));
        }
        if (!args.equals(List.of("restart", "maas"))) {
            return Outcome.fail(
                    1,
                    "error: region host double supports only 'snap restart maas', 'snap services maas' and 'snap list"
                            + " maas'\n");
        }
        if (!caller.root()) {
            return Outcome.fail(1, "error: access denied (try with sudo)\n");
        }
        restarts.incrementAndGet();
        services.restartAll();
        return Outcome.ok("Restarted.\n");
    }

    /** {@code systemctl restart UNIT...} over this release's units; an unknown unit restarts nothing (exit 5). */
    private Outcome systemctl(Caller caller, List<String> args) {
        if (args.size() < 2 || !(args.get(0).equals("restart") || args.get(0).equals("is-active"))) {
            return Outcome.fail(
                    1,
                    "region host double supports only 'systemctl restart UNIT...' and 'systemctl is-active UNIT...'\n");
        }
        List<String> units = args.subList(1, args.size()).stream()
                .map(u -> u.endsWith(".service") ? u.substring(0, u.length() - ".service".length()) : u)
                .toList();
        if (args.get(0).equals("is-active")) {
            return isActive(units);
        }
        for (String u : units) {
            if (!services.units().contains(u)) {
                return Outcome.fail(5, "Failed to restart " + u + ".service: Unit " + u + ".service not found.\n");
            }
        }
        if (!caller.root()) {
            String first = units.get(0) + ".service";
            return Outcome.fail(
                    1,
                    "Failed to restart " + first + ": Access denied\n" + "See system logs and 'systemctl status "
                            + first + "' for details.\n");
        }
        restarts.incrementAndGet();
        services.restart(units);
        return Outcome.ok("");
    }

    /**
     * {@code systemctl is-active UNIT...}: one state per unit, in order; exit 0 when any is active, else 3 (systemd's
     * is-active, no privilege needed). An unknown unit is "inactive". A regiond in its start-up loop is a running
     * process: "active" (systemd cannot see the loop).
     */
    private Outcome isActive(List<String> units) {
        StringBuilder out = new StringBuilder();
        boolean any = false;
        for (String u : units) {
            SimulatedRegionServices.Status st = services.units().contains(u) ? services.status(u) : null;
            String state = st == null
                    ? "inactive"
                    : switch (st.state()) {
                        case RUNNING, START_UP_LOOP -> "active";
                        case FAILED -> "failed";
                        case STOPPED -> "inactive";
                    };
            any |= state.equals("active");
            out.append(state).append('\n');
        }
        return any ? Outcome.ok(out.toString()) : new Outcome(3, out.toString(), "");
    }

    /** {@code dpkg-query -W -f=${Version} maas-region-api}: the package version (no newline, as the format says). */
    private Outcome dpkgQuery(List<String> args) {
        if (!args.equals(List.of("-W", "-f=${Version}", "maas-region-api"))
                && !args.equals(List.of("-W", "-f", "${Version}", "maas-region-api"))) {
            return Outcome.fail(2, "region host double supports only: dpkg-query -W -f=${Version} maas-region-api\n");
        }
        return Outcome.ok(deployment.release().debVersion());
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

        private InputStream in;

        @Override
        public void setInputStream(InputStream in) {
            this.in = in; // channel data until the client's EOF (only sh -c reads it)
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
                    o = execute(line, user, in, closed);
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
