package io.maasops.security.controller;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.maasinstall.MaasVersionConcern;
import io.maasops.security.concern.migration.MigrationEvents;
import io.maasops.security.concern.posture.Posture;
import java.util.ArrayList;
import java.util.List;

/**
 * The Events a change of status stands for, from the status before and after one reconcile (pure). The controller
 * emits them once, after the status is written, so an Event never reports a state the status does not hold.
 * Events that report an action whose result is not in status (a MAAS group created, a file fixed, a role repaired)
 * stay with the code that acted: see the concerns' {@code Notice}s.
 */
final class StatusTransitions {

    private StatusTransitions() {}

    /**
     * A VaultIntegration's: the secret migration's start and outcome, then each posture check whose result changed (a
     * first evaluation: each failing one).
     */
    static List<Notice> ofIntegration(VaultIntegrationStatus before, VaultIntegrationStatus after) {
        List<Notice> out = new ArrayList<>(MigrationEvents.transitions(
                before == null ? null : before.getMigration(), after == null ? null : after.getMigration()));
        out.addAll(Posture.transitions(
                before == null ? null : before.getPosture(), after == null ? null : after.getPosture()));
        return out;
    }

    /** A MaasRegion's: the MAAS version first seen on the host, or changed. */
    static List<Notice> ofRegion(MaasRegion region, MaasRegionStatus before, MaasRegionStatus after) {
        return MaasVersionConcern.transitions(
                region.getSpec().getHostname(),
                before == null ? null : before.getMaas(),
                after == null ? null : after.getMaas());
    }
}
