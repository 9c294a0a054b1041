package io.maasops.security.testing.region;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a simulated region host, with real modes and numeric owners, and the host's passwd/group
 * tables (names are resolved through them as {@code stat}/{@code chown} do). Thread-safe.
 */
public final class VirtualFileSystem {
    /** One regular file. */
    public record FileEntry(String content, int mode, int uid, int gid) {
    }

    private final Map<String, FileEntry> files = new TreeMap<>();
    private final Map<String, Integer> users = new TreeMap<>();
    private final Map<String, Integer> groups = new TreeMap<>();

    public VirtualFileSystem() {
        users.put("root", 0);
        groups.put("root", 0);
        users.put("maas", 113);
        groups.put("maas", 119);
        users.put("ubuntu", 1000);
        groups.put("ubuntu", 1000);
    }

    public synchronized void put(String path, String content, int mode, int uid, int gid) {
        files.put(path, new FileEntry(content, mode, uid, gid));
    }

    public synchronized Optional<FileEntry> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public synchronized void writeContent(String path, String content) {
        FileEntry f = files.get(path);
        if (f == null) {
            // new files get MAAS's default_file_mode 0640, owned by the writer (root)
            files.put(path, new FileEntry(content, 0640, 0, 0));
        } else {
            files.put(path, new FileEntry(content, f.mode(), f.uid(), f.gid()));
        }
    }

    public synchronized void chown(String path, int uid, int gid) {
        FileEntry f = files.get(path);
        files.put(path, new FileEntry(f.content(), f.mode(), uid, gid));
    }

    public synchronized void chmod(String path, int mode) {
        FileEntry f = files.get(path);
        files.put(path, new FileEntry(f.content(), mode, f.uid(), f.gid()));
    }

    public synchronized void delete(String path) {
        files.remove(path);
    }

    /** Fault/setup: the host has no such group (e.g. a snap-only host, where nothing creates {@code maas}). */
    public synchronized void removeGroup(String group) {
        groups.remove(group);
    }

    public synchronized void removeUser(String user) {
        users.remove(user);
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
        return users.entrySet().stream().filter(e -> e.getValue() == uid).map(Map.Entry::getKey)
                .findFirst().orElse("UNKNOWN");
    }

    public synchronized String groupName(int gid) {
        return groups.entrySet().stream().filter(e -> e.getValue() == gid).map(Map.Entry::getKey)
                .findFirst().orElse("UNKNOWN");
    }
}
