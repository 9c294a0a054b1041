package io.maasops.security.testing.region;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a simulated region host, with real modes and numeric owners, and the host's passwd/group
 * tables (names are resolved through them as {@code stat}/{@code chown} do). Thread-safe.
 *
 * <p>Paths resolve as the Linux kernel resolves them: directories, symbolic links anywhere on the way (relative
 * or absolute targets, {@code ..}, at most 40 links, then ELOOP "Too many levels of symbolic links"), ENOTDIR
 * when a file stands where a directory is needed. {@link #lstat} does not follow a final symbolic link;
 * {@link #stat}, {@link #get}, {@link #chmod} and {@link #chown} follow it, as stat(2)/open(2)/chmod(2)/chown(2)
 * do; {@link #lchown} does not. Missing parent directories are created (root:root 0755) by the set-up methods.
 */
public final class VirtualFileSystem {
    /** st_mode's file types. */
    public enum Kind {
        REGULAR(0100000),
        DIRECTORY(0040000),
        SYMLINK(0120000),
        FIFO(0010000),
        SOCKET(0140000),
        CHARACTER_DEVICE(0020000),
        BLOCK_DEVICE(0060000);

        final int bits;

        Kind(int bits) {
            this.bits = bits;
        }
    }

    /** One regular file, as tests inspect it. */
    public record FileEntry(String content, int mode, int uid, int gid) {}

    /** Any directory entry: {@code content} for regular files, {@code target} for symbolic links. */
    public record Node(Kind kind, String content, String target, int mode, int uid, int gid) {
        /** st_mode as {@code stat -c %f} prints it (type and permission bits). */
        public int rawMode() {
            return kind.bits | mode;
        }
    }

    /** A failed look-up, with the errno text Linux prints. */
    public static final class FsError extends Exception {
        public FsError(String strerror) {
            super(strerror, null, false, false);
        }
    }

    public static final String ENOENT = "No such file or directory";
    public static final String ENOTDIR = "Not a directory";
    public static final String ELOOP = "Too many levels of symbolic links";
    private static final int MAX_LINKS = 40;

    /** Canonical path ("/", "/etc", "/etc/maas/regiond.conf") to entry. */
    private final Map<String, Node> nodes = new TreeMap<>();

    private final Map<String, Integer> users = new TreeMap<>();
    private final Map<String, Integer> groups = new TreeMap<>();
    /** Supplementary members by group name (/etc/group's fourth field). */
    private final Map<String, java.util.Set<String>> members = new TreeMap<>();

    public VirtualFileSystem() {
        nodes.put("/", new Node(Kind.DIRECTORY, null, null, 0755, 0, 0));
        users.put("root", 0);
        groups.put("root", 0);
        users.put("maas", 113);
        groups.put("maas", 119);
        users.put("ubuntu", 1000);
        groups.put("ubuntu", 1000);
    }

    // ---- path resolution ---------------------------------------------------------------------------

    /**
     * The canonical path {@code path} names: every symbolic link on the way is followed, the final one only when
     * {@code followLast}. The result may not exist (its parent does); {@link FsError} when the way is broken.
     */
    public synchronized String resolve(String path, boolean followLast) throws FsError {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the double resolves absolute paths only: " + path);
        }
        Deque<String> todo = new ArrayDeque<>(parts(path));
        String cur = "/";
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.poll();
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                cur = parent(cur);
                continue;
            }
            String next = child(cur, part);
            Node n = nodes.get(next);
            boolean last = todo.isEmpty();
            if (n == null) {
                if (last) {
                    return next;
                }
                throw new FsError(ENOENT);
            }
            if (n.kind() == Kind.SYMLINK && (!last || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new FsError(ELOOP);
                }
                java.util.List<String> target = parts(n.target());
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.addFirst(target.get(i));
                }
                if (n.target().startsWith("/")) {
                    cur = "/";
                }
                continue;
            }
            if (!last && n.kind() != Kind.DIRECTORY) {
                throw new FsError(ENOTDIR);
            }
            cur = next;
        }
        return cur;
    }

    static java.util.List<String> parts(String path) {
        return Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /** The entry at a canonical path (no resolution). */
    public synchronized Optional<Node> node(String canonical) {
        return Optional.ofNullable(nodes.get(canonical));
    }

    /** lstat(2): the entry itself, a final symbolic link not followed. */
    public synchronized Node lstat(String path) throws FsError {
        return existing(resolve(path, false));
    }

    /** stat(2): a final symbolic link followed. */
    public synchronized Node stat(String path) throws FsError {
        return existing(resolve(path, true));
    }

    private Node existing(String canonical) throws FsError {
        Node n = nodes.get(canonical);
        if (n == null) {
            throw new FsError(ENOENT);
        }
        return n;
    }

    // ---- set-up and inspection (test side) -----------------------------------------------------------

    /** A regular file (parents created as needed; a final symbolic link is replaced, not followed). */
    public synchronized void put(String path, String content, int mode, int uid, int gid) {
        add(path, new Node(Kind.REGULAR, content, null, mode, uid, gid));
    }

    public synchronized void mkdir(String path, int mode, int uid, int gid) {
        add(path, new Node(Kind.DIRECTORY, null, null, mode, uid, gid));
    }

    /** A symbolic link, as {@code ln -s target path} run by {@code uid} makes it (mode 0777). */
    public synchronized void symlink(String path, String target, int uid, int gid) {
        add(path, new Node(Kind.SYMLINK, null, target, 0777, uid, gid));
    }

    /** A FIFO, socket or device node. */
    public synchronized void special(String path, Kind kind, int mode, int uid, int gid) {
        add(path, new Node(kind, null, null, mode, uid, gid));
    }

    private void add(String path, Node node) {
        String canonical;
        try {
            canonical = resolve(path, false);
        } catch (FsError e) {
            ensureDirectories(parent(path));
            canonical = path;
        }
        ensureDirectories(parent(canonical));
        nodes.put(canonical, node);
    }

    private void ensureDirectories(String dir) {
        String cur = "/";
        for (String part : parts(dir)) {
            cur = child(cur, part);
            Node n = nodes.get(cur);
            if (n == null) {
                nodes.put(cur, new Node(Kind.DIRECTORY, null, null, 0755, 0, 0));
            } else if (n.kind() != Kind.DIRECTORY) {
                throw new IllegalStateException("set-up: " + cur + " is a " + n.kind() + ", not a directory");
            }
        }
    }

    /** The regular file at {@code path} (a final symbolic link followed, as open(2) does); empty for anything else. */
    public synchronized Optional<FileEntry> get(String path) {
        try {
            Node n = nodes.get(resolve(path, true));
            return n == null || n.kind() != Kind.REGULAR
                    ? Optional.empty()
                    : Optional.of(new FileEntry(n.content(), n.mode(), n.uid(), n.gid()));
        } catch (FsError e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the file's content the way MAAS's {@code atomic_write} does: a new regular file renamed over the
     * path (so over a symbolic link too, not through it), with the previous file's mode and owner.
     */
    public synchronized void writeContent(String path, String content) {
        Optional<FileEntry> f = get(path);
        // new files get MAAS's default_file_mode 0640, owned by the writer (root)
        add(
                path,
                new Node(
                        Kind.REGULAR,
                        content,
                        null,
                        f.map(FileEntry::mode).orElse(0640),
                        f.map(FileEntry::uid).orElse(0),
                        f.map(FileEntry::gid).orElse(0)));
    }

    /** Who a simulated process runs as: uid and every group it is in (root: uid 0, bypasses every check). */
    public record Writer(int uid, java.util.Set<Integer> gids) {
        public boolean root() {
            return uid == 0;
        }
    }

    /** A Python {@code PermissionError} (errno 1 EPERM or 13 EACCES) as MAAS's logs print it. */
    public static final class PermissionError extends Exception {
        public PermissionError(int errno, String path) {
            super(
                    "[Errno " + errno + "] " + (errno == 1 ? "Operation not permitted" : "Permission denied") + ": '"
                            + path + "'",
                    null,
                    false,
                    false);
        }
    }

    /** The process as its service runs it: {@code user} with its primary group (MAAS's units set {@code Group=}). */
    public synchronized Writer writer(String user) {
        int uid = users.getOrDefault(user, -1);
        java.util.Set<Integer> gids = new java.util.LinkedHashSet<>();
        gids.add(user.equals("root") ? 0 : groups.getOrDefault(user, -1));
        // systemd calls initgroups(3) for User=: the supplementary groups come with the user
        members.forEach((group, names) -> {
            if (names.contains(user) && groups.containsKey(group)) {
                gids.add(groups.get(group));
            }
        });
        return new Writer(uid, java.util.Set.copyOf(gids));
    }

    /** Adds {@code user} to {@code group} as a supplementary member ({@code usermod -aG}). */
    public synchronized void addMember(String group, String user) {
        members.computeIfAbsent(group, g -> new java.util.TreeSet<>()).add(user);
    }

    /** {@code id -nG USER}: the primary group (the one named like the user, root's is root), then supplementary ones. */
    public synchronized Optional<List<String>> groupsOf(String user) {
        if (!users.containsKey(user)) {
            return Optional.empty();
        }
        List<String> out = new java.util.ArrayList<>();
        out.add(groups.containsKey(user) ? user : "root");
        members.forEach((group, names) -> {
            if (names.contains(user) && !out.contains(group)) {
                out.add(group);
            }
        });
        return Optional.of(out);
    }

    /** open(2) for reading by {@code who}: the permission bits of owner, group or others (root reads anything). */
    public synchronized String readAs(String path, Writer who) throws PermissionError, FsError {
        Node n = stat(path);
        if (!who.root() && (permissionBits(n, who) & 04) == 0) {
            throw new PermissionError(13, path);
        }
        return n.content();
    }

    private static int permissionBits(Node n, Writer who) {
        if (n.uid() == who.uid()) {
            return (n.mode() >> 6) & 7;
        }
        return who.gids().contains(n.gid()) ? (n.mode() >> 3) & 7 : n.mode() & 7;
    }

    /**
     * MAAS's {@code provisioningserver.utils.fs.atomic_write} (fs.py, identical in substance on 3.3–3.8), run by
     * {@code who}: a temporary file {@code .NAME.XXXXXX.tmp} in the same directory (needs write and search permission
     * there), chmod to {@code mode} (null: the previous file's mode, as ConfigurationFile.save passes it, or 0640 for a
     * new file), then <em>chown to the previous file's owner and group</em> ({@code os.stat} follows a symbolic link),
     * re-raising {@code PermissionError} when that is not allowed (LP: #1883748): a process that is not root may only
     * "chown" to its own uid and a group it is in. Finally rename over the path (over a symbolic link, not through it).
     */
    public synchronized void atomicWrite(String path, String content, Integer mode, Writer who) throws PermissionError {
        String temp = parent(path) + "/." + path.substring(path.lastIndexOf('/') + 1) + ".a1b2c3d4.tmp";
        Node dir;
        try {
            dir = stat(parent(path));
        } catch (FsError e) {
            throw new PermissionError(13, temp); // the double's callers only write where the directory exists
        }
        if (!who.root() && (permissionBits(dir, who) & 03) != 03) {
            throw new PermissionError(13, temp);
        }
        Optional<FileEntry> previous = get(path);
        int newMode = mode != null ? mode : previous.map(FileEntry::mode).orElse(0640);
        int uid = previous.map(FileEntry::uid).orElse(who.uid());
        int gid = previous.map(FileEntry::gid).orElse(who.gids().iterator().next());
        if (previous.isPresent()
                && !who.root()
                && (uid != who.uid() || !who.gids().contains(gid))) {
            throw new PermissionError(1, temp);
        }
        add(path, new Node(Kind.REGULAR, content, null, newMode, uid, gid));
    }

    /** chown(2): a final symbolic link followed. */
    public synchronized void chown(String path, int uid, int gid) {
        change(path, true, n -> new Node(n.kind(), n.content(), n.target(), n.mode(), uid, gid));
    }

    /** lchown(2): the symbolic link itself. */
    public synchronized void lchown(String path, int uid, int gid) {
        change(path, false, n -> new Node(n.kind(), n.content(), n.target(), n.mode(), uid, gid));
    }

    /** chmod(2): a final symbolic link followed (Linux has no mode on links). */
    public synchronized void chmod(String path, int mode) {
        change(path, true, n -> new Node(n.kind(), n.content(), n.target(), mode, n.uid(), n.gid()));
    }

    private void change(String path, boolean follow, java.util.function.UnaryOperator<Node> how) {
        try {
            String canonical = resolve(path, follow);
            nodes.put(canonical, how.apply(existing(canonical)));
        } catch (FsError e) {
            throw new IllegalStateException("set-up: " + path + ": " + e.getMessage());
        }
    }

    /** The entry at a canonical path, replaced (what fchown/fchmod on an open file change). */
    synchronized void replace(String canonical, Node node) {
        nodes.put(canonical, node);
    }

    /** unlink(2): the entry itself (a symbolic link, not its target). */
    public synchronized void delete(String path) {
        try {
            nodes.remove(resolve(path, false));
        } catch (FsError e) {
            // nothing there
        }
    }

    // ---- accounts ----------------------------------------------------------------------------------

    /** Fault/setup: the host has no such group (e.g. a snap-only host, where nothing creates {@code maas}). */
    public synchronized void removeGroup(String group) {
        groups.remove(group);
    }

    public synchronized void removeUser(String user) {
        users.remove(user);
    }

    public synchronized void addUser(String user, int uid) {
        users.put(user, uid);
    }

    public synchronized void addGroup(String group, int gid) {
        groups.put(group, gid);
    }

    /** Named users only (getent does not resolve numbers). */
    public synchronized Optional<Integer> namedUid(String user) {
        return Optional.ofNullable(users.get(user));
    }

    public synchronized Optional<Integer> namedGid(String group) {
        return Optional.ofNullable(groups.get(group));
    }

    public synchronized Optional<Integer> uid(String user) {
        if (user.matches("[0-9]+")) {
            return Optional.of(Integer.parseInt(user));
        }
        return Optional.ofNullable(users.get(user));
    }

    public synchronized Optional<Integer> gid(String group) {
        if (group.matches("[0-9]+")) {
            return Optional.of(Integer.parseInt(group));
        }
        return Optional.ofNullable(groups.get(group));
    }

    /** The user name for a uid, or "UNKNOWN" as GNU stat prints it. */
    public synchronized String userName(int uid) {
        return users.entrySet().stream()
                .filter(e -> e.getValue() == uid)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("UNKNOWN");
    }

    public synchronized String groupName(int gid) {
        return groups.entrySet().stream()
                .filter(e -> e.getValue() == gid)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("UNKNOWN");
    }
}
