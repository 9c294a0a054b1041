package io.maasops.security.testing.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.ShellQuoting;
import io.maasops.security.testing.region.RegionHostDouble.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region host double against the real tools of this machine: the same tree of directories, files and
 * symbolic links is built in a temporary directory and in the double's {@link VirtualFileSystem} (at the same
 * absolute paths), the same commands run on both (GNU {@code stat}, {@code chmod}, {@code chown [-h]}, and the
 * operator's fix script under the real {@code python3}), and exit code, stdout, stderr and the resulting tree
 * (lstat of every entry) must be identical. Needs root (chown), python3 and GNU coreutils; skipped otherwise.
 */
class RegionDoubleAgainstRealToolsTest {
    @TempDir
    Path tmp;

    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;
    private String b;
    private final List<String> entries = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(run(List.of("id", "-u")).stdout().strip().equals("0"), "needs root (chown)");
        assumeTrue(run(List.of("python3", "-c", "pass")).exit() == 0, "needs python3");
        assumeTrue(run(List.of("stat", "--version")).stdout().contains("GNU coreutils"), "needs GNU coreutils");
        assumeTrue(
                run(List.of("getent", "passwd", "daemon")).stdout().startsWith("daemon:x:1:1:"),
                "needs user daemon (1)");
        assumeTrue(
                run(List.of("getent", "group", "daemon")).stdout().startsWith("daemon:x:1:"), "needs group daemon (1)");
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("region-real", MaasPackaging.DEB, null);
        VirtualFileSystem fs = host.fs();
        fs.addUser("daemon", 1);
        fs.addGroup("daemon", 1);
        // the double's ancestors of the temporary directory as they really are
        Path real = tmp.toRealPath();
        b = real.toString();
        Path cur = Path.of("/");
        for (Path part : real) {
            cur = cur.resolve(part);
            fs.mkdir(cur.toString(), mode(cur), (Integer) Files.getAttribute(cur, "unix:uid"), (Integer)
                    Files.getAttribute(cur, "unix:gid"));
        }

        // deb-like: a directory owned by the service user (daemon plays maas), a root-only file next door
        dir("/etc", 0755, 0);
        dir("/etc/maas", 0755, 1);
        file("/etc/maas/regiond.conf", 0644, 1);
        file("/etc/maas/rackd.conf", 0640, 1);
        file("/etc/shadow", 0600, 0);
        link("/etc/maas/link.conf", b + "/etc/shadow", 1); // planted by the service user
        link("/etc/maas/rel.conf", "../shadow", 0);
        link("/etc/maas/dangling", "nowhere", 1);
        dir("/etc/maas/sub", 0755, 1);
        file("/etc/maas/sub/x", 0644, 1);
        link("/etc/maas/dlink", b + "/etc", 1); // a directory link planted by the service user
        link("/etc/maas/rootlink", "../../snap", 0); // root's link, but in the service user's directory
        fifo("/etc/maas/fifo", 0644, 1);
        // snap-like: root's "current" link in a root-only directory
        dir("/snap", 0755, 0);
        dir("/snap/32469", 0755, 0);
        file("/snap/32469/regiond.conf", 0644, 0);
        link("/snap/current", "32469", 0);
        link("/snap/loop", "loop", 0);
        link("/snap/open", b + "/etc/maas", 0); // root's link in a root-only directory to the service user's
        dir("/shared", 01777, 0); // like /tmp: root's, but everyone may write it
        link("/shared/l", "../snap/32469", 0);
    }

    @AfterEach
    void tearDown() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void statIsLstatWithTheRealFormatAndMessages() throws Exception {
        List<String> paths = new ArrayList<>(entries);
        paths.addAll(List.of(
                b + "/etc/maas/missing",
                b + "/etc/maas/regiond.conf/x",
                b + "/snap/loop/x",
                b + "/snap/current/regiond.conf",
                b + "/etc/maas/dlink/shadow"));
        same(withArgs(List.of("stat", "-c", "%f %u %g %U %G %n", "--"), paths));
        same(withArgs(List.of("stat", "-c", "%a %F %n", "--"), paths));
    }

    @Test
    void grepOfRegiondConfsRoleIdLineAnswersAsGnuGrep() throws Exception {
        String conf = "database_pass: pw\nvault_approle_id: 0a1b-2c3d\nvault_secret_id: s-1\nvault_approle_id: x\n";
        Path p = Files.writeString(Path.of(b + "/etc/maas/vault.conf"), conf);
        own(p, 1);
        host.fs().put(b + "/etc/maas/vault.conf", conf, 0644, 1, 1);
        entries.add(b + "/etc/maas/vault.conf");
        for (String path : List.of(
                b + "/etc/maas/vault.conf", // found: the first matching line only, exit 0
                b + "/etc/maas/regiond.conf", // no such line: exit 1
                b + "/etc/maas/missing",
                b + "/etc/maas/sub", // a directory
                b + "/etc/maas/link.conf", // followed, as open(2) does
                b + "/etc/maas/dangling",
                b + "/snap/current/regiond.conf")) {
            same(MaasCli.regiondConfRoleIdArgv(path));
        }
    }

    @Test
    void chmodFollowsASymbolicLinkChownFollowsUnlessH() throws Exception {
        same(List.of("chmod", "0640", "--", b + "/etc/maas/link.conf")); // changes /etc/shadow
        same(List.of("chmod", "0600", "--", b + "/etc/maas/dangling"));
        same(List.of("chmod", "0600", "--", b + "/etc/maas/missing"));
        same(List.of("chmod", "0600", "--", b + "/snap/loop"));
        same(List.of("chown", "-h", "root:root", "--", b + "/etc/maas/link.conf")); // the link itself
        same(List.of("chown", "daemon:daemon", "--", b + "/etc/maas/rel.conf")); // the target
        same(List.of("chown", "root:root", "--", b + "/etc/maas/dangling"));
        same(List.of("chown", "-h", "root:root", "--", b + "/etc/maas/dangling"));
        same(List.of("chown", "root:nosuchgroup", "--", b + "/etc/maas/regiond.conf"));
        same(List.of("chown", "nosuchuser:root", "--", b + "/etc/maas/regiond.conf"));
    }

    @Test
    void theFixScriptBehavesAsUnderTheRealPython() throws Exception {
        for (String path : List.of(
                "/etc/maas/regiond.conf",
                "/etc/maas/link.conf",
                "/etc/maas/dangling",
                "/etc/maas/fifo",
                "/etc/maas/sub",
                "/etc/maas/missing",
                "/nodir/x",
                "/etc/maas/dlink/shadow",
                "/etc/maas/rootlink/32469/regiond.conf",
                "/snap/current/regiond.conf",
                "/snap/open/rackd.conf",
                "/snap/loop/x",
                "/etc/maas/regiond.conf/x",
                "/etc/maas/sub/x",
                "/etc/maas/rel.conf",
                "/shared/l/regiond.conf")) {
            same(MaasCli.fixArgv(List.of(b + path), "root", "daemon", "0640"));
        }
        // several paths in one command, as the operator sends them: one line each, in order
        same(MaasCli.fixArgv(
                List.of(
                        b + "/etc/maas/rackd.conf",
                        b + "/etc/maas/link.conf",
                        b + "/etc/maas/missing",
                        b + "/etc/maas/fifo",
                        b + "/etc/maas/dlink/shadow",
                        b + "/etc/maas/regiond.conf"),
                "root",
                "root",
                "0600"));
        same(MaasCli.fixArgv(List.of(b + "/etc/maas/rackd.conf"), "nosuchuser", "daemon", "0640"));
        same(MaasCli.fixArgv(List.of(b + "/etc/maas/rackd.conf"), "root", "nosuchgroup", "0640"));
        same(MaasCli.fixArgv(List.of(b + "/etc/maas/rackd.conf"), "4242", "4343", "0600"));
    }

    @Test
    void anotherPythonProgramIsRefusedByTheDouble() throws Exception {
        List<String> argv =
                new ArrayList<>(MaasCli.fixArgv(List.of(b + "/etc/maas/regiond.conf"), "root", "daemon", "0640"));
        argv.set(4, MaasCli.FIX_SCRIPT.replace("os.O_NOFOLLOW | os.O_NONBLOCK", "os.O_NONBLOCK"));
        assertThat(argv.get(4)).isNotEqualTo(MaasCli.FIX_SCRIPT);
        assertThat(onDouble(argv).exit()).isEqualTo(1);
        assertThat(onDouble(argv).stderr()).contains("runs only the operator's fix script");
        assertThat(tree(true)).isEqualTo(tree(false));
    }

    @Test
    void oNofollowOnASymbolicLinkIsEloopAsTheDoubleAssumes() throws Exception {
        // the window between the script's lstat and its open, which no timing can hit reliably: open(2) itself
        CommandResult r = run(List.of(
                "python3",
                "-c",
                "import os, sys\ntry:\n os.open(sys.argv[1], os.O_RDONLY | os.O_NOFOLLOW"
                        + " | os.O_NONBLOCK | os.O_NOCTTY)\nexcept OSError as e:\n print(e.strerror)",
                b + "/etc/maas/link.conf"));
        assertThat(r.stdout().strip()).isEqualTo(VirtualFileSystem.ELOOP);
    }

    /**
     * MAAS's atomic_write (provisioningserver/utils/fs.py, 3.3–3.8: temp file in the same directory, chmod, chown to
     * the previous owner and group, PermissionError re-raised after removing the temp file, rename), its steps
     * written out again, run by the real kernel as a non-root service user (daemon plays deb's maas).
     */
    private static final String ATOMIC_WRITE = """
            import os, sys, tempfile
            path, content, mode = sys.argv[1:]
            d, base = os.path.split(path)
            try:
                fd, tmp = tempfile.mkstemp(dir=d, prefix="." + base + ".", suffix=".tmp")
                os.write(fd, content.encode())
                os.close(fd)
                try:
                    prev = os.stat(path)
                except FileNotFoundError:
                    prev = None
                os.chmod(tmp, int(mode, 8) if mode != "keep" else (prev.st_mode & 0o7777 if prev else 0o640))
                if prev is not None:
                    try:
                        os.chown(tmp, prev.st_uid, prev.st_gid)
                    except PermissionError:
                        os.remove(tmp)
                        raise
                os.rename(tmp, path)
                print("ok")
            except PermissionError as e:
                print("PermissionError", e.errno)
            """;

    @Test
    void atomicWriteByTheServiceUserCopiesTheOwnerOrFailsAsUnderTheRealKernel() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/python3")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs /usr/bin/python3 and setpriv");
        for (Path p = tmp.toRealPath(); p.getParent() != null && p.startsWith("/tmp/"); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x")); // daemon may traverse
        }
        file("/etc/maas/secret", 0640, 0); // root-owned in the service user's directory: the deb breakage
        VirtualFileSystem.Writer daemon = new VirtualFileSystem.Writer(1, java.util.Set.of(1));
        for (String[] c : List.of(
                new String[] {"/etc/maas/regiond.conf", "keep"},
                new String[] {"/etc/maas/rackd.conf", "640"},
                new String[] {"/etc/maas/secret", "640"},
                new String[] {"/etc/shadow", "640"},
                new String[] {"/etc/maas/link.conf", "640"},
                new String[] {"/etc/maas/dangling", "640"},
                new String[] {"/etc/maas/new.conf", "keep"})) {
            String path = b + c[0];
            CommandResult real = run(List.of(
                    "/usr/bin/setpriv",
                    "--reuid=1",
                    "--regid=1",
                    "--clear-groups",
                    "/usr/bin/python3",
                    "-I",
                    "-S",
                    "-c",
                    ATOMIC_WRITE,
                    path,
                    "new",
                    c[1]));
            assertThat(real.stderr()).as(c[0]).isEmpty();
            String dbl;
            try {
                host.fs().atomicWrite(path, "new", c[1].equals("keep") ? null : Integer.parseInt(c[1], 8), daemon);
                dbl = "ok";
            } catch (VirtualFileSystem.PermissionError e) {
                dbl = "PermissionError "
                        + e.getMessage()
                                .substring("[Errno ".length(), e.getMessage().indexOf(']'));
            }
            assertThat(dbl).as(c[0]).isEqualTo(real.stdout().strip());
            if (!entries.contains(path)) {
                entries.add(path);
            }
            assertThat(tree(true)).as("the tree after atomic_write of " + c[0]).isEqualTo(tree(false));
            try (var leftovers = Files.list(Path.of(path).getParent())) {
                assertThat(leftovers.map(Path::toString))
                        .as("no temporary file left")
                        .noneMatch(f -> f.endsWith(".tmp"));
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void same(List<String> argv) throws Exception {
        CommandResult real = run(argv);
        Outcome dbl = onDouble(argv);
        String what = String.join(
                " ",
                argv.stream()
                        .map(a -> a.equals(MaasCli.FIX_SCRIPT) ? "<fix script>" : a)
                        .toList());
        assertThat(new CommandResult(dbl.exit(), dbl.stdout(), dbl.stderr()))
                .as(what)
                .isEqualTo(real);
        assertThat(tree(true)).as("the tree after " + what).isEqualTo(tree(false));
    }

    private Outcome onDouble(List<String> argv) {
        return host.execute(
                ShellQuoting.join(argv), "root", java.io.InputStream.nullInputStream(), new CountDownLatch(1));
    }

    private static List<String> withArgs(List<String> head, List<String> tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(tail);
        return out;
    }

    /** lstat of every entry: "raw-mode uid gid" (and the link target), real or in the double. */
    private Map<String, String> tree(boolean real) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            if (real) {
                Path p = Path.of(e);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(e, "missing");
                    continue;
                }
                int raw = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                out.put(
                        e,
                        Integer.toHexString(raw) + " " + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                                + " "
                                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)
                                + (Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : ""));
            } else {
                var n = host.fs().node(e);
                out.put(
                        e,
                        n.map(x -> Integer.toHexString(x.rawMode()) + " " + x.uid() + " " + x.gid()
                                        + (x.kind() == VirtualFileSystem.Kind.SYMLINK ? " -> " + x.target() : ""))
                                .orElse("missing"));
            }
        }
        return out;
    }

    private void dir(String rel, int mode, int owner) throws Exception {
        Path p = Files.createDirectory(Path.of(b + rel));
        own(p, owner);
        assertThat(run(List.of("chmod", Integer.toOctalString(mode), p.toString()))
                        .exit())
                .isZero(); // sticky bit too
        host.fs().mkdir(b + rel, mode, owner, owner);
        entries.add(b + rel);
    }

    private void file(String rel, int mode, int owner) throws IOException {
        Path p = Files.writeString(Path.of(b + rel), "content of " + rel + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(mode)));
        own(p, owner);
        host.fs().put(b + rel, "content of " + rel + "\n", mode, owner, owner);
        entries.add(b + rel);
    }

    private void link(String rel, String target, int owner) throws IOException {
        Path p = Files.createSymbolicLink(Path.of(b + rel), Path.of(target));
        own(p, owner);
        host.fs().symlink(b + rel, target, owner, owner);
        entries.add(b + rel);
    }

    private void fifo(String rel, int mode, int owner) throws Exception {
        assertThat(run(List.of("mkfifo", "-m", Integer.toOctalString(mode), b + rel))
                        .exit())
                .isZero();
        own(Path.of(b + rel), owner);
        host.fs().special(b + rel, VirtualFileSystem.Kind.FIFO, mode, owner, owner);
        entries.add(b + rel);
    }

    private static void own(Path p, int id) throws IOException {
        Files.setAttribute(p, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
    }

    private static String rwx(int mode) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            sb.append((bits & 4) != 0 ? 'r' : '-')
                    .append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    record CommandResult(int exit, String stdout, String stderr) {}

    /** A real command, no shell, in the C locale (as sudo's environment on a server usually is). */
    /**
     * The distribution's {@code /usr/bin/python3}, as on an Ubuntu region, rather than the first one on PATH: a
     * developer's pyenv shim answers the same but starts ten times slower (300 ms a run here).
     */
    private static List<String> systemPython(List<String> argv) {
        if (!argv.isEmpty() && argv.get(0).equals("python3") && Files.isExecutable(Path.of("/usr/bin/python3"))) {
            List<String> out = new ArrayList<>(argv);
            out.set(0, "/usr/bin/python3");
            return out;
        }
        return argv;
    }

    private static CommandResult run(List<String> argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(systemPython(argv));
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new CommandResult(127, "", e.getMessage());
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        return new CommandResult(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
