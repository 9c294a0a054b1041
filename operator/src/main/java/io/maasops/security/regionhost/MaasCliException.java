package io.maasops.security.regionhost;

/**
 * A MAAS command ran but failed. The message is MAAS's own (the Django {@code CommandError} text, or the
 * command's stderr) with every secret the operation knew about redacted.
 */
public class MaasCliException extends RuntimeException {
    private final int exitCode;

    public MaasCliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
