package io.maasops.security.reconciler.region;

import java.util.List;

/** The parts of a MaasRegion reconcile, in the order their conditions roll up into Ready. */
public final class RegionParts {

  private RegionParts() {}

  public static List<RegionPart> all() {
    return List.of(new AppRolePart(), new ConfigFilesPart(), new CertificatePart());
  }
}
