package io.maasops.security.reconciler.region;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.AppRoleSettings;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.reconciler.Backoff;
import io.maasops.security.reconciler.Names;
import io.maasops.security.reconciler.ReconcileRequestFilter;
import io.maasops.security.reconciler.integration.IntegrationVault;
import io.maasops.security.reconciler.integration.VaultSetup;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.util.Durations;
import io.maasops.security.vault.AppRoleSpec;
import io.maasops.security.vault.VaultErrorKind;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow 1, region side: the region's AppRole (role, role-id), a response-wrapped secret-id
 * delivered with `maas config-vault configure`, confirmed with `maas config-vault status`.
 * Only identifiers are kept (role-id, secret-id accessor); the secret-id and the wrapping token
 * exist only in memory during one configure.
 *
 * <p>Vault requests: first provisioning = write role, read role-id, create wrapped secret-id; a
 * steady-state reconcile = one read (the role, to repair drift), skipped within seconds of the
 * last write or read of the same role ({@link RecentRoleChecks}). The region is reconfigured only
 * when it has never been, when its role-id changed, or when an issued secret-id was not confirmed.
 */
public final class AppRolePart implements RegionPart {

  public static final String APPROLE_PROVISIONED = "AppRoleProvisioned";
  public static final String VAULT_CONFIGURED = "VaultConfigured";
  private static final Logger LOG = LoggerFactory.getLogger(AppRolePart.class);

  @Override
  public List<String> conditionTypes() {
    return List.of(APPROLE_PROVISIONED, VAULT_CONFIGURED);
  }

  @Override
  public PartResult reconcile(RegionContext ctx) {
    VaultIntegration vi = ctx.integration();
    Optional<ConditionValue> notReady = integrationNotReady(vi);
    if (notReady.isPresent()) {
      return PartResult.of(List.of(notReady.get(), keepOrWait(ctx, VAULT_CONFIGURED, notReady.get())), null);
    }
    var lookup = IntegrationVault.gateway(vi, ctx.kubernetes(), ctx.services());
    if (!lookup.found()) {
      ConditionValue c = ConditionValue.isFalse(APPROLE_PROVISIONED, lookup.reason(), lookup.message());
      return PartResult.of(List.of(c, keepOrWait(ctx, VAULT_CONFIGURED, c)), Backoff.FLOOR);
    }
    VaultGateway vault = lookup.gateway();
    AppRoleStatus appRole = ctx.status().getAppRole() == null ? new AppRoleStatus() : ctx.status().getAppRole();
    ctx.status().setAppRole(appRole);
    String mount = Names.APPROLE_MOUNT;
    String role = Names.roleName(ctx.region());
    AppRoleSpec wanted = desiredRole(vi);
    ConditionValue provisioned;
    String previousRoleId = appRole.getRoleId();
    if (appRole.getSecretIdAccessor() == null || appRole.getPendingSecretIdAccessor() != null) {
      // A secret-id is about to be issued: first make sure the region can be reached, so that an
      // unreachable host, a rejected host key or an unreadable key writes nothing to Vault, on no
      // retry (found by the bad-input suite: each retry wrote the role and issued a secret-id).
      Optional<ConditionValue> unreachable = regionUnreachable(ctx);
      if (unreachable.isPresent()) {
        ConditionValue c = unreachable.get();
        return PartResult.of(List.of(ConditionValue.unknown(APPROLE_PROVISIONED, c.reason(), "waiting for the region: " + c.message()), c),
            backoff(ctx, VAULT_CONFIGURED));
      }
    }
    try {
      boolean wrote = false;
      // an explicit re-check request (reconcile-requested-at on the region or its integration) is never skipped
      String checkKey = RecentRoleChecks.key(vi.getSpec().getVault().getAddress(), mount, role,
          wanted + "|" + ReconcileRequestFilter.requestedAt(ctx.region()) + "|" + ReconcileRequestFilter.requestedAt(vi));
      if (previousRoleId == null || !role.equals(appRole.getRoleName())) {
        vault.writeRole(mount, role, wanted);
        wrote = true;
      } else if (!ctx.services().roleChecks().fresh(checkKey, ctx.now())) {
        Optional<AppRoleSpec> current = vault.readRole(mount, role);
        if (current.isEmpty() || !sameSettings(current.get(), wanted)) {
          vault.writeRole(mount, role, wanted);
          wrote = true;
          ctx.events().warning(ctx.region(), "RoleRepaired", current.isEmpty()
              ? "AppRole " + role + " was missing in Vault and was recreated"
              : "AppRole " + role + " differed from the declared settings and was restored");
        }
      }
      String roleId = previousRoleId;
      if (wrote) {
        roleId = vault.readRoleId(mount, role).orElseThrow(() -> new IllegalStateException("Vault returned no role-id for " + role));
      }
      ctx.services().roleChecks().confirmed(checkKey, ctx.now());
      appRole.setRoleName(role);
      appRole.setRoleId(roleId);
      provisioned = ConditionValue.isTrue(APPROLE_PROVISIONED, "Provisioned",
          "AppRole " + role + " at " + mount + "/ with policy " + Names.policyName(vi));
    } catch (VaultException e) {
      ConditionValue c = vaultProblem(APPROLE_PROVISIONED, e);
      return PartResult.of(List.of(c, keepOrWait(ctx, VAULT_CONFIGURED, c)), backoff(ctx, APPROLE_PROVISIONED));
    }

    destroyStale(ctx, vault, mount, role);
    boolean roleIdChanged = previousRoleId != null && !previousRoleId.equals(appRole.getRoleId());
    String why = configureReason(appRole, roleIdChanged);
    if (appRole.getSecretIdAccessor() != null && appRole.getConfiguredAt() != null) {
      SecretIdIssuer.removeUnrecorded(ctx, vault, mount, role);
      // A configured region runs with its secret-id: any new one goes through the rotation steps
      // (configure, restart, confirm) and the old one is destroyed only after they all worked.
      return SecretIdRotation.reconcile(ctx, vault, vi, appRole, mount, role, why, provisioned, currentConfigured(ctx, appRole));
    }
    if (why == null) {
      return PartResult.of(List.of(provisioned, currentConfigured(ctx, appRole)), null);
    }
    return PartResult.of(List.of(provisioned, configure(ctx, vault, vi, appRole, mount, role, why)),
        null).withRequeueIfFailed(backoff(ctx, VAULT_CONFIGURED));
  }

  /** VaultConfigured as last written when True, else True with the accessor in use. */
  static ConditionValue currentConfigured(RegionContext ctx, AppRoleStatus appRole) {
    return Conditions.find(ctx.status().getConditions(), VAULT_CONFIGURED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()))
        .orElse(ConditionValue.isTrue(VAULT_CONFIGURED, "Configured", "region " + ctx.region().getSpec().getHostname()
            + " uses secret-id accessor " + appRole.getSecretIdAccessor()));
  }

  /** A read-only `maas config-vault status` on the region: empty when the region can be reached. */
  private static Optional<ConditionValue> regionUnreachable(RegionContext ctx) {
    try {
      ctx.cli().vaultStatus();
      return Optional.empty();
    } catch (MaasCliException e) {
      return Optional.empty();   // reached; MAAS's own answer is for configure to report
    } catch (RegionAccessException e) {
      if (e.kind() == RegionAccessException.Kind.SUDO_REFUSED || e.kind() == RegionAccessException.Kind.TIMEOUT) {
        return Optional.empty();   // the host answered: configure reports it as before
      }
      ctx.events().warning(ctx.region(), "ConfigureFailed", e.getMessage());
      return Optional.of(ConditionValue.isFalse(VAULT_CONFIGURED, RegionReasons.of(e), e.getMessage()));
    }
  }

  /** Why the region needs `config-vault configure` now, or null when it does not. */
  static String configureReason(AppRoleStatus appRole, boolean roleIdChanged) {
    if (appRole.getSecretIdAccessor() == null || appRole.getConfiguredAt() == null) {
      return "first configuration";
    }
    if (roleIdChanged) {
      return "its role-id changed";
    }
    if (appRole.getPendingSecretIdAccessor() != null) {
      return "an issued secret-id was never confirmed";
    }
    return null;
  }

  private ConditionValue configure(RegionContext ctx, VaultGateway vault, VaultIntegration vi, AppRoleStatus appRole,
                                   String mount, String role, String why) {
    MaasRegion region = ctx.region();
    String hostname = region.getSpec().getHostname();
    Duration wrapTtl = Durations.parse(vi.getSpec().getAppRole().getWrapTTL());
    String previousPending = appRole.getPendingSecretIdAccessor();
    WrappedSecretId wrapped;
    try {
      wrapped = SecretIdIssuer.issue(ctx, vault, appRole, mount, role, wrapTtl);
    } catch (VaultException e) {
      return vaultProblem(VAULT_CONFIGURED, e);
    }
    Instant issuedAt = ctx.now();
    try {
      ctx.cli().configureVault(IntegrationVault.regionAddress(vi), appRole.getRoleId(), wrapped.wrappingToken(),
          vi.getSpec().getSecrets().getPath(), vi.getSpec().getSecrets().getMount());
    } catch (MaasCliException e) {
      destroyQuietly(ctx, vault, mount, role, wrapped.secretIdAccessor());
      appRole.setPendingSecretIdAccessor(previousPending);
      if (SecretIdIssuer.unwrappedElsewhere(e.getMessage(), issuedAt, ctx.now(), wrapTtl)) {
        return ConditionValue.isFalse(VAULT_CONFIGURED, SecretIdIssuer.WRAPPING_TOKEN_USED_ELSEWHERE,
            SecretIdIssuer.reportUnwrappedElsewhere(ctx, wrapped.secretIdAccessor()));
      }
      ctx.events().warning(region, "ConfigureFailed", e.getMessage());
      return ConditionValue.isFalse(VAULT_CONFIGURED, "ConfigureFailed", e.getMessage());
    } catch (RegionAccessException e) {
      if (!e.mayHaveRun()) {
        // the command never ran: the secret-id was not used
        destroyQuietly(ctx, vault, mount, role, wrapped.secretIdAccessor());
        appRole.setPendingSecretIdAccessor(previousPending);
      } // timed out or lost its answer: MAAS may have written it, keep it pending until a newer one is confirmed
      ctx.events().warning(region, "ConfigureFailed", e.getMessage());
      return ConditionValue.isFalse(VAULT_CONFIGURED, RegionReasons.of(e), e.getMessage());
    }
    try {
      VaultStatus vs = ctx.cli().vaultStatus();
      if (vs.unconfiguredRegions().contains(hostname)) {
        return ConditionValue.isFalse(VAULT_CONFIGURED, "NotConfirmed", "`maas config-vault configure` succeeded but MAAS still lists "
            + hostname + " as unconfigured; MAAS sets the flag at the region's next start if its MAAS id was missing");
      }
    } catch (MaasCliException | RegionAccessException e) {
      return ConditionValue.isFalse(VAULT_CONFIGURED, "NotConfirmed", "configured, but `maas config-vault status` failed: " + e.getMessage());
    }
    String old = appRole.getSecretIdAccessor();
    appRole.setSecretIdAccessor(wrapped.secretIdAccessor());
    appRole.setPendingSecretIdAccessor(null);
    appRole.setConfiguredAt(now(ctx));
    for (String stale : new String[] {old, previousPending}) {
      if (stale != null && !stale.equals(wrapped.secretIdAccessor())) {
        destroyQuietly(ctx, vault, mount, role, stale);
      }
    }
    SecretIdIssuer.removeUnrecorded(ctx, vault, mount, role);
    ctx.events().normal(region, old == null ? "Provisioned" : "Reconfigured", "region " + hostname + " configured for Vault ("
        + why + "): role " + role + ", secret-id accessor " + wrapped.secretIdAccessor());
    return ConditionValue.isTrue(VAULT_CONFIGURED, "Configured",
        "region " + hostname + " uses secret-id accessor " + wrapped.secretIdAccessor());
  }

  @Override
  public void cleanup(RegionContext ctx) {
    VaultIntegration vi = ctx.integration();
    if (vi == null) {
      return;
    }
    // the role's name comes from the region's identity, never from its status (which whoever may
    // update status could point at another tenant's role)
    String role = Names.roleName(ctx.region());
    var refused = ctx.refusal();
    if (refused.isPresent()) {
      ctx.events().warning(ctx.region(), "CleanupSkipped", refused.get().message() + "; if AppRole " + role
          + " exists in Vault, the Vault admin removes it");
      return;
    }
    var lookup = IntegrationVault.gateway(vi, ctx.kubernetes(), ctx.services());
    if (!lookup.found()) {
      ctx.events().warning(ctx.region(), "CleanupSkipped", "cannot reach Vault to remove AppRole " + role + ": " + lookup.message());
      return;
    }
    String mount = Names.APPROLE_MOUNT;
    VaultGateway vault = lookup.gateway();
    // throws (and so keeps the finalizer, with backoff) while Vault is sealed or unreachable
    for (String accessor : vault.listSecretIdAccessors(mount, role)) {
      vault.destroySecretIdByAccessor(mount, role, accessor);
    }
    vault.deleteRole(mount, role);
    ctx.events().normal(ctx.region(), "AppRoleDeleted", "AppRole " + role + " and its secret-ids were removed from Vault");
  }

  /** Whether any region's last Vault call found Vault sealed or unreachable. */
  public static boolean sawVaultTrouble(java.util.Collection<MaasRegion> regions) {
    for (MaasRegion r : regions) {
      if (r.getStatus() == null) {
        continue;
      }
      for (String type : List.of(APPROLE_PROVISIONED, VAULT_CONFIGURED)) {
        if (Conditions.find(r.getStatus().getConditions(), type)
            .filter(c -> "VaultSealed".equals(c.getReason()) || "VaultUnreachable".equals(c.getReason()))
            .filter(c -> !Conditions.TRUE.equals(c.getStatus())).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  static AppRoleSpec desiredRole(VaultIntegration vi) {
    AppRoleSettings a = vi.getSpec().getAppRole();
    // secret_id_ttl=0 and secret_id_num_uses=0: MAAS logs in with the same secret-id forever
    return new AppRoleSpec(List.of(Names.policyName(vi)), Durations.parse(a.getTokenTTL()), Durations.parse(a.getTokenMaxTTL()),
        Duration.ZERO, 0, a.getTokenBoundCIDRs(), a.getSecretIdBoundCIDRs());
  }

  static boolean sameSettings(AppRoleSpec current, AppRoleSpec wanted) {
    return current.policies().stream().sorted().toList().equals(wanted.policies().stream().sorted().toList())
        && current.tokenTtl().equals(wanted.tokenTtl())
        && current.tokenMaxTtl().equals(wanted.tokenMaxTtl())
        && current.secretIdTtl().equals(wanted.secretIdTtl())
        && current.secretIdNumUses() == wanted.secretIdNumUses()
        && current.tokenBoundCidrs().stream().sorted().toList().equals(wanted.tokenBoundCidrs().stream().sorted().toList())
        && current.secretIdBoundCidrs().stream().sorted().toList().equals(wanted.secretIdBoundCidrs().stream().sorted().toList());
  }

  /** The integration's set-up must be complete before a region can get a role. */
  static Optional<ConditionValue> integrationNotReady(VaultIntegration vi) {
    var conditions = vi.getStatus() == null ? null : vi.getStatus().getConditions();
    for (String type : VaultSetup.TYPES) {
      Optional<Condition> c = Conditions.find(conditions, type);
      if (c.isEmpty() || !Conditions.TRUE.equals(c.get().getStatus())) {
        String detail = c.map(x -> type + " is " + x.getStatus() + ": " + x.getMessage()).orElse(type + " not yet checked");
        String reason = c.map(Condition::getReason).filter(r -> r.equals("Sealed") || r.equals("Unreachable")).map(r -> "Vault" + r)
            .orElse("WaitingForVaultIntegration");
        return Optional.of(ConditionValue.isFalse(APPROLE_PROVISIONED, reason,
            "VaultIntegration " + vi.getMetadata().getName() + " is not ready (" + detail + ")"));
      }
    }
    return Optional.empty();
  }

  /** A region stays configured while Vault is sealed: keep a True condition, otherwise wait. */
  private static ConditionValue keepOrWait(RegionContext ctx, String type, ConditionValue cause) {
    return Conditions.find(ctx.status().getConditions(), type)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()))
        .orElse(ConditionValue.unknown(type, cause.reason(), "waiting: " + cause.message()));
  }

  static ConditionValue vaultProblem(String type, VaultException e) {
    String reason = switch (e.kind()) {
      case SEALED -> "VaultSealed";
      case UNREACHABLE -> "VaultUnreachable";
      case PERMISSION_DENIED -> "PermissionDenied";
      default -> "VaultError";
    };
    String hint = e.kind() == VaultErrorKind.SEALED ? " Unseal Vault with `vault operator unseal`; the operator resumes by itself." : "";
    return ConditionValue.isFalse(type, reason, e.getMessage() + "." + hint);
  }

  /** Destroys a secret-id; when Vault cannot do it now, remembers the accessor to retry later. */
  static void destroyQuietly(RegionContext ctx, VaultGateway vault, String mount, String role, String accessor) {
    AppRoleStatus appRole = ctx.status().getAppRole();
    try {
      vault.destroySecretIdByAccessor(mount, role, accessor);
      if (appRole.getStaleSecretIdAccessors() != null) {
        appRole.getStaleSecretIdAccessors().remove(accessor);
      }
    } catch (VaultException e) {
      LOG.warn("could not destroy secret-id accessor {} of {} for {}: {}", accessor, role, ctx.key(), e.getMessage());
      if (appRole.getStaleSecretIdAccessors() == null) {
        appRole.setStaleSecretIdAccessors(new java.util.ArrayList<>());
      }
      if (!appRole.getStaleSecretIdAccessors().contains(accessor)) {
        appRole.getStaleSecretIdAccessors().add(accessor);
      }
    }
  }

  /** Retries the destruction of secret-ids that Vault could not destroy earlier. */
  private static void destroyStale(RegionContext ctx, VaultGateway vault, String mount, String role) {
    AppRoleStatus appRole = ctx.status().getAppRole();
    if (appRole.getStaleSecretIdAccessors() == null || appRole.getStaleSecretIdAccessors().isEmpty()) {
      return;
    }
    for (String accessor : List.copyOf(appRole.getStaleSecretIdAccessors())) {
      if (!accessor.equals(appRole.getSecretIdAccessor())) {
        destroyQuietly(ctx, vault, mount, role, accessor);
      } else {
        appRole.getStaleSecretIdAccessors().remove(accessor);
      }
    }
    if (appRole.getStaleSecretIdAccessors().isEmpty()) {
      appRole.setStaleSecretIdAccessors(null);
    }
  }

  private static Duration backoff(RegionContext ctx, String type) {
    return Backoff.since(Conditions.find(ctx.status().getConditions(), type)
        .filter(c -> !Conditions.TRUE.equals(c.getStatus())).map(Condition::getLastTransitionTime).orElse(null), ctx.now());
  }

  static String now(RegionContext ctx) {
    return ctx.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant parse(String t) {
    return t == null ? null : Instant.parse(t);
  }
}
