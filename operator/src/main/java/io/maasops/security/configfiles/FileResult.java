package io.maasops.security.configfiles;

import io.maasops.security.configfiles.FilePermissionPolicy.FileAudit;

/**
 * One file after a check: as first seen, as seen after a fix (null when not fixed), and why a fix
 * failed (null when it did not fail or was not attempted).
 */
public record FileResult(FileAudit before, FileAudit after, String fixError) {

    public static FileResult unchanged(FileAudit seen) {
        return new FileResult(seen, null, null);
    }

    public static FileResult fixed(FileAudit before, FileAudit after) {
        return new FileResult(before, after, null);
    }

    public static FileResult fixFailed(FileAudit before, String error) {
        return new FileResult(before, null, error);
    }

    public String path() {
        return before.path();
    }

    public boolean fixed() {
        return after != null;
    }

    /** The file as it is now. */
    public FileAudit current() {
        return after != null ? after : before;
    }
}
