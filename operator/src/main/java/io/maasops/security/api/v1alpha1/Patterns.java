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
  public static final String K8S_NAME_OR_EMPTY = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

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

  /** Octal file mode, e.g. 0640 or 640. */
  public static final String FILE_MODE = "^0?[0-7]{3}$";

  /** A POSIX user or group name. */
  public static final String POSIX_NAME = "^[a-z_][a-z0-9_-]{0,31}$";

  /** An absolute POSIX path without "..", "//", whitespace, quotes or shell metacharacters. */
  public static final String ABSOLUTE_PATH = "^(/[A-Za-z0-9_@-]+(\\.[A-Za-z0-9_@-]+)*)+$";

  /** A MAAS user name (Django's default username characters). */
  public static final String MAAS_USERNAME = "^[A-Za-z0-9@.+_-]{1,150}$";

  /** A MAAS resource pool name. */
  public static final String MAAS_POOL = "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,255}$";
}
