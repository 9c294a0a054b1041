package io.maasops.security.region;

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

    public RegionAccessException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegionAccessException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
