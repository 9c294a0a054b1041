package io.maasops.security.concern.approle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rolling rotation: at most spec.rotation.maxUnavailable regions of one VaultIntegration restart for a secret-id
 * rotation at a time. A region holds a place from before its secret-id is issued until it serves again.
 *
 * <p>Two records of who holds a place, united at every decision: this map, which closes the race between regions
 * reconciled at the same time (the cache shows a peer's status only after its write came back), and the regions'
 * {@code status.appRole.restartingSince} as the informer cache has it, which survives an operator restart (the map
 * starts empty; a region that was restarting still holds its place through its status). The operator runs as one
 * leader, so one map is enough.
 */
final class RollingGate {

    private final Map<String, Set<String>> holders = new HashMap<>();

    /**
     * Takes a place for {@code region} when one is free, or confirms it already has one.
     *
     * @param fromStatus the other regions of the integration whose status says they hold a place
     * @param present every region of the integration the cache has: a place taken here by a region that is gone
     *     (deleted, or moved to another integration) is free
     * @return empty when {@code region} holds a place; else the regions it waits for
     */
    synchronized List<String> enter(
            String integration,
            String region,
            int maxUnavailable,
            Collection<String> fromStatus,
            Collection<String> present) {
        Set<String> mine = holders.computeIfAbsent(integration, k -> new LinkedHashSet<>());
        mine.removeIf(r -> !r.equals(region) && !present.contains(r));
        if (mine.contains(region)) {
            return List.of();
        }
        Set<String> all = new LinkedHashSet<>(fromStatus);
        all.addAll(mine);
        all.remove(region);
        if (all.size() >= Math.max(1, maxUnavailable)) {
            return new ArrayList<>(all);
        }
        mine.add(region);
        return List.of();
    }

    /** {@code region} serves again (or never restarted): its place is free. */
    synchronized void leave(String integration, String region) {
        Set<String> mine = holders.get(integration);
        if (mine != null) {
            mine.remove(region);
            if (mine.isEmpty()) {
                holders.remove(integration);
            }
        }
    }
}
