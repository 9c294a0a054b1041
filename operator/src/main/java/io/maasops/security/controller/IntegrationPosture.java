package io.maasops.security.controller;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.posture.MaasPosture;
import io.maasops.security.concern.posture.Posture;
import io.maasops.security.port.PortFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The VaultIntegration's posture step: its checks into the status, and the opt-in MAAS notification. */
final class IntegrationPosture {

    private final PortFactory ports;
    private final MaasPosture maasPosture;

    IntegrationPosture(PortFactory ports) {
        this.ports = ports;
        this.maasPosture = new MaasPosture(ports);
    }

    /**
     * The posture, from the status just decided and what the deployment's own MAAS API says (when due):
     * informational, outside Ready (a healthy but insecure deployment is neither in progress nor stalled;
     * docs/posture.md). Returns when MAAS is to be asked again.
     */
    Duration apply(
            StatusRecorder<VaultIntegration, VaultIntegrationStatus>.Session session,
            VaultIntegration vi,
            Set<MaasRegion> regions,
            List<RoleBinding> bindings,
            Instant now,
            boolean askMaas) {
        VaultIntegrationStatus status = session.status();
        MaasPosture.Round maas = maasPosture.round(vi, status, now);
        Duration next = maas.measure(askMaas).orElse(null);
        Posture.Evaluation posture = Posture.evaluate(vi, status, regions, bindings, now);
        status.setPosture(posture.checks());
        status.setPostureSummary(posture.summary());
        session.set(posture.condition()); // its Events follow from the status once written (StatusTransitions)
        // the MAAS notification is an effect on MAAS, not a status change: its outcome is an Event of its own
        Notices.record(ports.events(), vi, maas.notifyAdministrators(posture.checks()));
        return next;
    }

    /** The Deleted event's message with what became of the deployment's MAAS notification. */
    String removed(VaultIntegration vi, String done) {
        return maasPosture.removeNotification(vi).map(n -> done + "; " + n).orElse(done);
    }
}
