package io.maasops.security.reconciler;

import java.util.List;

/** Joins validation problems into one condition message. */
final class Problems {

  private Problems() {}

  static String join(List<String> problems) {
    String all = String.join("; ", problems);
    return all.length() > 2000 ? all.substring(0, 1997) + "..." : all;
  }
}
