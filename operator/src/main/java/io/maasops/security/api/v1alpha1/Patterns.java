package io.maasops.security.api.v1alpha1;

/**
 * The validation patterns of the CRD schemas, in one place. They are RE2-compatible because the
 * API server evaluates OpenAPI patterns with Go's regexp. The same constants are used again at
 * run time (see {@code io.maasops.security.validation.SafeValues}) before any value reaches Vault or a shell.
 */
public final class Patterns {

    private Patterns() {}

    /** DNS-1123 subdomain: the names of Secrets and custom resources. */
    public static final String K8S_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** {@link #K8S_NAME} or empty ("use the default"). */
    public static final String K8S_NAME_OR_EMPTY =
            "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A key inside a Secret's data. */
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

    /**
     * One or more "/"-separated segments of letters, digits, "_" and "-", with single dots inside a
     * segment only, and no segment starting with "-" (MAAS's argument parser would read it as an
     * option). Rejects "*", "+", "..", empty segments, leading or trailing "/", whitespace and
     * quotes: anything that could widen the Vault policy rendered from it.
     */
    public static final String SAFE_PATH =
            "^[A-Za-z0-9_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*)*$";

    /** A single safe segment (a policy or role name). Empty means "use the default". */
    public static final String SAFE_NAME_OR_EMPTY = "^$|^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$";

    /** RFC 1123 host name, as MAAS knows its controllers. */
    public static final String HOSTNAME =
            "^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$";

    /** A host name, an IPv4 address or an IPv6 address (without brackets). */
    public static final String HOST =
            "^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$";

    /** host:port of a live TLS endpoint ([v6]:port for IPv6). */
    public static final String HOST_PORT =
            "^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$";

    /** An http(s) URL without whitespace, quotes, user info, query or fragment. */
    public static final String HTTP_URL = "^https?://[^\\s'\"`@?#]+$";

    /**
     * The origin of an http(s) server and nothing else: scheme, host (name, IPv4 or [IPv6]) and an
     * optional port; no path, user info, query or fragment (a Vault address is a server, not a URL
     * whose "?" or "#" could redirect the operator's requests to another path).
     */
    public static final String HTTP_ORIGIN =
            "^https?://([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?/?$";

    /** {@link #HTTP_ORIGIN} or empty ("use the default"). */
    public static final String HTTP_ORIGIN_OR_EMPTY =
            "^$|^https?://([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?/?$";

    /** A URL prefix in an allow-list: an http(s) URL without whitespace, quotes, user info, query or fragment. */
    public static final String URL_PREFIX = "^https?://[^\\s'\"`@?#]+$";

    /** A Kubernetes namespace name (DNS-1123 label), or "*" for every namespace. */
    public static final String NAMESPACE_OR_STAR = "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    /** An SSH host allow-list entry: a host name, "*." + domain, an IPv4/IPv6 address, or a CIDR block. */
    public static final String HOST_OR_CIDR_ENTRY =
            "^((\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(/[0-9]{1,3})?)$";

    /** A TLS endpoint allow-list entry: host:port, where the host may be "*." + domain. */
    public static final String ENDPOINT_ENTRY =
            "^((\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$";

    /** Go-style durations as Vault and Kubernetes users write them: 90s, 5m, 1h30m, 0s. */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    /** IPv4 or IPv6 CIDR block. */
    public static final String CIDR = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$";

    /**
     * The mode of a config file as MAAS's hardening guidance wants it: no bits for others, no
     * setuid, setgid or sticky bit (0640, 0600, 0660, 0750 ...). The operator sets it as root, so
     * "0666" or "4750" from a namespace author would open files to every local user.
     */
    public static final String CONFIG_FILE_MODE = "^0?[0-7][0-7]0$";

    /** How many files {@code spec.configFiles.paths} may list. */
    public static final int CONFIG_FILE_PATHS_MAX = 32;

    /** How long one {@code spec.configFiles.paths} item may be (checked before any pattern). */
    public static final int CONFIG_FILE_PATH_MAX = 256;

    /**
     * A file strictly inside MAAS's own directories (deb {@code /etc/maas}, {@code /var/lib/maas};
     * snap {@code /var/snap/maas}): runs of letters, digits, "_", "@", "-" joined by single "/" or
     * ".", so no ".." or "." segment, no hidden file, no "//", no trailing "/" and never the
     * directory itself. The operator chowns and chmods these files as root. Flat (one starred
     * group) rather than nested; the Java side checks it without a regex (see SafeValues).
     */
    public static final String CONFIG_FILE_PATH =
            "^/(etc/maas|var/lib/maas|var/snap/maas)/[A-Za-z0-9_@-]+([./][A-Za-z0-9_@-]+)*$";

    /** A POSIX user or group name. */
    public static final String POSIX_NAME = "^[a-z_][a-z0-9_-]{0,31}$";

    /** A MAAS user name (Django's default username characters). */
    public static final String MAAS_USERNAME = "^[A-Za-z0-9@.+_-]{1,150}$";

    /** A MAAS resource pool name. */
    public static final String MAAS_POOL = "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,255}$";
}
