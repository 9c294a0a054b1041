package io.maasops.security.contract;

/**
 * Turns an unexpected exception into a one-line status message. The operator's own exceptions
 * never carry secret values (secrets travel as {@code util.Secret}, whose toString is redacted),
 * so the message is safe to show; the class name is kept for the unexpected ones.
 */
public final class ErrorMessages {

    private ErrorMessages() {}

    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        msg = msg.replaceAll("[\\r\\n]+", " ");
        return msg.length() > 1000 ? msg.substring(0, 997) + "..." : msg;
    }

    /** Joins validation problems into one condition message. */
    public static String join(java.util.List<String> problems) {
        String all = String.join("; ", problems);
        return all.length() > 2000 ? all.substring(0, 1997) + "..." : all;
    }
}
