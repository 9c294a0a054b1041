package io.maasops.security.reconciler.region;

import io.maasops.security.regionhost.RegionAccessException;

/** Condition reasons for failures to run a command on a region controller. */
public final class RegionReasons {

  private RegionReasons() {}

  public static String of(RegionAccessException e) {
    return switch (e.kind()) {
      case UNREACHABLE -> "RegionUnreachable";
      case HOST_KEY_REJECTED -> "HostKeyRejected";
      case AUTH_FAILED -> "SshAuthenticationFailed";
      case TIMEOUT -> "CommandTimedOut";
      case SUDO_REFUSED -> "SudoRefused";
      case INVALID_CREDENTIALS -> "InvalidCredentials";
      default -> "RegionAccessFailed";
    };
  }
}
