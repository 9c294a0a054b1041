package io.maasops.security.validation;

import io.maasops.security.api.v1alpha1.Patterns;
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
  private static final Pattern ABSOLUTE_PATH = Pattern.compile(Patterns.ABSOLUTE_PATH);
  private static final Pattern POSIX_NAME = Pattern.compile(Patterns.POSIX_NAME);
  private static final Pattern FILE_MODE = Pattern.compile(Patterns.FILE_MODE);
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
    return v != null && !v.isEmpty() && v.length() <= 128 && SAFE_NAME.matcher(v).matches();
  }

  /** An AppRole name: a safe name of at most 512 characters (namespace and name can be long). */
  public static boolean isRoleName(String v) {
    return v != null && !v.isEmpty() && v.length() <= 512 && SAFE_NAME.matcher(v).matches();
  }

  public static boolean isHostname(String v) {
    return v != null && v.length() <= 253 && HOSTNAME.matcher(v).matches();
  }

  public static boolean isCidr(String v) {
    return v != null && CIDR.matcher(v).matches();
  }

  public static boolean isAbsolutePath(String v) {
    return v != null && v.length() <= 4096 && ABSOLUTE_PATH.matcher(v).matches();
  }

  public static boolean isPosixName(String v) {
    return v != null && POSIX_NAME.matcher(v).matches();
  }

  public static boolean isFileMode(String v) {
    return v != null && FILE_MODE.matcher(v).matches();
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
      throw new IllegalArgumentException(field + " '" + v + "' is not a safe path (letters, digits, '_', '-', single dots, '/' between segments)");
    }
    return v;
  }

  /** Throws when {@code v} is not a safe name; the message names the field. */
  public static String requireSafeName(String field, String v) {
    if (!isSafeName(v)) {
      throw new IllegalArgumentException(field + " '" + v + "' is not a safe name (letters, digits, '_', '-', single dots)");
    }
    return v;
  }
}
