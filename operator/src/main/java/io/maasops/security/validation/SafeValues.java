package io.maasops.security.validation;

import io.maasops.security.api.v1alpha1.Patterns;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The CRD patterns again, at run time: a value reaches a Vault policy, a Vault path or a command
 * line only after passing here, even if the API server's validation was skipped or a CRD is stale.
 */
public final class SafeValues {

    private static final Pattern SAFE_PATH = Pattern.compile(Patterns.SAFE_PATH);
    private static final Pattern SAFE_NAME = Pattern.compile(Patterns.SAFE_NAME_OR_EMPTY);
    private static final Pattern HOSTNAME = Pattern.compile(Patterns.HOSTNAME);
    private static final Pattern CIDR = Pattern.compile(Patterns.CIDR);
    private static final Pattern POSIX_NAME = Pattern.compile(Patterns.POSIX_NAME);
    private static final Pattern CONFIG_FILE_MODE = Pattern.compile(Patterns.CONFIG_FILE_MODE);
    /** The directories of {@link Patterns#CONFIG_FILE_PATH}, each with its closing "/". */
    private static final List<String> MAAS_DIRECTORIES = List.of("/etc/maas/", "/var/lib/maas/", "/var/snap/maas/");

    private static final Pattern POOL = Pattern.compile(Patterns.MAAS_POOL);
    private static final Pattern USERNAME = Pattern.compile(Patterns.MAAS_USERNAME);
    private static final Pattern HTTP_ORIGIN = Pattern.compile(Patterns.HTTP_ORIGIN);
    private static final Pattern NAMESPACE_OR_STAR = Pattern.compile(Patterns.NAMESPACE_OR_STAR);
    private static final Pattern HOST_OR_CIDR_ENTRY = Pattern.compile(Patterns.HOST_OR_CIDR_ENTRY);
    private static final Pattern URL_PREFIX = Pattern.compile(Patterns.URL_PREFIX);
    private static final Pattern ENDPOINT_ENTRY = Pattern.compile(Patterns.ENDPOINT_ENTRY);

    private SafeValues() {}

    public static boolean isSafePath(String v) {
        return v != null && v.length() <= 256 && SAFE_PATH.matcher(v).matches();
    }

    public static boolean isSafeName(String v) {
        return v != null
                && !v.isEmpty()
                && v.length() <= 128
                && SAFE_NAME.matcher(v).matches();
    }

    /** An AppRole name: a safe name of at most 512 characters (namespace and name can be long). */
    public static boolean isRoleName(String v) {
        return v != null
                && !v.isEmpty()
                && v.length() <= 512
                && SAFE_NAME.matcher(v).matches();
    }

    public static boolean isHostname(String v) {
        return v != null && v.length() <= 253 && HOSTNAME.matcher(v).matches();
    }

    public static boolean isCidr(String v) {
        return v != null && CIDR.matcher(v).matches();
    }

    /**
     * {@link Patterns#CONFIG_FILE_PATH} without a regex: the length first, then the directory
     * prefix, then character by character (a regex with repeated groups recurses once per
     * repetition in java.util.regex; a 1200-character path overflowed the stack of a reconcile
     * thread). Linear in the length, and the length is bounded first.
     */
    public static boolean isConfigFilePath(String v) {
        if (v == null || v.length() > Patterns.CONFIG_FILE_PATH_MAX) {
            return false;
        }
        String dir = MAAS_DIRECTORIES.stream().filter(v::startsWith).findFirst().orElse(null);
        if (dir == null) {
            return false;
        }
        // after the directory: runs of [A-Za-z0-9_@-] joined by single '/' or '.'
        boolean afterSeparator = true;
        for (int i = dir.length(); i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/' || c == '.') {
                if (afterSeparator) {
                    return false; // "//", "/.", "./", "..", or a leading "." or "/"
                }
                afterSeparator = true;
            } else if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '@'
                    || c == '-') {
                afterSeparator = false;
            } else {
                return false;
            }
        }
        return !afterSeparator; // not empty (the directory itself) and no trailing '/' or '.'
    }

    public static boolean isPosixName(String v) {
        return v != null && POSIX_NAME.matcher(v).matches();
    }

    /** {@link Patterns#CONFIG_FILE_MODE}: no bits for others, no setuid/setgid/sticky. */
    public static boolean isConfigFileMode(String v) {
        return v != null && v.length() <= 4 && CONFIG_FILE_MODE.matcher(v).matches();
    }

    public static boolean isPoolName(String v) {
        return v != null && POOL.matcher(v).matches();
    }

    public static boolean isUsername(String v) {
        return v != null && USERNAME.matcher(v).matches();
    }

    // Lengths are checked before any pattern: java.util.regex recurses per repetition of a group, and
    // an unbounded value could overflow the stack of a reconcile thread.

    public static boolean isHttpOrigin(String v) {
        return v != null && v.length() <= 300 && HTTP_ORIGIN.matcher(v).matches();
    }

    public static boolean isNamespaceOrStar(String v) {
        return v != null && v.length() <= 63 && NAMESPACE_OR_STAR.matcher(v).matches();
    }

    public static boolean isHostOrCidrEntry(String v) {
        return v != null && v.length() <= 253 && HOST_OR_CIDR_ENTRY.matcher(v).matches();
    }

    public static boolean isUrlPrefix(String v) {
        return v != null && v.length() <= 2048 && URL_PREFIX.matcher(v).matches();
    }

    public static boolean isEndpointEntry(String v) {
        return v != null && v.length() <= 260 && ENDPOINT_ENTRY.matcher(v).matches();
    }

    /** Throws when {@code v} is not a safe path; the message names the field. */
    public static String requireSafePath(String field, String v) {
        if (!isSafePath(v)) {
            throw new IllegalArgumentException(field + " '" + v
                    + "' is not a safe path (letters, digits, '_', '-', single dots, '/' between segments)");
        }
        return v;
    }

    /** Throws when {@code v} is not a safe name; the message names the field. */
    public static String requireSafeName(String field, String v) {
        if (!isSafeName(v)) {
            throw new IllegalArgumentException(
                    field + " '" + v + "' is not a safe name (letters, digits, '_', '-', single dots)");
        }
        return v;
    }
}
