package io.maasops.security.concern;

import java.util.List;

/**
 * One concern of a MaasRegion (its AppRole, its config files, its certificate). Each owns its
 * conditions and its section of the status, decides itself whether work is due, and never throws
 * for expected failures: it reports them as conditions.
 */
public interface RegionConcern {

    /** The condition types this concern sets, in the order Ready rolls them up. */
    List<String> conditionTypes();

    /** Whether the concern applies to this region at all (e.g. certificates only with spec.tls). */
    default boolean appliesTo(RegionInputs in) {
        return true;
    }

    ConcernResult reconcile(RegionInputs in);

    /**
     * Called when the MaasRegion is deleted, before the finalizer is removed; returns the Events to
     * record. Throws {@code vault.VaultException} while Vault cannot do it (the finalizer stays).
     */
    default List<Notice> cleanup(RegionInputs in) {
        return List.of();
    }
}
