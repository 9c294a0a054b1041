package io.maasops.security.region;

/**
 * A file on the controller as {@code stat} saw it. {@code mode} is the permission bits as four octal digits
 * ("0640"); {@code owner}/{@code group} are names resolved on the host (the numeric id when the host has no
 * name for it). For a missing file only {@code path} and {@code exists=false} are meaningful.
 */
public record FileStatus(String path, boolean exists, String mode, String owner, String group) {
    public static FileStatus missing(String path) {
        return new FileStatus(path, false, null, null, null);
    }

    /** True when the file exists with exactly this owner, group and mode. */
    public boolean matches(String wantOwner, String wantGroup, String wantMode) {
        return exists && wantOwner.equals(owner) && wantGroup.equals(group)
                && Integer.parseInt(mode, 8) == Integer.parseInt(wantMode, 8);
    }
}
