package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.kube.EventRecorder;
import io.maasops.security.reconciler.Backoff;
import io.maasops.security.reconciler.region.AppRolePart;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.IssuedSecretId;
import io.maasops.security.vault.VaultErrorKind;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.VaultLogin;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 2: `maas config-vault migrate`, once, when every region MAAS knows is configured and the
 * migration is approved. Before the command: MAAS's status (already enabled = only verify), a
 * pre-flight of the MAAS policy with a short-lived secret-id, and the phase Running written to the
 * API server, so that after an operator restart the status is checked before anything runs again.
 * After it: `config-vault status` says enabled and MAAS's global keys are listed in Vault.
 *
 * <p>A failure keeps MAAS's message and stays Failed until the spec changes, except when Vault was
 * sealed or unreachable, or answered the pre-flight or the verification with a server error: then it
 * is retried once Vault is back (those steps change nothing in MAAS).
 */
public final class SecretMigration {

  public static final String SECRETS_MIGRATED = "SecretsMigrated";
  /** MAAS global secrets every deployment has (maas-internals.md §2); verified after migration. */
  public static final List<String> EXPECTED_GLOBAL_KEYS = List.of("rpc-shared", "omapi-key");
  /** Lifetime of the pre-flight secret-id: one that Vault could not destroy expires by itself. */
  public static final Duration PREFLIGHT_TTL = Duration.ofSeconds(60);
  /** One login; one spare so a lost answer to the login does not fail the destroy afterwards. */
  static final int PREFLIGHT_USES = 2;
  /** How often a Blocked migration asks MAAS again (a region may be configured by hand). */
  public static final Duration BLOCKED_RECHECK = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(SecretMigration.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Writes the status built so far to the API server, mid-reconcile (throws when it cannot). */
  @FunctionalInterface
  public interface StatusWriter {
    void persist();
  }

  /**
   * @param countsForReady whether Ready rolls this condition up: only when a migration is requested,
   *     so an integration that nobody asked to migrate yet is still Ready
   */
  public record Result(ConditionValue condition, Duration requeue, boolean countsForReady) {}

  private final RegionSummary regionSummary;
  private final EventRecorder events;

  public SecretMigration(RegionSummary regionSummary, EventRecorder events) {
    this.regionSummary = regionSummary;
    this.events = events;
  }

  /** Whether the region summary should ask MAAS now rather than use its cached answer. */
  public static boolean wantsFreshRegionStatus(VaultIntegration vi, VaultIntegrationStatus status) {
    MigrationStatus m = status.getMigration();
    if (m != null && m.getPhase() == MigrationPhase.Succeeded) {
      return false;
    }
    if (m != null && m.getPhase() == MigrationPhase.Failed && !MigrationDecision.failedOnVault(m)
        && java.util.Objects.equals(m.getAttemptGeneration(), vi.getMetadata().getGeneration())) {
      return false; // stays Failed until the spec changes: nothing to ask MAAS for
    }
    return MigrationDecision.requested(vi.getSpec().getMigration()) || (m != null && m.getPhase() == MigrationPhase.Running);
  }

  /**
   * @param vaultProblem the first Vault set-up condition that is not True, or null when Vault is ready
   */
  public Result run(VaultIntegration vi, VaultIntegrationStatus status, ConditionValue vaultProblem, RegionSummary.Result regions,
                    Collection<MaasRegion> regionResources, VaultGateway vault, KubernetesClient client,
                    StatusWriter writer, Instant now) {
    long generation = vi.getMetadata().getGeneration() == null ? 0 : vi.getMetadata().getGeneration();
    MigrationStatus previous = status.getMigration();
    MigrationStatus m = previous == null ? new MigrationStatus() : previous;
    status.setMigration(m);
    boolean requested = MigrationDecision.requested(vi.getSpec().getMigration());
    var action = MigrationDecision.decide(vi.getSpec().getMigration(), previous, generation, vaultProblem == null,
        regionsState(regions.condition()));
    switch (action) {
      case DONE:
        return new Result(ConditionValue.isTrue(SECRETS_MIGRATED, "Migrated", m.getMessage() == null
            ? "MAAS secrets are in Vault" : m.getMessage()), null, requested);
      case AWAIT_APPROVAL:
        phase(m, MigrationPhase.Pending, "AwaitingApproval",
            "waiting for approval: set spec.migration.approved: true (or mode: Automatic) to run `maas config-vault migrate`");
        // Not requested: reported, but not part of Ready (a quick start is Ready without migrating).
        return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, "AwaitingApproval", m.getMessage()), null, false);
      case STAY_FAILED:
        return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, m.getReason() == null ? "Failed" : m.getReason(),
            m.getMessage() + " (change the spec, e.g. approve again, to retry)"), null, true);
      case WAIT_FOR_VAULT: {
        String why = "waiting for Vault: " + vaultProblem.type() + " is " + vaultProblem.status() + ": " + vaultProblem.message();
        if (m.getPhase() != MigrationPhase.Failed && m.getPhase() != MigrationPhase.Running) {
          phase(m, MigrationPhase.Pending, "WaitingForVault", why);
        }
        String reason = m.getPhase() == MigrationPhase.Failed && m.getReason() != null ? m.getReason() : "WaitingForVault";
        return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, reason,
            m.getPhase() == MigrationPhase.Pending ? why : m.getMessage() + "; " + why), Backoff.CAP, true);
      }
      case WAIT_FOR_REGIONS:
        phase(m, MigrationPhase.Pending, "WaitingForRegions", "waiting for MAAS to confirm every region is configured ("
            + regions.condition().message() + ")");
        return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, "WaitingForRegions", m.getMessage()), null, true);
      case BLOCKED:
        return blocked(m, unconfiguredNames(status, regionResources));
      case RUN:
      default:
        return runMigration(vi, status, m, regionResources, vault, client, writer, now, generation);
    }
  }

  private Result runMigration(VaultIntegration vi, VaultIntegrationStatus status, MigrationStatus m,
                              Collection<MaasRegion> regionResources, VaultGateway vault, KubernetesClient client,
                              StatusWriter writer, Instant now, long generation) {
    boolean resuming = m.getPhase() == MigrationPhase.Running;
    Optional<MaasRegion> target = target(regionResources, m.getRegion());
    if (target.isEmpty()) {
      return pending(m, resuming, "MaasUnreachable", "no configured MaasRegion to run `maas config-vault` on", status, now);
    }
    MaasRegion region = target.get();
    String host = region.getSpec().getHostname();
    MaasCli cli;
    VaultStatus maas;
    try {
      cli = regionSummary.cli(region, client);
      // MAAS's own state first: after a restart in Running the command may already have done its work
      maas = cli.vaultStatus();
    } catch (MaasCliException | RegionAccessException | IllegalStateException e) {
      return pending(m, resuming, "MaasUnreachable", "could not ask MAAS on " + host + ": " + e.getMessage(), status, now);
    }
    if (maas.enabled()) {
      return verify(vi, status, m, cli, vault, host, now, resuming
          ? "MAAS reports the secrets in Vault (the command had finished before the operator restarted)"
          : "MAAS already reports the secrets in Vault");
    }
    if (!maas.unconfiguredRegions().isEmpty()) {
      return blocked(m, maas.unconfiguredRegions());
    }
    Optional<Result> preflightFailure = preflight(vi, region, vault, m, now, generation);
    if (preflightFailure.isPresent()) {
      return preflightFailure.get();
    }

    // Persisted before the command runs: a restart from here on checks MAAS's status first.
    m.setPhase(MigrationPhase.Running);
    m.setReason("Running");
    m.setRegion(host);
    m.setAttemptGeneration(generation);
    m.setStartedAt(time(now));
    m.setCompletedAt(null);
    m.setVerifiedPaths(null);
    m.setMessage("running `maas config-vault migrate` on " + host);
    ConditionValue running = ConditionValue.isFalse(SECRETS_MIGRATED, "Running", m.getMessage());
    status.setConditions(Conditions.set(status.getConditions(), running, generation, now));
    writer.persist();
    events.normal(vi, "MigrationStarted", "running `maas config-vault migrate` on " + host);

    MigrationOutcome outcome;
    try {
      outcome = cli.migrate();
    } catch (RegionAccessException e) {
      // The command may or may not have run: stay Running, so the next attempt asks MAAS first.
      m.setMessage("`maas config-vault migrate` on " + host + " did not report back: " + e.getMessage()
          + "; the operator checks MAAS's status before running anything again");
      return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, "Running", m.getMessage()), Backoff.FLOOR, true);
    }
    if (outcome.done()) {
      return verify(vi, status, m, cli, vault, host, now, outcome.result() == MigrationOutcome.Result.ALREADY_MIGRATED
          ? MigrationOutcome.ALREADY_MIGRATED_TEXT : "MAAS: " + outcome.message());
    }
    switch (outcome.result()) {
      case REGIONS_UNCONFIGURED:
        return blocked(m, outcome.unconfiguredRegions());
      case NOT_CONFIGURED_LOCALLY:
        phase(m, MigrationPhase.Blocked, "Blocked", outcome.message());
        return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, "Blocked", m.getMessage()), BLOCKED_RECHECK, true);
      default:
        break;
    }
    // Tell a sealed or unreachable Vault (retried by itself) from MAAS's other failures (not retried).
    String cause = vaultCause(vault).orElse(outcome.result() == MigrationOutcome.Result.VAULT_TEST_FAILED ? "VaultTestFailed" : "Failed");
    String hint = hintFor(cause);
    return failed(vi, m, cause, "`maas config-vault migrate` on " + host + " failed: " + outcome.message() + hint, now);
  }

  /** A short-lived, few-use secret-id on the region's role logs in and writes, reads and deletes a probe key. */
  private Optional<Result> preflight(VaultIntegration vi, MaasRegion region, VaultGateway vault, MigrationStatus m,
                                     Instant now, long generation) {
    m.setAttemptGeneration(generation);
    try {
      HealthStatus health = vault.health();
      if (health.sealed()) {
        return Optional.of(failed(vi, m, "VaultSealed", "pre-flight: Vault is sealed" + hintFor("VaultSealed"), now));
      }
    } catch (VaultException e) {
      return Optional.of(failed(vi, m, "VaultUnreachable", "pre-flight: " + e.getMessage() + hintFor("VaultUnreachable"), now));
    }
    AppRoleStatus appRole = region.getStatus() == null ? null : region.getStatus().getAppRole();
    // the role's name is derived from the region's identity, never taken from its status
    String role = io.maasops.security.reconciler.Names.roleName(region);
    if (appRole == null || appRole.getRoleId() == null) {
      return Optional.of(failed(vi, m, "PreflightFailed", "pre-flight: region " + region.getSpec().getHostname()
          + " has no AppRole yet", now));
    }
    String approle = io.maasops.security.reconciler.Names.APPROLE_MOUNT;
    String kvMount = vi.getSpec().getSecrets().getMount();
    String probe = vi.getSpec().getSecrets().getPath() + "/operator-preflight-" + HexFormat.of().formatHex(randomBytes());
    IssuedSecretId issued = null;
    try {
      issued = vault.createSecretId(approle, role, PREFLIGHT_TTL, PREFLIGHT_USES);
      VaultLogin login = vault.appRoleLogin(approle, appRole.getRoleId(), issued.secretId());
      VaultGateway asMaas = vault.forToken(login.clientToken());
      asMaas.kvWrite(kvMount, probe, Map.of("value", "maas-security-operator pre-flight"));
      if (asMaas.kvRead(kvMount, probe).isEmpty()) {
        return Optional.of(failed(vi, m, "PreflightFailed", "pre-flight: the probe key " + kvMount + "/data/" + probe
            + " written with role " + role + " could not be read back", now));
      }
      asMaas.kvDelete(kvMount, probe);
      return Optional.empty();
    } catch (VaultException e) {
      String cause = switch (e.kind()) {
        case SEALED -> "VaultSealed";
        case UNREACHABLE -> "VaultUnreachable";
        case SERVER_ERROR -> "VaultError";
        default -> "PreflightFailed";
      };
      String hint = e.kind() == VaultErrorKind.PERMISSION_DENIED
          ? " (the policy of role " + role + " does not grant MAAS's minimal access)" : hintFor(cause);
      return Optional.of(failed(vi, m, cause, "pre-flight with role " + role + " failed: "
          + e.getMessage() + hint, now));
    } finally {
      if (issued != null) {
        try {
          vault.destroySecretIdByAccessor(approle, role, issued.accessor());
        } catch (VaultException e) {
          // it expires by itself within PREFLIGHT_TTL
          LOG.warn("could not destroy the pre-flight secret-id (accessor {}): {}", issued.accessor(), e.getMessage());
        }
      }
    }
  }

  /** `config-vault status` says enabled and MAAS's global keys are listed under <mount>/metadata/<path>/global/. */
  private Result verify(VaultIntegration vi, VaultIntegrationStatus status, MigrationStatus m, MaasCli cli, VaultGateway vault,
                        String host, Instant now, String how) {
    String kvMount = vi.getSpec().getSecrets().getMount();
    String path = vi.getSpec().getSecrets().getPath();
    String where = kvMount + "/metadata/" + path + "/global/";
    try {
      VaultStatus after = cli.vaultStatus();
      if (!after.enabled()) {
        return failed(vi, m, "VerificationFailed", how + ", but `maas config-vault status` on " + host + " says disabled", now);
      }
    } catch (MaasCliException | RegionAccessException e) {
      return pending(m, true, "MaasUnreachable", "verification: could not ask MAAS on " + host + ": " + e.getMessage(), status, now);
    }
    List<String> keys;
    try {
      keys = vault.kvList(kvMount, path + "/global");
    } catch (VaultException e) {
      String cause = switch (e.kind()) {
        case SEALED -> "VaultSealed";
        case UNREACHABLE -> "VaultUnreachable";
        case SERVER_ERROR -> "VaultError";
        default -> "VerificationFailed";
      };
      return failed(vi, m, cause, "verification: cannot list " + where + ": " + e.getMessage() + hintFor(cause), now);
    }
    List<String> missing = EXPECTED_GLOBAL_KEYS.stream().filter(k -> !keys.contains(k)).toList();
    if (!missing.isEmpty()) {
      return failed(vi, m, "VerificationFailed", how + ", but " + where + " lacks " + String.join(", ", missing), now);
    }
    boolean wasSucceeded = m.getPhase() == MigrationPhase.Succeeded;
    m.setPhase(MigrationPhase.Succeeded);
    m.setReason("Migrated");
    m.setCompletedAt(time(now));
    m.setVerifiedPaths(EXPECTED_GLOBAL_KEYS.stream().map(k -> where + k).toList());
    m.setMessage(how + "; verified " + String.join(", ", EXPECTED_GLOBAL_KEYS) + " under " + where);
    if (!wasSucceeded) {
      events.normal(vi, "SecretsMigrated", m.getMessage());
    }
    return new Result(ConditionValue.isTrue(SECRETS_MIGRATED, "Migrated", m.getMessage()), null, true);
  }

  private Result blocked(MigrationStatus m, Collection<String> unconfigured) {
    // MAAS's words (config_vault.py): "Vault is not configured for regions: h1, h2"
    phase(m, MigrationPhase.Blocked, "Blocked", MigrationOutcome.REGIONS_UNCONFIGURED_PREFIX + String.join(", ", unconfigured));
    return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, "Blocked", m.getMessage()), BLOCKED_RECHECK, true);
  }

  private Result failed(VaultIntegration vi, MigrationStatus m, String reason, String message, Instant now) {
    boolean changed = m.getPhase() != MigrationPhase.Failed || !message.equals(m.getMessage());
    m.setPhase(MigrationPhase.Failed);
    m.setReason(reason);
    m.setMessage(message);
    m.setCompletedAt(time(now));
    if (changed) {
      events.warning(vi, "MigrationFailed", message);
    }
    boolean retried = MigrationDecision.VAULT_CAUSES.contains(reason);
    String conditionReason = switch (reason) {
      case "PreflightFailed", "VerificationFailed", "VaultSealed", "VaultUnreachable", "VaultError", "VaultTestFailed" -> reason;
      default -> "Failed";
    };
    return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, conditionReason, message), retried ? Backoff.FLOOR : null, true);
  }

  /** Nothing run and nothing decided (MAAS could not be asked): keep Running when resuming, else Pending. */
  private static Result pending(MigrationStatus m, boolean resuming, String reason, String message, VaultIntegrationStatus status,
                                Instant now) {
    if (resuming) {
      m.setMessage(message + "; the operator checks MAAS's status again before running anything");
    } else {
      phase(m, MigrationPhase.Pending, reason, message);
    }
    Duration retry = Backoff.since(Conditions.find(status.getConditions(), SECRETS_MIGRATED)
        .filter(c -> !Conditions.TRUE.equals(c.getStatus())).map(c -> c.getLastTransitionTime()).orElse(null), now);
    return new Result(ConditionValue.isFalse(SECRETS_MIGRATED, resuming ? "Running" : reason, m.getMessage()), retry, true);
  }

  private static void phase(MigrationStatus m, MigrationPhase phase, String reason, String message) {
    m.setPhase(phase);
    m.setReason(reason);
    m.setMessage(message);
  }

  /** Sealed or unreachable now, as the reason of a failed attempt. */
  private static Optional<String> vaultCause(VaultGateway vault) {
    try {
      return vault.health().sealed() ? Optional.of("VaultSealed") : Optional.empty();
    } catch (VaultException e) {
      return Optional.of("VaultUnreachable");
    }
  }

  private static String hintFor(String cause) {
    return switch (cause) {
      case "VaultSealed" -> ". Vault is sealed: unseal it with `vault operator unseal`; the migration resumes by itself";
      case "VaultUnreachable" -> ". Vault cannot be reached; the migration resumes by itself once it answers";
      case "VaultError" -> ". Vault answered with a server error; the migration retries by itself";
      case "VaultTestFailed" -> ". MAAS stopped at its own Vault login, before moving anything; the migration retries by itself";
      default -> "";
    };
  }

  static MigrationDecision.Regions regionsState(ConditionValue regionsConfigured) {
    if (regionsConfigured.ok()) {
      return MigrationDecision.Regions.ALL_CONFIGURED;
    }
    return switch (regionsConfigured.reason()) {
      case "RegionsPending", "RegionsUnconfigured" -> MigrationDecision.Regions.UNCONFIGURED;
      default -> MigrationDecision.Regions.NOT_CONFIRMED;
    };
  }

  /** MAAS's unconfigured list (from its last `config-vault status`) plus declared regions not configured yet, sorted. */
  static List<String> unconfiguredNames(VaultIntegrationStatus status, Collection<MaasRegion> regions) {
    TreeSet<String> names = new TreeSet<>();
    if (status.getRegions() != null && status.getRegions().getUnconfigured() != null) {
      names.addAll(status.getRegions().getUnconfigured());
    }
    for (MaasRegion r : regions) {
      if (r.getMetadata().getDeletionTimestamp() == null
          && (r.getStatus() == null || !Conditions.isTrue(r.getStatus().getConditions(), AppRolePart.VAULT_CONFIGURED))) {
        names.add(r.getSpec().getHostname());
      }
    }
    return new ArrayList<>(names);
  }

  /** The region the command runs on: the one of the last attempt if still configured, else the first by name. */
  static Optional<MaasRegion> target(Collection<MaasRegion> regions, String previousHost) {
    List<MaasRegion> configured = regions.stream()
        .filter(r -> r.getMetadata().getDeletionTimestamp() == null && r.getStatus() != null
            && Conditions.isTrue(r.getStatus().getConditions(), AppRolePart.VAULT_CONFIGURED))
        .sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList();
    return configured.stream().filter(r -> r.getSpec().getHostname().equals(previousHost)).findFirst()
        .or(() -> configured.stream().findFirst());
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
