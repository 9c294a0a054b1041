package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Checkpoint;
import io.maasops.security.concern.RegionShells;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.RegionShell;
import io.maasops.security.port.VaultPort;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * `maas config-vault migrate`, once, when every region MAAS knows is configured and the migration is
 * approved ({@link MigrationDecision}). Before the command: MAAS's status (already enabled = only
 * verify), a pre-flight of the MAAS policy ({@link MigrationSteps#preflight}), and the phase Running
 * checkpointed, so that after an operator restart the status is checked before anything runs again.
 * After it: {@link MigrationSteps#verify}. A failure ({@link MigrationFailure}) keeps MAAS's message
 * and stays Failed until the spec changes, unless it is retryable.
 */
public final class SecretMigration {

    public static final String SECRETS_MIGRATED = ConditionType.SECRETS_MIGRATED.value();
    /** Lifetime of the pre-flight secret-id: one that Vault could not destroy expires by itself. */
    public static final Duration PREFLIGHT_TTL = Duration.ofSeconds(60);
    /** One login; one spare so a lost answer to the login does not fail the destroy afterwards. */
    static final int PREFLIGHT_USES = 2;
    /** How often a Blocked migration asks MAAS again (a region may be configured by hand). */
    public static final Duration BLOCKED_RECHECK = Duration.ofSeconds(30);

    /**
     * @param countsForReady whether Ready rolls this condition up: only when a migration is requested,
     *     so an integration that nobody asked to migrate yet is still Ready
     */
    public record Result(ConditionValue condition, Duration requeue, boolean countsForReady) {}

    private final PortFactory ports;

    private final RetryDelays retries;
    private final MigrationSteps steps;
    private final UnconfiguredControllers controllers;

    public SecretMigration(PortFactory ports, RetryDelays retries) {
        this.ports = ports;
        this.retries = retries;
        this.steps = new MigrationSteps(retries);
        this.controllers = new UnconfiguredControllers(ports);
    }

    /** Whether the region summary should ask MAAS now rather than use its cached answer. */
    public static boolean wantsFreshRegionStatus(VaultIntegration vi, VaultIntegrationStatus status) {
        MigrationStatus m = status.getMigration();
        if (m != null && m.getPhase() == MigrationPhase.Succeeded) {
            return false;
        }
        if (m != null
                && m.getPhase() == MigrationPhase.Failed
                && !MigrationDecision.failedOnVault(m)
                && Objects.equals(m.getAttemptGeneration(), vi.getMetadata().getGeneration())) {
            return false; // stays Failed until the spec changes: nothing to ask MAAS for
        }
        return MigrationDecision.requested(vi.getSpec().getMigration())
                || (m != null && m.getPhase() == MigrationPhase.Running);
    }

    /**
     * @param vaultProblem the first Vault set-up condition that is not True, or null when Vault is ready
     * @param regions the integration's RegionsConfigured condition
     * @param maasReportsEnabled MAAS's {@code config-vault status} said enabled in this reconcile
     */
    public Result run(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            ConditionValue vaultProblem,
            ConditionValue regions,
            Collection<MaasRegion> regionResources,
            VaultPort vault,
            Checkpoint checkpoint,
            Instant now,
            boolean maasReportsEnabled) {
        long generation =
                vi.getMetadata().getGeneration() == null ? 0 : vi.getMetadata().getGeneration();
        MigrationStatus previous = status.getMigration();
        MigrationStatus m = previous == null ? new MigrationStatus() : previous;
        status.setMigration(m);
        boolean requested = MigrationDecision.requested(vi.getSpec().getMigration());
        var action = MigrationDecision.decide(
                vi.getSpec().getMigration(),
                previous,
                generation,
                vaultProblem == null,
                MigrationRegions.state(regions),
                maasReportsEnabled);
        return switch (action) {
            case DONE ->
                new Result(
                        condition(
                                true,
                                Reason.MIGRATED_OUTSIDE_OPERATOR.value().equals(m.getReason())
                                        ? Reason.MIGRATED_OUTSIDE_OPERATOR
                                        : Reason.MIGRATED,
                                m.getMessage() == null ? "MAAS secrets are in Vault" : m.getMessage()),
                        null,
                        requested);
            case AWAIT_APPROVAL -> {
                MigrationSteps.phase(
                        m,
                        MigrationPhase.Pending,
                        Reason.AWAITING_APPROVAL,
                        "waiting for approval: set spec.migration.approved: true (or mode: Automatic) to run `maas config-vault migrate`");
                // Not requested: reported, but not part of Ready (a quick start is Ready without migrating).
                yield new Result(condition(false, Reason.AWAITING_APPROVAL, m.getMessage()), null, false);
            }
            case STAY_FAILED ->
                new Result(
                        ConditionValue.isFalse(
                                SECRETS_MIGRATED,
                                m.getReason() == null ? Reason.FAILED.value() : m.getReason(),
                                m.getMessage() + " (change the spec, e.g. approve again, to retry)"),
                        null,
                        true);
            case WAIT_FOR_VAULT -> waitForVault(m, vaultProblem);
            case WAIT_FOR_REGIONS -> {
                MigrationSteps.phase(
                        m,
                        MigrationPhase.Pending,
                        Reason.WAITING_FOR_REGIONS,
                        "waiting for MAAS to confirm every region is configured (" + regions.message() + ")");
                yield new Result(condition(false, Reason.WAITING_FOR_REGIONS, m.getMessage()), null, true);
            }
            case BLOCKED ->
                controllers.blocked(
                        vi, m, MigrationRegions.unconfiguredNames(status, regionResources), regionResources);
            case RUN -> runMigration(vi, status, m, regionResources, vault, checkpoint, now, generation);
        };
    }

    private Result waitForVault(MigrationStatus m, ConditionValue vaultProblem) {
        String why = "waiting for Vault: " + vaultProblem.type() + " is " + vaultProblem.status() + ": "
                + vaultProblem.message();
        if (m.getPhase() != MigrationPhase.Failed && m.getPhase() != MigrationPhase.Running) {
            MigrationSteps.phase(m, MigrationPhase.Pending, Reason.WAITING_FOR_VAULT, why);
        }
        String reason = m.getPhase() == MigrationPhase.Failed && m.getReason() != null
                ? m.getReason()
                : Reason.WAITING_FOR_VAULT.value();
        return new Result(
                ConditionValue.isFalse(
                        SECRETS_MIGRATED,
                        reason,
                        m.getPhase() == MigrationPhase.Pending ? why : m.getMessage() + "; " + why),
                retries.cap(),
                true);
    }

    private Result runMigration(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            MigrationStatus m,
            Collection<MaasRegion> regionResources,
            VaultPort vault,
            Checkpoint checkpoint,
            Instant now,
            long generation) {
        boolean resuming = m.getPhase() == MigrationPhase.Running;
        Optional<MaasRegion> target = MigrationRegions.target(regionResources, m.getRegion());
        if (target.isEmpty()) {
            return pending(m, resuming, "no configured MaasRegion to run `maas config-vault` on", status, now);
        }
        MaasRegion region = target.get();
        String host = region.getSpec().getHostname();
        RegionShell cli;
        VaultStatus maas;
        MigrationMaas installed;
        boolean running;
        try {
            cli = RegionShells.open(region, ports, ports.secrets());
            // MAAS's own state first: after a restart in Running the command may already have done its work
            maas = cli.vaultStatus();
            installed = MigrationMaas.read(cli);
            // status does not wait for a running migrate: ask the host before anything is sent
            running = !maas.enabled() && cli.migrateRunning();
        } catch (MaasCliException | RegionAccessException e) {
            return pending(m, resuming, "could not ask MAAS on " + host + ": " + e.getMessage(), status, now);
        }
        if (maas.enabled()) {
            boolean byHand = !resuming && m.getStartedAt() == null; // the operator never sent migrate
            return verify(
                    vi,
                    status,
                    m,
                    cli,
                    vault,
                    host,
                    now,
                    installed,
                    resuming
                            ? "MAAS reports the secrets in Vault (the command had finished before the operator restarted)"
                            : byHand
                                    ? "MAAS reports the secrets in Vault, migrated outside the operator (`maas"
                                            + " config-vault migrate` run by hand; the operator never sent it)"
                                    : "MAAS already reports the secrets in Vault",
                    byHand ? Reason.MIGRATED_OUTSIDE_OPERATOR : Reason.MIGRATED);
        }
        Optional<Result> held = MigrationHolds.migrateRunning(m, running, host, resuming, retries.floor())
                .or(() -> MigrationHolds.knownDefect(m, installed, host, regionResources));
        if (held.isPresent()) {
            return held.get();
        }
        if (!maas.unconfiguredRegions().isEmpty()) {
            return controllers.blocked(vi, m, maas.unconfiguredRegions(), regionResources);
        }
        Optional<Result> preflightFailure = steps.preflight(vi, region, vault, m, now, generation);
        if (preflightFailure.isPresent()) {
            return preflightFailure.get();
        }
        markRunning(m, status, host, generation, now);
        checkpoint.persist(); // a restart from here on checks MAAS's status first
        // MigrationStarted comes from the status diff (MigrationEvents: a new startedAt)
        return migrate(vi, status, m, cli, vault, host, now, installed, regionResources);
    }

    private static void markRunning(
            MigrationStatus m, VaultIntegrationStatus status, String host, long generation, Instant now) {
        m.setPhase(MigrationPhase.Running);
        m.setReason(Reason.RUNNING.value());
        m.setRegion(host);
        m.setAttemptGeneration(generation);
        m.setStartedAt(MigrationSteps.time(now));
        m.setCompletedAt(null);
        m.setVerifiedPaths(null);
        m.setMessage("running `maas config-vault migrate` on " + host);
        status.setConditions(Conditions.set(
                status.getConditions(), condition(false, Reason.RUNNING, m.getMessage()), generation, now));
    }

    private Result migrate(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            MigrationStatus m,
            RegionShell cli,
            VaultPort vault,
            String host,
            Instant now,
            MigrationMaas installed,
            Collection<MaasRegion> regionResources) {
        MigrationOutcome outcome;
        try {
            outcome = cli.migrate();
        } catch (RegionAccessException e) {
            // The command may or may not have run: stay Running, so the next attempt asks MAAS first.
            m.setMessage("`maas config-vault migrate` on " + host + " did not report back: " + e.getMessage()
                    + "; the operator checks MAAS's status before running anything again");
            return new Result(condition(false, Reason.RUNNING, m.getMessage()), retries.floor(), true);
        }
        if (outcome.done()) {
            return verify(
                    vi,
                    status,
                    m,
                    cli,
                    vault,
                    host,
                    now,
                    installed,
                    outcome.result() == MigrationOutcome.Result.ALREADY_MIGRATED
                            ? MigrationOutcome.ALREADY_MIGRATED_TEXT
                            : "MAAS: " + outcome.message(),
                    Reason.MIGRATED);
        }
        switch (outcome.result()) {
            case REGIONS_UNCONFIGURED:
                return controllers.blocked(vi, m, outcome.unconfiguredRegions(), regionResources);
            case NOT_CONFIGURED_LOCALLY:
                MigrationSteps.phase(m, MigrationPhase.Blocked, Reason.BLOCKED, outcome.message());
                return new Result(condition(false, Reason.BLOCKED, m.getMessage()), BLOCKED_RECHECK, true);
            default:
                break;
        }
        // Tell a sealed or unreachable Vault (retried by itself) from MAAS's other failures (not retried).
        MigrationFailure cause = MigrationSteps.vaultCause(vault)
                .orElse(
                        outcome.result() == MigrationOutcome.Result.VAULT_TEST_FAILED
                                ? MigrationFailure.VAULT_TEST_FAILED
                                : MigrationFailure.FAILED);
        return steps.failed(
                vi, m, cause, "`maas config-vault migrate` on " + host + " failed: " + outcome.message(), now);
    }

    private Result verify(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            MigrationStatus m,
            RegionShell cli,
            VaultPort vault,
            String host,
            Instant now,
            MigrationMaas installed,
            String how,
            Reason success) {
        VaultStatus after;
        try {
            after = cli.vaultStatus();
        } catch (MaasCliException | RegionAccessException e) {
            return pending(m, true, "verification: could not ask MAAS on " + host + ": " + e.getMessage(), status, now);
        }
        return steps.verify(vi, m, after, vault, host, now, how, installed.keysAfterMigration(), success);
    }

    /** Nothing run and nothing decided (MAAS could not be asked): keep Running when resuming, else Pending. */
    private Result pending(
            MigrationStatus m, boolean resuming, String message, VaultIntegrationStatus status, Instant now) {
        if (resuming) {
            m.setMessage(message + "; the operator checks MAAS's status again before running anything");
        } else {
            MigrationSteps.phase(m, MigrationPhase.Pending, Reason.MAAS_UNREACHABLE, message);
        }
        Duration retry = retries.since(
                Conditions.find(status.getConditions(), SECRETS_MIGRATED)
                        .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
                        .map(c -> c.getLastTransitionTime())
                        .orElse(null),
                now);
        return new Result(
                condition(false, resuming ? Reason.RUNNING : Reason.MAAS_UNREACHABLE, m.getMessage()), retry, true);
    }

    static ConditionValue condition(boolean migrated, Reason reason, String message) {
        return migrated
                ? ConditionValue.isTrue(SECRETS_MIGRATED, reason.value(), message)
                : ConditionValue.isFalse(SECRETS_MIGRATED, reason.value(), message);
    }
}
