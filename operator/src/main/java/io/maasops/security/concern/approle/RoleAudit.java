package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.AppRoleAudit;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Names;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.VaultAppRoles;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.vault.VaultException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a configured region's AppRole as Vault and the controller have it with status.appRole, into
 * status.appRole.audit (posture checks RegionsConfigured and SecretIdsRecorded read it): one LIST of the role's
 * secret-id accessors and one {@code grep} of regiond.conf's {@code vault_approle_id} line.
 *
 * <p>Cadence: every {@link RetryDelays#secretIdAudit} (10 min by default, the periodic reconcile's interval), the
 * first one interval after the region was configured, and only in a steady state (nothing issued, nothing
 * restarting): provisioning keeps its three Vault requests and a resync its one read. While the last audit found
 * a problem, the next comes after the sooner of the interval and the retry cap, so that a fix (or a passing
 * secret-id, e.g. the migration pre-flight's) is seen soon. A configure the operator confirms sets what it proves
 * (regiond.conf names the region's own role, the recorded secret-id is live) without a request.
 */
final class RoleAudit {

    static final String OWN = AppRoleAudit.OWN;
    static final String OTHER_REGION = AppRoleAudit.OTHER_REGION;
    static final String UNKNOWN_ROLE = AppRoleAudit.UNKNOWN_ROLE;
    static final String NOT_CONFIGURED = AppRoleAudit.NOT_CONFIGURED;

    private static final Logger LOG = LoggerFactory.getLogger(RoleAudit.class);

    private RoleAudit() {}

    /**
     * Runs the audit when due and {@code mayRun} (a steady state), and returns {@code result} woken up in time for
     * the next one.
     */
    static ConcernResult whenDue(
            RegionInputs in, VaultAppRoles vault, String role, AppRoleStatus a, ConcernResult result, boolean mayRun) {
        if (AppRolePhase.of(a) != AppRolePhase.CONFIGURED
                || a.getRestartingSince() != null
                || a.getUnrecordedSecretIdSince() != null) {
            return result;
        }
        if (mayRun && untilDue(a, in.retries(), in.now()).compareTo(Duration.ZERO) <= 0) {
            try {
                run(in, vault, Names.APPROLE_MOUNT, role, a);
            } catch (VaultException e) {
                // nothing recorded: the next reconcile tries again (Vault's own conditions say why it failed)
                LOG.debug("could not list the secret-ids of {} for {}: {}", role, in.key(), e.getMessage());
                return result;
            }
        }
        Duration next = untilDue(a, in.retries(), in.now());
        if (next.compareTo(Duration.ZERO)
                <= 0) { // due but not run now (not steady, or Vault failed): JOSDK refuses a negative delay
            next = in.retries().floor();
        }
        return new ConcernResult(
                result.conditions(),
                ConcernResult.sooner(result.requeueAfter(), next),
                result.notices(),
                result.informational());
    }

    /** Time until the next audit; zero or negative: due now. */
    static Duration untilDue(AppRoleStatus a, RetryDelays delays, Instant now) {
        AppRoleAudit audit = a.getAudit();
        Instant last = parse(audit == null ? a.getConfiguredAt() : audit.getCheckedAt());
        if (last == null) {
            return Duration.ZERO;
        }
        Duration every =
                audit != null && problem(audit) ? min(delays.secretIdAudit(), delays.cap()) : delays.secretIdAudit();
        return Duration.between(now, last.plus(every));
    }

    static boolean problem(AppRoleAudit audit) {
        return Boolean.FALSE.equals(audit.getSecretIdLive())
                || (audit.getForeignSecretIds() != null && audit.getForeignSecretIds() > 0)
                || (audit.getRegiondConfRole() != null && !OWN.equals(audit.getRegiondConfRole()));
    }

    /** Throws {@code VaultException} (nothing recorded then); a controller that cannot be read leaves the role unset. */
    static void run(RegionInputs in, VaultAppRoles vault, String mount, String role, AppRoleStatus a) {
        List<String> listed = vault.listSecretIdAccessors(mount, role);
        Set<String> recorded = new HashSet<>();
        recorded.add(a.getSecretIdAccessor());
        recorded.add(a.getPendingSecretIdAccessor());
        if (a.getStaleSecretIdAccessors() != null) {
            recorded.addAll(a.getStaleSecretIdAccessors());
        }
        AppRoleAudit audit = new AppRoleAudit();
        audit.setCheckedAt(AccessorLedger.stamp(in.now()));
        audit.setSecretIdLive(listed.contains(a.getSecretIdAccessor()));
        audit.setForeignSecretIds(
                (int) listed.stream().filter(x -> !recorded.contains(x)).count());
        try {
            Optional<String> confRoleId = in.shell().regiondConfRoleId();
            Owner owner = classify(confRoleId, a.getRoleId(), in.peers(), in.region());
            audit.setRegiondConfRole(owner.role());
            audit.setRegiondConfRoleOwner(owner.region());
        } catch (RegionAccessException | MaasCliException e) {
            LOG.debug("could not read regiond.conf's AppRole on {}: {}", in.hostname(), e.getMessage());
        }
        a.setAudit(audit);
    }

    /** Whose role regiond.conf names, and that region's name when it shares {@code self}'s namespace. */
    record Owner(String role, String region) {}

    static Owner classify(Optional<String> confRoleId, String ownRoleId, List<MaasRegion> peers, MaasRegion self) {
        if (confRoleId.isEmpty()) {
            return new Owner(NOT_CONFIGURED, null);
        }
        if (confRoleId.get().equals(ownRoleId)) {
            return new Owner(OWN, null);
        }
        String ns = self.getMetadata().getNamespace();
        for (MaasRegion peer : peers) {
            boolean same = ns.equals(peer.getMetadata().getNamespace())
                    && self.getMetadata().getName().equals(peer.getMetadata().getName());
            if (!same
                    && peer.getStatus() != null
                    && peer.getStatus().getAppRole() != null
                    && confRoleId.get().equals(peer.getStatus().getAppRole().getRoleId())) {
                // another namespace's region is not named in this one's status
                String name = ns.equals(peer.getMetadata().getNamespace())
                        ? ns + "/" + peer.getMetadata().getName()
                        : null;
                return new Owner(OTHER_REGION, name);
            }
        }
        return new Owner(UNKNOWN_ROLE, null);
    }

    /** A configure the operator confirmed: MAAS wrote the region's own role-id and the recorded secret-id. */
    static void configured(AppRoleStatus a) {
        AppRoleAudit audit = a.getAudit();
        if (audit != null) {
            audit.setSecretIdLive(true);
            audit.setRegiondConfRole(OWN);
            audit.setRegiondConfRoleOwner(null);
        }
    }

    private static Duration min(Duration x, Duration y) {
        return x.compareTo(y) <= 0 ? x : y;
    }

    private static Instant parse(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            return Instant.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
