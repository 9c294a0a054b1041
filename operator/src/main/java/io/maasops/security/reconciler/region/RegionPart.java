package io.maasops.security.reconciler.region;

/**
 * One concern of a MaasRegion (its AppRole, its config files, its certificate). Each part owns
 * its conditions and its section of the status, decides itself whether work is due (spec change,
 * schedule), and never throws for expected failures: it reports them as conditions.
 */
public interface RegionPart {

  /** The condition types this part sets, in the order Ready rolls them up. */
  java.util.List<String> conditionTypes();

  /** Whether the part applies to this region at all (e.g. certificates only with spec.tls). */
  default boolean appliesTo(RegionContext ctx) {
    return true;
  }

  PartResult reconcile(RegionContext ctx);

  /** Called when the MaasRegion is deleted, before the finalizer is removed. */
  default void cleanup(RegionContext ctx) {}
}
