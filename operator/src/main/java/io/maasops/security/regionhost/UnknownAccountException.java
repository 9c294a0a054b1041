package io.maasops.security.regionhost;

/**
 * {@code chown} refused because the user or group does not exist on the controller (GNU coreutils:
 * {@code chown: invalid group: 'root:nosuchgroup'}). A configuration problem, not a transport one.
 */
public class UnknownAccountException extends MaasCliException {
    /** Which half of {@code owner:group} the host did not know. */
    public enum Kind {
        USER,
        GROUP
    }

    private final Kind kind;
    private final String name;

    public UnknownAccountException(Kind kind, String name, String message, int exitCode) {
        super(message, exitCode);
        this.kind = kind;
        this.name = name;
    }

    public Kind kind() {
        return kind;
    }

    /** The user or group name the host does not have. */
    public String name() {
        return name;
    }
}
