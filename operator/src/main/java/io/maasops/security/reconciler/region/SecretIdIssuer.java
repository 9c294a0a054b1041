package io.maasops.security.reconciler.region;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultGateway;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues a region's wrapped secret-id so that no secret-id can exist in Vault without the operator
 * knowing about it, at the cost of one status write, not one Vault request per region.
 *
 * <p>Between Vault creating a secret-id and the status recording its accessor, an attempt can end
 * (operator stopped, connection reset after Vault answered). {@code unrecordedSecretIdSince} is
 * persisted before the request and cleared once the accessor is recorded; found set at the start of
 * an attempt, it means an earlier one may have left an orphan, and after the next confirmed
 * configure {@link #removeUnrecorded} lists the role's accessors and destroys all but the one in
 * use. An uninterrupted provisioning therefore never lists accessors (issue 11: three Vault
 * requests per region).
 */
final class SecretIdIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(SecretIdIssuer.class);

  private SecretIdIssuer() {}

  /**
   * Creates the wrapped secret-id and records its accessor as pending (persisted before return).
   * On a Vault error the marker stays set: a reset may hide a secret-id Vault did create.
   */
  static WrappedSecretId issue(RegionContext ctx, VaultGateway vault, AppRoleStatus appRole, String mount, String role,
                               Duration wrapTtl) {
    boolean earlierAttemptInterrupted = appRole.getUnrecordedSecretIdSince() != null;
    if (!earlierAttemptInterrupted) {
      appRole.setUnrecordedSecretIdSince(AppRolePart.now(ctx));
      ctx.persistStatus();
    }
    WrappedSecretId wrapped = vault.createWrappedSecretId(mount, role, wrapTtl);
    appRole.setPendingSecretIdAccessor(wrapped.secretIdAccessor());
    appRole.setIssuedAt(AppRolePart.now(ctx));
    if (!earlierAttemptInterrupted) {
      appRole.setUnrecordedSecretIdSince(null);   // the only secret-id this attempt made is recorded
    }
    ctx.persistStatus();   // the accessor is known before the region can use the secret-id
    return wrapped;
  }

  /** Condition reason and event of a wrapped secret-id somebody unwrapped before the region could. */
  static final String WRAPPING_TOKEN_USED_ELSEWHERE = "WrappingTokenUsedElsewhere";

  /**
   * Whether MAAS's failure means somebody else unwrapped the token: Vault no longer knows it
   * although its TTL had not run out when the region tried. (An expired token says the same; only
   * the time since issue tells them apart.) Either way the operator has destroyed the secret-id.
   */
  static boolean unwrappedElsewhere(String maasMessage, java.time.Instant issuedAt, java.time.Instant failedAt, Duration wrapTtl) {
    return maasMessage != null && maasMessage.contains("wrapping token is not valid or does not exist")
        && Duration.between(issuedAt, failedAt).compareTo(wrapTtl.minusSeconds(1)) < 0;
  }

  /** A Warning event and the condition message for {@link #unwrappedElsewhere}. */
  static String reportUnwrappedElsewhere(RegionContext ctx, String accessor) {
    String msg = "the response-wrapped secret-id (accessor " + accessor + ") was unwrapped by someone else before region "
        + ctx.region().getSpec().getHostname() + " could: the wrapping token may have been intercepted on its way (command"
        + " line, logs, network). The operator destroyed that secret-id and issues a new one; investigate who read it";
    ctx.events().warning(ctx.region(), WRAPPING_TOKEN_USED_ELSEWHERE, msg);
    return msg;
  }

  /**
   * When an earlier attempt was interrupted: destroys every secret-id of the role except the one
   * the region uses and a recorded pending one (the region may hold it after a timed-out
   * configure). Called after a confirmed configure, and on a configured region's reconcile (an
   * interrupted rotation is not retried until it is due again). Best effort: the marker stays
   * until a sweep completes.
   */
  static void removeUnrecorded(RegionContext ctx, VaultGateway vault, String mount, String role) {
    AppRoleStatus appRole = ctx.status().getAppRole();
    if (appRole.getUnrecordedSecretIdSince() == null) {
      return;
    }
    List<String> accessors;
    try {
      accessors = vault.listSecretIdAccessors(mount, role);
    } catch (VaultException e) {
      LOG.debug("could not list secret-id accessors of {} for {}: {}", role, ctx.key(), e.getMessage());
      return;
    }
    for (String accessor : accessors) {
      if (!accessor.equals(appRole.getSecretIdAccessor()) && !accessor.equals(appRole.getPendingSecretIdAccessor())) {
        AppRolePart.destroyQuietly(ctx, vault, mount, role, accessor);
      }
    }
    appRole.setUnrecordedSecretIdSince(null);
  }
}
