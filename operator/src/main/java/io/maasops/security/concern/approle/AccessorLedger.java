package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.concern.Checkpoint;
import io.maasops.security.port.VaultAppRoles;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.WrappedSecretId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every secret-id accessor of one region's role the operator knows of, kept in status.appRole: the one
 * in use, a pending one (issued, not confirmed), stale ones (Vault could not destroy them yet) and the
 * "unrecorded since" marker. The only class that creates or destroys a region's secret-ids.
 *
 * <p>No secret-id can exist in Vault without the operator knowing of it, at the cost of one status
 * write, not one Vault request: {@code unrecordedSecretIdSince} is persisted before Vault is asked
 * and cleared once the accessor is recorded. Found set at the start of an attempt, it means an
 * earlier one may have left an orphan, and after the next confirmed configure {@link #removeUnrecorded}
 * lists the role's accessors and destroys all but the ones recorded. An uninterrupted provisioning
 * therefore never lists accessors (three Vault requests per region).
 */
final class AccessorLedger {

    private static final Logger LOG = LoggerFactory.getLogger(AccessorLedger.class);

    private final AppRoleStatus appRole;
    private final VaultAppRoles vault;
    private final String mount;
    private final String role;
    private final String region;
    private final Supplier<Instant> clock;

    AccessorLedger(
            AppRoleStatus appRole,
            VaultAppRoles vault,
            String mount,
            String role,
            String region,
            Supplier<Instant> clock) {
        this.appRole = appRole;
        this.vault = vault;
        this.mount = mount;
        this.role = role;
        this.region = region;
        this.clock = clock;
    }

    String inUse() {
        return appRole.getSecretIdAccessor();
    }

    String pending() {
        return appRole.getPendingSecretIdAccessor();
    }

    boolean isStale(String accessor) {
        return appRole.getStaleSecretIdAccessors() != null
                && appRole.getStaleSecretIdAccessors().contains(accessor);
    }

    /**
     * Creates the wrapped secret-id and records its accessor as pending, persisted before this returns
     * (the accessor is known before the region can use the secret-id). On a Vault error the marker
     * stays set: a reset may hide a secret-id Vault did create.
     */
    WrappedSecretId issue(Duration wrapTtl, Checkpoint checkpoint) {
        boolean earlierAttemptInterrupted = appRole.getUnrecordedSecretIdSince() != null;
        if (!earlierAttemptInterrupted) {
            appRole.setUnrecordedSecretIdSince(stamp(clock.get()));
            checkpoint.persist();
        }
        WrappedSecretId wrapped = vault.createWrappedSecretId(mount, role, wrapTtl);
        appRole.setPendingSecretIdAccessor(wrapped.secretIdAccessor());
        appRole.setIssuedAt(stamp(clock.get()));
        if (!earlierAttemptInterrupted) {
            appRole.setUnrecordedSecretIdSince(null); // the only secret-id this attempt made is recorded
        }
        checkpoint.persist();
        return wrapped;
    }

    /** The region cannot have used the secret-id just issued: destroy it, and the earlier pending one is pending again. */
    void discard(String issued, String previousPending) {
        destroy(issued);
        appRole.setPendingSecretIdAccessor(previousPending);
    }

    /** The region runs with {@code accessor} now; returns the one it used before (null: none). */
    String confirm(String accessor, boolean rotation) {
        Instant now = clock.get();
        String old = appRole.getSecretIdAccessor();
        appRole.setSecretIdAccessor(accessor);
        appRole.setPendingSecretIdAccessor(null);
        appRole.setConfiguredAt(stamp(now));
        if (rotation) {
            appRole.setRotatedAt(stamp(now));
        }
        RoleAudit.configured(appRole);
        return old;
    }

    /** Destroys a secret-id; when Vault cannot do it now, remembers the accessor as stale to retry later. */
    void destroy(String accessor) {
        try {
            vault.destroySecretIdByAccessor(mount, role, accessor);
            if (appRole.getStaleSecretIdAccessors() != null) {
                appRole.getStaleSecretIdAccessors().remove(accessor);
            }
        } catch (VaultException e) {
            LOG.warn(
                    "could not destroy secret-id accessor {} of {} for {}: {}", accessor, role, region, e.getMessage());
            if (appRole.getStaleSecretIdAccessors() == null) {
                appRole.setStaleSecretIdAccessors(new ArrayList<>());
            }
            if (!appRole.getStaleSecretIdAccessors().contains(accessor)) {
                appRole.getStaleSecretIdAccessors().add(accessor);
            }
        }
    }

    /** Retries the destruction of secret-ids that Vault could not destroy earlier. */
    void retryStale() {
        if (appRole.getStaleSecretIdAccessors() == null
                || appRole.getStaleSecretIdAccessors().isEmpty()) {
            return;
        }
        for (String accessor : List.copyOf(appRole.getStaleSecretIdAccessors())) {
            if (!accessor.equals(appRole.getSecretIdAccessor())) {
                destroy(accessor);
            } else {
                appRole.getStaleSecretIdAccessors().remove(accessor);
            }
        }
        if (appRole.getStaleSecretIdAccessors().isEmpty()) {
            appRole.setStaleSecretIdAccessors(null);
        }
    }

    boolean hasStale() {
        return appRole.getStaleSecretIdAccessors() != null
                && !appRole.getStaleSecretIdAccessors().isEmpty();
    }

    /**
     * When an earlier attempt was interrupted: destroys every secret-id of the role except the one in
     * use and a recorded pending one (the region may hold it after a timed-out configure). Best effort:
     * the marker stays until a sweep completes.
     */
    void removeUnrecorded() {
        if (appRole.getUnrecordedSecretIdSince() == null) {
            return;
        }
        List<String> accessors;
        try {
            accessors = vault.listSecretIdAccessors(mount, role);
        } catch (VaultException e) {
            LOG.debug("could not list secret-id accessors of {} for {}: {}", role, region, e.getMessage());
            return;
        }
        for (String accessor : accessors) {
            if (!accessor.equals(appRole.getSecretIdAccessor())
                    && !accessor.equals(appRole.getPendingSecretIdAccessor())) {
                destroy(accessor);
            }
        }
        appRole.setUnrecordedSecretIdSince(null);
    }

    static String stamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
