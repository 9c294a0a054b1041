package io.maasops.security.testing.region;

import io.maasops.security.testing.region.RegionHostDouble.Caller;
import io.maasops.security.testing.region.RegionHostDouble.Outcome;
import io.maasops.security.testing.region.VirtualFileSystem.Kind;
import io.maasops.security.testing.region.VirtualFileSystem.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code python3 -I -S -c <the operator's fix script> PATH USER GROUP MODE} on a region host double: the one
 * python program the double runs, recognised by the SHA-256 of its text ({@link #SCRIPT_SHA256}), and
 * simulated step by step over the {@link VirtualFileSystem} as CPython runs it on Linux: name look-ups
 * (pwd/grp, then digits), the walk from "/" with {@code os.stat(follow_symlinks=False)} and
 * {@code os.open(O_DIRECTORY|O_NOFOLLOW)} per directory, a symbolic link on the way followed only when root owns
 * it in a directory only root can write, lstat of the file, {@code os.open(O_NOFOLLOW|O_NONBLOCK)} (ELOOP on a
 * link, ENXIO on a socket, EACCES for a caller who may not read it), {@code fstat}, {@code fchown},
 * {@code fchmod}. Any other python program is refused, so a change to the script fails the tests until this
 * class (and {@code FixScriptAgainstRealToolsTest}, which compares it with the real python3) follows it.
 */
final class SimulatedFixScript {
    /** SHA-256 of {@code MaasCli.FIX_SCRIPT}, the text this class simulates. */
    static final String SCRIPT_SHA256 = "4b338e08de3d62fcc830d6bb0a511e4d51561d1065a1d91c78f038153b862f76";

    private final VirtualFileSystem fs;
    /** Fault: runs between the script's lstat of the file and its open (a swap in that window). */
    private volatile Runnable betweenLstatAndOpen;

    SimulatedFixScript(VirtualFileSystem fs) {
        this.fs = fs;
    }

    void betweenLstatAndOpen(Runnable action) {
        this.betweenLstatAndOpen = action;
    }

    /** A text whose hash was found to be {@link #SCRIPT_SHA256}: comparing with it is cheaper than hashing again. */
    private static volatile String known;

    static boolean isFixScript(List<String> args) {
        if (args.size() < 4 || !args.subList(0, 3).equals(List.of("-I", "-S", "-c"))) {
            return false;
        }
        String text = args.get(3);
        if (text.equals(known)) {
            return true;
        }
        boolean matches = sha256(text).equals(SCRIPT_SHA256);
        if (matches) {
            known = text;
        }
        return matches;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code args}: -I -S -c SCRIPT USER GROUP MODE PATH...; one stdout line per path, as the script prints them. */
    Outcome run(Caller caller, List<String> args) {
        if (args.size() < 7) {
            // user, group, mode = sys.argv[1:4]
            return Outcome.fail(
                    1,
                    "Traceback (most recent call last):\n  File \"<string>\", line 2, in <module>\n"
                            + "ValueError: not enough values to unpack (expected 3, got "
                            + (args.size() - 4) + ")\n");
        }
        String user = args.get(4);
        String group = args.get(5);
        String mode = args.get(6);
        Optional<Integer> uid = account(fs.namedUid(user), user);
        if (uid.isEmpty()) {
            return Outcome.fail(1, "chown: invalid user: '" + user + ":" + group + "'\n");
        }
        Optional<Integer> gid = account(fs.namedGid(group), group);
        if (gid.isEmpty()) {
            return Outcome.fail(1, "chown: invalid group: '" + user + ":" + group + "'\n");
        }
        StringBuilder out = new StringBuilder();
        for (String path : args.subList(7, args.size())) {
            out.append(fix(caller, path, uid.get(), gid.get(), mode)).append('\n');
        }
        return Outcome.ok(out.toString());
    }

    /** The script's fix(path) and its handlers: the one line it prints for {@code path}. */
    private String fix(Caller caller, String path, int uid, int gid, String mode) {
        String file;
        synchronized (fs) {
            String dir = "/";
            Deque<String> todo =
                    new ArrayDeque<>(Arrays.asList(path.split("/", -1)).subList(1, path.split("/", -1).length));
            int hops = 0;
            while (todo.size() > 1) {
                String part = todo.poll();
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    dir = VirtualFileSystem.parent(dir);
                    continue;
                }
                Optional<Node> st = fs.node(VirtualFileSystem.child(dir, part));
                if (st.isEmpty()) {
                    return missing(path);
                }
                if (st.get().kind() == Kind.SYMLINK) {
                    Node here = fs.node(dir).orElseThrow();
                    if (st.get().uid() != 0 || here.uid() != 0 || (here.mode() & 0022) != 0) {
                        return "1 " + path + ": not changed: it goes through '" + part + "', a symbolic link"
                                + " not both owned by root and in a directory only root can write; the operator never"
                                + " follows such links";
                    }
                    if (++hops > 40) {
                        return "1 " + path + ": " + VirtualFileSystem.ELOOP;
                    }
                    String target = st.get().target();
                    if (target.startsWith("/")) {
                        dir = "/";
                    }
                    List<String> parts = Arrays.asList(target.split("/", -1));
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.addFirst(parts.get(i));
                    }
                    continue;
                }
                if (st.get().kind() != Kind.DIRECTORY) {
                    return "1 " + path + ": " + VirtualFileSystem.ENOTDIR;
                }
                if (!readable(st.get(), caller)) {
                    return "1 " + path + ": Permission denied";
                }
                dir = VirtualFileSystem.child(dir, part);
            }
            file = VirtualFileSystem.child(dir, todo.peek());
            Optional<Node> st = fs.node(file);
            if (st.isEmpty()) {
                return missing(path);
            }
            if (st.get().kind() != Kind.REGULAR) {
                return statLine(3, st.get(), path);
            }
        }
        Runnable swap = betweenLstatAndOpen;
        if (swap != null) {
            swap.run();
        }
        synchronized (fs) {
            // the name looked up again in the directory the script holds open
            Optional<Node> opened = fs.node(file);
            if (opened.isEmpty()) {
                return missing(path);
            }
            Node n = opened.get();
            if (n.kind() == Kind.SYMLINK) {
                return statLine(3, n, path); // O_NOFOLLOW: ELOOP, then the script reports what is there
            }
            if (n.kind() == Kind.SOCKET) {
                return "1 " + path + ": No such device or address";
            }
            if (!readable(n, caller)) {
                return "1 " + path + ": Permission denied";
            }
            if (n.kind() != Kind.REGULAR) {
                return statLine(3, n, path);
            }
            if (!caller.root()) {
                return "1 " + path + ": Operation not permitted";
            }
            Node changed = new Node(Kind.REGULAR, n.content(), null, Integer.parseInt(mode, 8), uid, gid);
            fs.replace(file, changed);
            return statLine(0, changed, path);
        }
    }

    /** pwd.getpwnam / grp.getgrnam, then a number as is (as the script does). */
    private static Optional<Integer> account(Optional<Integer> named, String name) {
        if (named.isPresent()) {
            return named;
        }
        return name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                ? Optional.of(Integer.parseInt(name))
                : Optional.empty();
    }

    private boolean readable(Node n, Caller caller) {
        if (caller.root()) {
            return true;
        }
        if (n.uid() == caller.uid()) {
            return (n.mode() & 0400) != 0;
        }
        if (n.gid() == fs.gid(caller.user()).orElse(-1)) {
            return (n.mode() & 0040) != 0;
        }
        return (n.mode() & 0004) != 0;
    }

    /** report(code, st, path): the code, then the file in {@code stat -c '%f %u %g %U %G %n'} form. */
    private String statLine(int code, Node n, String path) {
        return String.format(
                Locale.ROOT,
                "%d %x %d %d %s %s %s",
                code,
                n.rawMode(),
                n.uid(),
                n.gid(),
                fs.userName(n.uid()),
                fs.groupName(n.gid()),
                path);
    }

    private static String missing(String path) {
        return "4 " + path + ": " + VirtualFileSystem.ENOENT;
    }
}
