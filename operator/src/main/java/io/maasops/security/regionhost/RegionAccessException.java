package io.maasops.security.regionhost;

/**
 * A command could not be run on a region controller (as opposed to a command that ran and failed, which is a
 * {@link CommandResult} with a non-zero exit code). Messages name the controller and the program but never
 * the arguments, which may carry a wrapped token.
 */
public class RegionAccessException extends RuntimeException {
    /** Why the controller could not be used; reconcilers map these to condition reasons. */
    public enum Kind {
        /** Connection refused, DNS failure, network timeout while connecting, pod not found. */
        UNREACHABLE,
        /** The server's host key is not in known_hosts or differs from it. */
        HOST_KEY_REJECTED,
        /** The server refused our key (or the private key in the Secret could not be read). */
        AUTH_FAILED,
        /** The command did not finish in time; it was abandoned and its channel closed. */
        TIMEOUT,
        /** {@code sudo -n} needs a password or the user may not use sudo. */
        SUDO_REFUSED,
        /** The private key or known_hosts content is malformed. */
        INVALID_CREDENTIALS,
        /** Any other transport failure (connection dropped mid-command, protocol error). */
        TRANSPORT_ERROR
    }

    private final Kind kind;
    private final boolean startedOnController;

    public RegionAccessException(Kind kind, String message) {
        this(kind, message, null, false);
    }

    public RegionAccessException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    private RegionAccessException(Kind kind, String message, Throwable cause, boolean startedOnController) {
        super(message, cause);
        this.kind = kind;
        this.startedOnController = startedOnController;
    }

    /**
     * The command was started on the controller and its answer was lost (the connection dropped, the
     * channel closed without an exit status, the caller was interrupted): it may have run to the end.
     */
    public static RegionAccessException answerLost(Kind kind, String message) {
        return new RegionAccessException(kind, message, null, true);
    }

    /** The same failure (kind, whether it may have run) with another message, e.g. a redacted one. */
    public RegionAccessException withMessage(String message) {
        return new RegionAccessException(kind, message, null, startedOnController);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the command may have run (and changed the controller) although no result came back: after
     * a timeout, or when the answer was lost ({@link #answerLost}). False when it cannot have started
     * (unreachable, host key or key refused, channel not opened, sudo refused).
     */
    public boolean mayHaveRun() {
        return kind == Kind.TIMEOUT || startedOnController;
    }
}
