package io.maasops.security.regionhost;

/**
 * A file on the controller as {@code stat} saw it, without following a symbolic link (lstat). {@code mode} is the
 * permission bits as four octal digits ("0640"); {@code owner}/{@code group} are names resolved on the host (the
 * numeric id when the host has no name for it); {@code type} is what the path is. For a missing file only
 * {@code path} and {@code exists=false} are meaningful.
 */
public record FileStatus(String path, boolean exists, String mode, String owner, String group, FileType type) {

    /** The file types of {@code st_mode}, named as GNU stat's {@code %F} names them (in the C locale). */
    public enum FileType {
        REGULAR("regular file"),
        DIRECTORY("directory"),
        SYMLINK("symbolic link"),
        FIFO("fifo"),
        SOCKET("socket"),
        CHARACTER_DEVICE("character special file"),
        BLOCK_DEVICE("block special file"),
        UNKNOWN("weird file");

        private final String text;

        FileType(String text) {
            this.text = text;
        }

        /** "symbolic link", "regular file", ... */
        public String text() {
            return text;
        }

        /** The type bits ({@code S_IFMT}) of a raw {@code st_mode}, as {@code stat -c %f} prints it in hex. */
        public static FileType ofRawMode(int rawMode) {
            return switch (rawMode & 0170000) {
                case 0100000 -> REGULAR;
                case 0040000 -> DIRECTORY;
                case 0120000 -> SYMLINK;
                case 0010000 -> FIFO;
                case 0140000 -> SOCKET;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                default -> UNKNOWN;
            };
        }
    }

    /** An existing regular file (the form most callers mean). */
    public FileStatus(String path, boolean exists, String mode, String owner, String group) {
        this(path, exists, mode, owner, group, exists ? FileType.REGULAR : null);
    }

    public static FileStatus missing(String path) {
        return new FileStatus(path, false, null, null, null, null);
    }

    /** Exists and is a regular file: the only kind of file the operator ever changes. */
    public boolean regular() {
        return exists && type == FileType.REGULAR;
    }

    /** True when the path is a regular file with exactly this owner, group and mode. */
    public boolean matches(String wantOwner, String wantGroup, String wantMode) {
        return regular()
                && wantOwner.equals(owner)
                && wantGroup.equals(group)
                && Integer.parseInt(mode, 8) == Integer.parseInt(wantMode, 8);
    }
}
