package io.maasops.security.reconciler.region;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.reconciler.Backoff;
import io.maasops.security.reconciler.integration.IntegrationVault;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.util.Durations;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flow 3: a configured region gets a new secret-id every spec.rotation.secretIdRotationPeriod, when
 * the {@value ApiGroup#ROTATE_SECRET_ID_ANNOTATION} annotation gets a new value, or when it must be
 * reconfigured (role-id changed, an issued secret-id never confirmed). Steps: new wrapped
 * secret-id → `config-vault configure` → restart the region service → `config-vault status` →
 * destroy the old accessor.
 *
 * <p>The old secret-id is destroyed only after every step worked, so a failure at any step leaves
 * the region with working credentials: before configure, regiond.conf still holds the old one (the
 * new one is destroyed); after configure, regiond.conf holds the new one and the running service
 * the old one, so both stay valid until a later attempt completes. VaultConfigured stays True; the
 * {@value #SECRET_ID_ROTATION} condition (not part of Ready) names the failed step.
 */
final class SecretIdRotation {

  static final String SECRET_ID_ROTATION = "SecretIdRotation";

  /** The steps, as named in conditions and events. */
  enum Step {
    CREATE_SECRET_ID("create-secret-id"), CONFIGURE("configure"), RESTART("restart"), CONFIRM("confirm");

    final String label;

    Step(String label) {
      this.label = label;
    }
  }

  private SecretIdRotation() {}

  /**
   * Why a configured region should rotate now, or null. Pure.
   *
   * @param annotation the current value of the rotate-secret-id annotation (null when absent)
   */
  static String due(AppRoleStatus appRole, Duration period, String annotation, Instant now) {
    if (appRole.getSecretIdAccessor() == null || appRole.getConfiguredAt() == null) {
      return null; // first configuration is not a rotation
    }
    if (annotation != null && !annotation.equals(appRole.getRotationRequest())) {
      return "requested (" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "=" + annotation + ")";
    }
    Instant next = nextDue(appRole, period);
    if (next != null && !now.isBefore(next)) {
      return "rotation period " + Durations.toVaultSeconds(period) + " elapsed";
    }
    return null;
  }

  /** When the period says to rotate next (from the last rotation, else the configuration); null = never. */
  static Instant nextDue(AppRoleStatus appRole, Duration period) {
    if (period == null || period.isZero() || period.isNegative()) {
      return null;
    }
    String since = appRole.getRotatedAt() != null ? appRole.getRotatedAt() : appRole.getConfiguredAt();
    return since == null ? null : Instant.parse(since).plus(period);
  }

  static PartResult reconcile(RegionContext ctx, VaultGateway vault, VaultIntegration vi, AppRoleStatus appRole, String mount,
                              String role, String reconfigureWhy, ConditionValue provisioned, ConditionValue configured) {
    Instant now = ctx.now();
    String annotation = annotation(ctx);
    Duration period = vi.getSpec().getRotation() == null ? Duration.ZERO
        : Durations.parse(vi.getSpec().getRotation().getSecretIdRotationPeriod());
    boolean freshRequest = annotation != null && !annotation.equals(appRole.getRotationRequest());
    String why = reconfigureWhy != null ? reconfigureWhy : due(appRole, period, annotation, now);
    Duration periodic = untilNext(appRole, period, now);
    if (why == null) {
      return PartResult.of(List.of(provisioned, configured), periodic);
    }
    // After a failed attempt, wait (capped backoff) before issuing yet another secret-id, unless
    // the annotation asks again.
    Optional<Condition> failed = Conditions.find(ctx.status().getConditions(), SECRET_ID_ROTATION)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()));
    if (failed.isPresent() && !freshRequest && appRole.getIssuedAt() != null) {
      Instant retryAt = retryAt(appRole.getIssuedAt(), failed.get().getLastTransitionTime());
      if (now.isBefore(retryAt)) {
        return PartResult.of(List.of(provisioned, configured), PartResult.sooner(periodic, Duration.between(now, retryAt)));
      }
    }
    if (annotation != null) {
      appRole.setRotationRequest(annotation); // handled: a failed request is retried by a new value
    }
    Outcome outcome = rotate(ctx, vault, vi, appRole, mount, role);
    String hostname = ctx.region().getSpec().getHostname();
    ConditionValue rotation;
    if (outcome.failedStep() == null) {
      rotation = ConditionValue.isTrue(SECRET_ID_ROTATION, "Rotated", "secret-id rotated (" + why + "): region " + hostname
          + " uses accessor " + appRole.getSecretIdAccessor() + " since " + appRole.getRotatedAt());
      configured = ConditionValue.isTrue(AppRolePart.VAULT_CONFIGURED, "Configured",
          "region " + hostname + " uses secret-id accessor " + appRole.getSecretIdAccessor());
    } else {
      String message = "rotation (" + why + ") failed at step " + outcome.failedStep().label + ": " + outcome.message()
          + "; the region keeps working credentials (accessor " + appRole.getSecretIdAccessor() + " is not destroyed)";
      rotation = ConditionValue.isFalse(SECRET_ID_ROTATION, "RotationFailed", message);
      ctx.events().warning(ctx.region(), "SecretIdRotationFailed", message);
    }
    ctx.status().setConditions(Conditions.set(ctx.status().getConditions(), rotation,
        ctx.status().getObservedGeneration() == null ? 0 : ctx.status().getObservedGeneration(), now));
    Duration requeue = outcome.failedStep() == null ? untilNext(appRole, period, now)
        : PartResult.sooner(periodic, Backoff.since(Conditions.find(ctx.status().getConditions(), SECRET_ID_ROTATION)
            .map(Condition::getLastTransitionTime).orElse(null), now));
    return PartResult.of(List.of(provisioned, configured), requeue);
  }

  /**
   * When the next secret-id may be issued after a failed rotation: the last one was issued at
   * {@code issuedAt}, and rotation has been failing since {@code failingSince}; the wait is how long
   * it had been failing when that last attempt was made (floor 5 s, cap 2 min), so it grows with each
   * failed attempt. It must not depend on the current time: measured up to "now" it grew as fast as
   * time passed, and an attempt issued a second after the failure was recorded (a slow reconcile
   * crossing a second) was postponed forever (found by RotationReliabilityTest under CPU load).
   */
  static Instant retryAt(String issuedAt, String failingSince) {
    Instant issued = Instant.parse(issuedAt);
    return issued.plus(Backoff.since(failingSince, issued));
  }

  record Outcome(Step failedStep, String message) {
    static Outcome ok() {
      return new Outcome(null, null);
    }

    static Outcome failed(Step step, String message) {
      return new Outcome(step, message);
    }
  }

  private static Outcome rotate(RegionContext ctx, VaultGateway vault, VaultIntegration vi, AppRoleStatus appRole, String mount,
                                String role) {
    String hostname = ctx.region().getSpec().getHostname();
    String old = appRole.getSecretIdAccessor();
    String previousPending = appRole.getPendingSecretIdAccessor();
    WrappedSecretId wrapped;
    try {
      wrapped = SecretIdIssuer.issue(ctx, vault, appRole, mount, role, Durations.parse(vi.getSpec().getAppRole().getWrapTTL()));
    } catch (VaultException e) {
      return Outcome.failed(Step.CREATE_SECRET_ID, e.getMessage());
    }
    Instant issuedAt = ctx.now();

    try {
      ctx.cli().configureVault(IntegrationVault.regionAddress(vi), appRole.getRoleId(), wrapped.wrappingToken(),
          vi.getSpec().getSecrets().getPath(), vi.getSpec().getSecrets().getMount());
    } catch (MaasCliException e) {
      // MAAS writes regiond.conf only after its own checks passed: the new secret-id is unused
      AppRolePart.destroyQuietly(ctx, vault, mount, role, wrapped.secretIdAccessor());
      appRole.setPendingSecretIdAccessor(previousPending);
      if (SecretIdIssuer.unwrappedElsewhere(e.getMessage(), issuedAt, ctx.now(),
          Durations.parse(vi.getSpec().getAppRole().getWrapTTL()))) {
        return Outcome.failed(Step.CONFIGURE, SecretIdIssuer.reportUnwrappedElsewhere(ctx, wrapped.secretIdAccessor()));
      }
      return Outcome.failed(Step.CONFIGURE, e.getMessage());
    } catch (RegionAccessException e) {
      if (!e.mayHaveRun()) {
        AppRolePart.destroyQuietly(ctx, vault, mount, role, wrapped.secretIdAccessor());
        appRole.setPendingSecretIdAccessor(previousPending);
      } // timed out or lost its answer: regiond.conf may hold it, keep it pending until a newer one is confirmed
      return Outcome.failed(Step.CONFIGURE, e.getMessage());
    }
    // regiond.conf now holds the new secret-id; an earlier unconfirmed one is referenced by nothing
    if (previousPending != null && !previousPending.equals(old) && !previousPending.equals(wrapped.secretIdAccessor())) {
      AppRolePart.destroyQuietly(ctx, vault, mount, role, previousPending);
    }

    try {
      ctx.cli().restartRegion(); // MAAS caches its Vault client per process: only a restart uses the new secret-id
    } catch (MaasCliException | RegionAccessException e) {
      return Outcome.failed(Step.RESTART, e.getMessage());
    }

    try {
      VaultStatus vs = ctx.cli().vaultStatus();
      if (vs.unconfiguredRegions().contains(hostname)) {
        return Outcome.failed(Step.CONFIRM, "MAAS lists " + hostname + " as unconfigured after the restart");
      }
    } catch (MaasCliException | RegionAccessException e) {
      return Outcome.failed(Step.CONFIRM, e.getMessage());
    }

    appRole.setSecretIdAccessor(wrapped.secretIdAccessor());
    appRole.setPendingSecretIdAccessor(null);
    appRole.setConfiguredAt(AppRolePart.now(ctx));
    appRole.setRotatedAt(AppRolePart.now(ctx));
    if (old != null && !old.equals(wrapped.secretIdAccessor())) {
      AppRolePart.destroyQuietly(ctx, vault, mount, role, old);
    }
    SecretIdIssuer.removeUnrecorded(ctx, vault, mount, role);
    boolean oldPending = old != null && appRole.getStaleSecretIdAccessors() != null && appRole.getStaleSecretIdAccessors().contains(old);
    ctx.events().normal(ctx.region(), "SecretIdRotated", "region " + hostname + " restarted with a new secret-id (accessor "
        + wrapped.secretIdAccessor() + "); the previous one (accessor " + old + ") "
        + (oldPending ? "could not be destroyed yet and is retried (status.appRole.staleSecretIdAccessors)" : "was destroyed"));
    return Outcome.ok();
  }

  private static Duration untilNext(AppRoleStatus appRole, Duration period, Instant now) {
    Instant next = nextDue(appRole, period);
    if (next == null) {
      return null;
    }
    Duration d = Duration.between(now, next);
    return d.isNegative() || d.isZero() ? Backoff.FLOOR : d;
  }

  private static String annotation(RegionContext ctx) {
    Map<String, String> a = ctx.region().getMetadata().getAnnotations();
    return a == null ? null : a.get(ApiGroup.ROTATE_SECRET_ID_ANNOTATION);
  }
}
