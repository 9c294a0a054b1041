package io.maasops.security.regionhost;

/**
 * The fix found no regular file at the path (it was missing, or a symbolic link, directory, FIFO ... had
 * taken its place since the stat) and changed nothing. {@link #found()} is what it saw: a state to report, not
 * a failure to retry.
 */
public class FileRefusedException extends MaasCliException {
    private final FileStatus found;

    public FileRefusedException(FileStatus found, String message, int exitCode) {
        super(message, exitCode);
        this.found = found;
    }

    /** The path as the fix saw it (lstat): missing, or not a regular file. */
    public FileStatus found() {
        return found;
    }
}
