package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.status.Reason;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * What stops the operator from sending {@code maas config-vault migrate} although MAAS would take it: one already
 * runs on the host, or the version breaks after it. Pure: the caller asked the host.
 */
final class MigrationHolds {

    /** How often a refused version is read again (an upgrade of MAAS lifts the refusal without a spec change). */
    static final Duration DEFECT_RECHECK = Duration.ofMinutes(5);

    private MigrationHolds() {}

    /**
     * A {@code migrate} runs on the host ({@code pgrep}): the operator's own from before a restart (MAAS's status
     * does not wait for it) or one typed by hand. A second one would queue behind MAAS's startup lock and run again
     * when the first ends, so the operator waits and asks again; the phase stays Running when it was.
     */
    static Optional<SecretMigration.Result> migrateRunning(
            MigrationStatus m, boolean running, String host, boolean resuming, Duration recheck) {
        if (!running) {
            return Optional.empty();
        }
        String message = "a `maas config-vault migrate` is running on " + host
                + (resuming ? " (the operator's, sent before it restarted)" : " (not sent by the operator)")
                + "; the operator waits for it to end and does not send another";
        if (resuming) {
            m.setMessage(message);
        } else {
            MigrationSteps.phase(m, MigrationPhase.Pending, Reason.RUNNING, message);
        }
        return Optional.of(
                new SecretMigration.Result(SecretMigration.condition(false, Reason.RUNNING, message), recheck, true));
    }

    /** The version on {@code host} (or another region's recorded one) has a defect that breaks MAAS after migrate. */
    static Optional<SecretMigration.Result> knownDefect(
            MigrationStatus m, MigrationMaas installed, String host, Collection<MaasRegion> regions) {
        return installed.refusal(host, regions).map(why -> {
            MigrationSteps.phase(
                    m,
                    MigrationPhase.Blocked,
                    Reason.KNOWN_MAAS_DEFECT,
                    why + ". The operator does not run `maas config-vault migrate` on it: upgrade MAAS to a build with"
                            + " the fix; or, accepting the defect, run the command by hand (the operator then verifies"
                            + " the migration and reports MigratedOutsideOperator)");
            return new SecretMigration.Result(
                    SecretMigration.condition(false, Reason.KNOWN_MAAS_DEFECT, m.getMessage()), DEFECT_RECHECK, true);
        });
    }
}
