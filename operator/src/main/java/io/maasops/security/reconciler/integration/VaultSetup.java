package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.VaultInfo;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.kube.EventRecorder;
import io.maasops.security.reconciler.Backoff;
import io.maasops.security.reconciler.Names;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.MaasPolicy;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultGateway;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Flow 1, integration side: Vault reachable and unsealed; AppRole auth enabled; kv-v2 mount
 * present; MAAS's minimal policy written. Runs when due (spec change, a step not yet True, or every
 * {@link #RECHECK}), so the many reconciles that region events cause make no Vault calls.
 */
public final class VaultSetup {

  public static final String VAULT_REACHABLE = "VaultReachable";
  public static final String VAULT_UNSEALED = "VaultUnsealed";
  public static final String APPROLE_AUTH_READY = "AppRoleAuthReady";
  public static final String SECRETS_MOUNT_READY = "SecretsMountReady";
  public static final String POLICY_READY = "PolicyReady";
  public static final List<String> TYPES = List.of(VAULT_REACHABLE, VAULT_UNSEALED, APPROLE_AUTH_READY, SECRETS_MOUNT_READY, POLICY_READY);

  /** How often a healthy integration re-checks Vault (and repairs a deleted mount or edited policy). */
  public static final Duration RECHECK = Duration.ofMinutes(2);

  public record Result(List<ConditionValue> conditions, Duration requeue) {
    /** True when regions may provision: every setup condition is True. */
    public boolean ready() {
      return conditions.stream().allMatch(ConditionValue::ok);
    }
  }

  private final EventRecorder events;

  public VaultSetup(EventRecorder events) {
    this.events = events;
  }

  /**
   * @param regionsSawVaultTrouble a region's last Vault call found it sealed or unreachable: look
   *     now rather than at the next scheduled check
   */
  public static boolean due(VaultIntegrationStatus status, boolean specChanged, boolean regionsSawVaultTrouble, Instant now) {
    if (specChanged || regionsSawVaultTrouble || status.getVault() == null || status.getVault().getLastChecked() == null) {
      return true;
    }
    for (String type : TYPES) {
      if (!Conditions.isTrue(status.getConditions(), type)) {
        return true;
      }
    }
    return !now.isBefore(Instant.parse(status.getVault().getLastChecked()).plus(RECHECK));
  }

  /** The conditions as last written, when no check is due. */
  public static Result previous(VaultIntegrationStatus status, Instant now) {
    List<ConditionValue> out = new ArrayList<>();
    for (String type : TYPES) {
      Condition c = Conditions.find(status.getConditions(), type).orElseThrow();
      out.add(new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    }
    Instant next = Instant.parse(status.getVault().getLastChecked()).plus(RECHECK);
    Duration left = Duration.between(now, next);
    return new Result(out, left.isNegative() ? Duration.ofSeconds(1) : left);
  }

  public Result run(VaultIntegration vi, VaultIntegrationStatus status, VaultGateway vault, Instant now) {
    String address = vi.getSpec().getVault().getAddress();
    VaultInfo info = status.getVault() == null ? new VaultInfo() : status.getVault();
    status.setVault(info);
    info.setLastChecked(now.truncatedTo(ChronoUnit.SECONDS).toString());
    HealthStatus health;
    try {
      health = vault.health();
    } catch (VaultException e) {
      return unavailable(status, now, ConditionValue.isFalse(VAULT_REACHABLE, "Unreachable",
          "cannot reach Vault at " + address + ": " + e.getMessage() + ". The operator retries by itself."), 0);
    }
    info.setVersion(health.version().isEmpty() ? null : health.version());
    info.setSealed(health.sealed());
    ConditionValue reachable = ConditionValue.isTrue(VAULT_REACHABLE, "Reachable", "Vault " + health.version() + " answers at " + address);
    if (!health.initialized()) {
      return unavailable(status, now, ConditionValue.isFalse(VAULT_UNSEALED, "NotInitialized",
          "Vault at " + address + " is not initialized (`vault operator init`)"), 1, reachable);
    }
    if (health.sealed()) {
      return unavailable(status, now, ConditionValue.isFalse(VAULT_UNSEALED, "Sealed",
          "Vault at " + address + " is sealed: unseal it with `vault operator unseal`. Vault writes are paused and resume by themselves."),
          1, reachable);
    }
    ConditionValue unsealed = ConditionValue.isTrue(VAULT_UNSEALED, "Unsealed", "Vault is unsealed");
    String approleMount = vi.getSpec().getAppRole().getMountPath();
    String kvMount = vi.getSpec().getSecrets().getMount();
    ConditionValue approle;
    ConditionValue mount;
    ConditionValue policy;
    try {
      vault.ensureAppRoleAuth(approleMount);
      approle = ConditionValue.isTrue(APPROLE_AUTH_READY, "Enabled", "AppRole auth method enabled at " + approleMount + "/");
    } catch (VaultException e) {
      return failed(status, now, List.of(reachable, unsealed), APPROLE_AUTH_READY, e);
    }
    try {
      vault.ensureKvV2Mount(kvMount);
      mount = ConditionValue.isTrue(SECRETS_MOUNT_READY, "Mounted", "kv-v2 secrets engine mounted at " + kvMount + "/");
    } catch (VaultException e) {
      return failed(status, now, List.of(reachable, unsealed, approle), SECRETS_MOUNT_READY, e);
    }
    String name = Names.policyName(vi);
    try {
      String wanted = MaasPolicy.render(kvMount, vi.getSpec().getSecrets().getPath());
      Optional<String> current = vault.readPolicy(name);
      if (current.isEmpty() || !current.get().equals(wanted)) {
        vault.writePolicy(name, wanted);
        if (current.isEmpty()) {
          events.normal(vi, "PolicyWritten", "Vault policy " + name + " written (MAAS's minimal policy for " + kvMount + "/" + vi.getSpec().getSecrets().getPath() + ")");
        } else {
          events.warning(vi, "PolicyRepaired", "Vault policy " + name + " differed from MAAS's minimal policy and was restored");
        }
      }
      status.setPolicyName(name);
      policy = ConditionValue.isTrue(POLICY_READY, "Written", "policy " + name + " grants MAAS's minimal access to "
          + kvMount + "/data/" + vi.getSpec().getSecrets().getPath() + "/*");
    } catch (VaultException e) {
      return failed(status, now, List.of(reachable, unsealed, approle, mount), POLICY_READY, e);
    }
    return new Result(List.of(reachable, unsealed, approle, mount, policy), RECHECK);
  }

  /** Vault cannot be used: the given condition says why, the later ones wait. */
  private Result unavailable(VaultIntegrationStatus status, Instant now, ConditionValue cause, int index, ConditionValue... before) {
    List<ConditionValue> out = new ArrayList<>(List.of(before));
    out.add(cause);
    for (int i = index + 1; i < TYPES.size(); i++) {
      out.add(ConditionValue.unknown(TYPES.get(i), cause.reason(), "waiting: " + cause.message()));
    }
    return new Result(out, backoff(status, cause.type(), now));
  }

  private Result failed(VaultIntegrationStatus status, Instant now, List<ConditionValue> ok, String type, VaultException e) {
    int index = TYPES.indexOf(type);
    switch (e.kind()) {
      case SEALED:
        return unavailable(status, now, ConditionValue.isFalse(VAULT_UNSEALED, "Sealed",
            "Vault was sealed during set-up: unseal it with `vault operator unseal`; the operator resumes by itself."), 1, ok.get(0));
      case UNREACHABLE:
        return unavailable(status, now, ConditionValue.isFalse(VAULT_REACHABLE, "Unreachable", e.getMessage()), 0);
      default:
        break;
    }
    String reason = switch (e.kind()) {
      case PERMISSION_DENIED -> "PermissionDenied";
      case INVALID_REQUEST -> "InvalidRequest";
      case NOT_FOUND -> "NotFound";
      default -> "VaultError";
    };
    String hint = e.kind() == io.maasops.security.vault.VaultErrorKind.PERMISSION_DENIED
        ? " The operator's own Vault policy lacks this capability (see README: Vault policy for the operator)." : "";
    List<ConditionValue> out = new ArrayList<>(ok);
    out.add(ConditionValue.isFalse(type, reason, e.getMessage() + "." + hint));
    for (int i = index + 1; i < TYPES.size(); i++) {
      out.add(ConditionValue.unknown(TYPES.get(i), "Waiting", "waiting for " + type));
    }
    return new Result(out, backoff(status, type, now));
  }

  private static Duration backoff(VaultIntegrationStatus status, String type, Instant now) {
    return Backoff.since(Conditions.find(status.getConditions(), type)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()) || Conditions.UNKNOWN.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime).orElse(null), now);
  }
}
