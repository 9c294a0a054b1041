package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.Tenancy;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rolling rotation of one VaultIntegration's regions ({@link RollingGate}): a rotation restarts its region only
 * while fewer than spec.rotation.maxUnavailable other regions restart or have not served again since; a region
 * that restarted holds its place (status.appRole.restartingSince) until {@link RegionServing} says it serves again,
 * and one that does not come back stops the roll until it does.
 */
final class RollingRotation {

    private final RollingGate gate = new RollingGate();

    /**
     * A region that restarted for a rotation and did not serve again yet: probes it. Not serving: the result to
     * report (its place kept). Serving: its place is freed and empty is returned (the rotation machine goes on).
     */
    Optional<ConcernResult> stillRestarting(RegionInputs in, AppRoleStatus appRole, ConditionValue provisioned) {
        Optional<String> down = RegionServing.notServing(in);
        if (down.isEmpty()) {
            free(in, appRole);
            return Optional.empty();
        }
        ConditionValue c = ConditionValue.isFalse(
                AppRoleConditions.ROTATION,
                Reason.REGION_DID_NOT_COME_BACK.value(),
                "region " + in.hostname() + " restarted for a secret-id rotation at " + appRole.getRestartingSince()
                        + " and does not serve again: " + down.get() + "; the rolling rotation of VaultIntegration "
                        + integration(in) + " waits for it");
        return Optional.of(new ConcernResult(
                        List.of(provisioned, AppRoleConditions.currentConfigured(in, appRole)),
                        in.retries().floor(),
                        List.of())
                .withInformational(c));
    }

    /**
     * Runs {@code rotation} when this region may restart now, else reports whom it waits for. Afterwards the place
     * is freed when nothing was restarted or the region serves again; kept otherwise.
     */
    ConcernResult rotate(
            RegionInputs in, AppRoleStatus appRole, ConditionValue provisioned, Supplier<Rotation.Outcome> rotation) {
        List<MaasRegion> peers = in.peers();
        List<String> waitFor = gate.enter(
                integration(in),
                in.key(),
                maxUnavailable(in),
                holdersFromStatus(in.integration(), in.key(), peers),
                peers.stream().map(RollingRotation::key).toList());
        if (!waitFor.isEmpty()) {
            return waiting(in, appRole, provisioned, waitFor);
        }
        String heldSince = appRole.getRestartingSince(); // set: an earlier restart has not served again yet
        appRole.setRestartingSince(in.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Rotation.Outcome out;
        try {
            out = rotation.get();
        } catch (RuntimeException e) {
            // the status says whether a restart may have begun (it is written before the restart command)
            gate.leave(integration(in), in.key());
            throw e;
        }
        if (!out.restarted()) {
            if (heldSince == null) {
                free(in, appRole);
            } else {
                appRole.setRestartingSince(heldSince);
            }
            return out.result();
        }
        if (out.rotated()) {
            Optional<String> down = RegionServing.apiDown(in);
            if (down.isEmpty()) {
                free(in, appRole);
                return out.result();
            }
            ConditionValue c = ConditionValue.isFalse(
                    AppRoleConditions.ROTATION,
                    Reason.REGION_DID_NOT_COME_BACK.value(),
                    "the secret-id of region " + in.hostname() + " was rotated, but after the restart " + down.get()
                            + "; the rolling rotation of VaultIntegration " + integration(in) + " waits for it");
            return new ConcernResult(
                            out.result().conditions(),
                            ConcernResult.sooner(
                                    out.result().requeueAfter(), in.retries().floor()),
                            out.result().notices())
                    .withInformational(c);
        }
        // restarted and not confirmed: the place stays taken until it serves again
        return new ConcernResult(
                out.result().conditions(),
                ConcernResult.sooner(out.result().requeueAfter(), in.retries().floor()),
                out.result().notices(),
                out.result().informational());
    }

    /** A rotation is due but the places of the rolling restart are taken: whom it waits for. */
    private ConcernResult waiting(
            RegionInputs in, AppRoleStatus appRole, ConditionValue provisioned, List<String> waitFor) {
        boolean wasFalse = Conditions.find(in.status().getConditions(), AppRoleConditions.ROTATION)
                .filter(c -> Conditions.FALSE.equals(c.getStatus()))
                .isPresent();
        String message = "a secret-id rotation is due; waiting until " + String.join(", ", waitFor)
                + " (restarting for its own rotation, or not serving again since) serves again: VaultIntegration "
                + integration(in) + " restarts at most " + maxUnavailable(in) + " region(s) at a time"
                + " (spec.rotation.maxUnavailable)";
        // keeps False when it was (its transition time paces the retries of a failed rotation)
        ConditionValue c = wasFalse
                ? ConditionValue.isFalse(
                        AppRoleConditions.ROTATION, Reason.WAITING_FOR_ROLLING_RESTART.value(), message)
                : ConditionValue.unknown(
                        AppRoleConditions.ROTATION, Reason.WAITING_FOR_ROLLING_RESTART.value(), message);
        return new ConcernResult(
                        List.of(provisioned, AppRoleConditions.currentConfigured(in, appRole)),
                        in.retries().floor(),
                        List.of())
                .withInformational(c);
    }

    /** A deleted region holds no place. */
    void forget(RegionInputs in) {
        var ref = in.region().getSpec() == null ? null : in.region().getSpec().getVaultIntegrationRef();
        if (ref != null && ref.getName() != null) {
            gate.leave(ref.getName(), in.key()); // by the reference: its integration may be gone already
        }
    }

    private void free(RegionInputs in, AppRoleStatus appRole) {
        appRole.setRestartingSince(null);
        gate.leave(integration(in), in.key());
    }

    private static String integration(RegionInputs in) {
        return in.integration().getMetadata().getName();
    }

    static int maxUnavailable(RegionInputs in) {
        var rotation = in.integration().getSpec().getRotation();
        return rotation == null || rotation.getMaxUnavailable() == null ? 1 : Math.max(1, rotation.getMaxUnavailable());
    }

    /**
     * The other regions of the integration whose status (as cached) says they restart or have not served again:
     * only regions the integration's tenancy admits count (a refused namespace cannot stop the roll).
     */
    static List<String> holdersFromStatus(VaultIntegration vi, String self, List<MaasRegion> peers) {
        return peers.stream()
                .filter(r -> r.getStatus() != null
                        && r.getStatus().getAppRole() != null
                        && r.getStatus().getAppRole().getRestartingSince() != null)
                .filter(r -> r.getSpec() != null
                        && Tenancy.region(vi, r.getMetadata().getNamespace(), r.getSpec())
                                .isEmpty())
                .map(RollingRotation::key)
                .filter(k -> !k.equals(self))
                .sorted()
                .toList();
    }

    private static String key(MaasRegion r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
