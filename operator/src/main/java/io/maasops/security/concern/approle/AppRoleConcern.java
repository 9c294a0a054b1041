package io.maasops.security.concern.approle;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionConcern;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Annotations;
import io.maasops.security.contract.IntegrationReadiness;
import io.maasops.security.contract.Names;
import io.maasops.security.contract.Reasons;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.VaultPort;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.util.Durations;
import io.maasops.security.vault.VaultException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A region's AppRole (role, role-id) and the response-wrapped secret-id delivered with `maas
 * config-vault configure`, confirmed with `maas config-vault status`. Only identifiers are kept
 * (role-id, accessors); the secret-id and the wrapping token exist only in memory during one configure.
 *
 * <p>Each reconcile: the integration's set-up must be complete; the region must answer before a
 * secret-id may be issued (an unreachable host, a rejected host key or an unreadable key writes
 * nothing to Vault, on no retry); the role is made as declared ({@link RoleEnsurer}); then the
 * {@link AppRolePhase} and {@link AppRoleMachine} decide: {@link FirstConfiguration}, {@link Rotation},
 * or nothing until the next rotation.
 */
public final class AppRoleConcern implements RegionConcern {

    private final RoleEnsurer roles;
    private final RollingRotation rolling = new RollingRotation();

    public AppRoleConcern() {
        this(new RecentRoleChecks());
    }

    AppRoleConcern(RecentRoleChecks roleChecks) {
        this.roles = new RoleEnsurer(roleChecks);
    }

    /** Not on a controller whose MAAS the operator does not support (MaasVersionSupported=False says why). */
    @Override
    public boolean appliesTo(RegionInputs in) {
        return !in.maasRefused();
    }

    @Override
    public List<String> conditionTypes() {
        return List.of(AppRoleConditions.PROVISIONED, AppRoleConditions.CONFIGURED);
    }

    @Override
    public ConcernResult reconcile(RegionInputs in) {
        VaultIntegration vi = in.integration();
        Optional<ConditionValue> notReady = IntegrationReadiness.notReady(vi);
        if (notReady.isPresent()) {
            return ConcernResult.of(
                    List.of(
                            notReady.get(),
                            AppRoleConditions.keepOrWait(in, AppRoleConditions.CONFIGURED, notReady.get())),
                    null);
        }
        PortFactory.VaultLookup lookup = in.ports().vault(vi);
        if (!lookup.found()) {
            ConditionValue c = ConditionValue.isFalse(AppRoleConditions.PROVISIONED, lookup.reason(), lookup.message());
            return ConcernResult.of(
                    List.of(c, AppRoleConditions.keepOrWait(in, AppRoleConditions.CONFIGURED, c)),
                    in.retries().floor());
        }
        AppRoleStatus appRole = in.status().getAppRole() == null
                ? new AppRoleStatus()
                : in.status().getAppRole();
        in.status().setAppRole(appRole);
        AppRolePhase phase = AppRolePhase.of(appRole);
        if (phase.mayIssue()) {
            Optional<ConcernResult> unreachable = RegionReachability.unreachable(in);
            if (unreachable.isPresent()) {
                return unreachable.get();
            }
        }
        return withRole(in, lookup.vault(), vi, appRole, phase);
    }

    private ConcernResult withRole(
            RegionInputs in, VaultPort vault, VaultIntegration vi, AppRoleStatus appRole, AppRolePhase phase) {
        String previousRoleId = appRole.getRoleId();
        RoleEnsurer.Outcome role;
        try {
            role = roles.ensure(vault, vi, in.region(), appRole, in.now());
        } catch (VaultException e) {
            ConditionValue c = ConditionValue.isFalse(
                    AppRoleConditions.PROVISIONED, Reasons.of(e).value(), e.getMessage() + "." + Reasons.hint(e));
            return ConcernResult.of(
                    List.of(c, AppRoleConditions.keepOrWait(in, AppRoleConditions.CONFIGURED, c)),
                    AppRoleConditions.backoff(in, AppRoleConditions.PROVISIONED));
        }
        var ledger =
                new AccessorLedger(appRole, vault, Names.APPROLE_MOUNT, Names.roleName(in.region()), in.key(), in::now);
        ledger.retryStale();
        if (phase.configured()) {
            ledger.removeUnrecorded(); // an interrupted rotation is not retried until it is due again
        }
        Duration period = vi.getSpec().getRotation() == null
                ? Duration.ZERO
                : Durations.parse(vi.getSpec().getRotation().getSecretIdRotationPeriod());
        boolean roleIdChanged = previousRoleId != null && !previousRoleId.equals(appRole.getRoleId());
        ConcernResult notBack = null;
        ConditionValue servesAgain = null;
        if (appRole.getRestartingSince() != null) {
            // restarted for a rotation and not seen serving since: it keeps its place in the roll until it does
            notBack = rolling.stillRestarting(in, appRole, role.provisioned()).orElse(null);
            boolean saidNotBack = Conditions.find(in.status().getConditions(), AppRoleConditions.ROTATION)
                    .filter(c -> Reason.REGION_DID_NOT_COME_BACK.value().equals(c.getReason()))
                    .isPresent();
            if (notBack == null && saidNotBack) {
                servesAgain = servesAgain(in, appRole, phase);
            }
        }
        AppRoleMachine.Next next = AppRoleMachine.next(phase, facts(in, appRole, roleIdChanged, period), in.now());
        ConcernResult keep = ConcernResult.of(
                List.of(role.provisioned(), AppRoleConditions.currentConfigured(in, appRole)), next.after());
        // a region that did not come back still rotates when due (it holds its place already): a new secret-id and
        // restart may be what brings it back
        ConcernResult result = switch (next.kind()) {
            case CONFIGURE -> FirstConfiguration.run(in, ledger, vi, appRole, next.why(), role.provisioned());
            case ROTATE ->
                rolling.rotate(
                        in,
                        appRole,
                        role.provisioned(),
                        () -> Rotation.run(in, ledger, vi, appRole, next.why(), role.provisioned(), period));
            case WAIT, KEEP ->
                notBack != null
                        ? new ConcernResult(
                                notBack.conditions(),
                                ConcernResult.sooner(notBack.requeueAfter(), next.after()),
                                notBack.notices(),
                                notBack.informational())
                        : servesAgain != null ? keep.withInformational(servesAgain) : keep;
        };
        result = audited(in, vault, appRole, result, next);
        return withRepairAndStale(result, role, ledger, in);
    }

    /** Audited in a steady state only; after a configure or rotation, only woken up for the next audit. */
    private static ConcernResult audited(
            RegionInputs in, VaultPort vault, AppRoleStatus appRole, ConcernResult result, AppRoleMachine.Next next) {
        boolean steady = next.kind() == AppRoleMachine.Kind.KEEP || next.kind() == AppRoleMachine.Kind.WAIT;
        return RoleAudit.whenDue(in, vault, Names.roleName(in.region()), appRole, result, steady);
    }

    /** A rotated region's Rotation condition once it serves again after it was said not to come back. */
    private static ConditionValue servesAgain(RegionInputs in, AppRoleStatus appRole, AppRolePhase phase) {
        return phase == AppRolePhase.CONFIGURED
                ? ConditionValue.isTrue(
                        AppRoleConditions.ROTATION,
                        Reason.ROTATED.value(),
                        "region " + in.hostname() + " serves again with secret-id accessor "
                                + appRole.getSecretIdAccessor() + " since " + appRole.getRotatedAt())
                : ConditionValue.isFalse(
                        AppRoleConditions.ROTATION,
                        Reason.ROTATION_FAILED.value(),
                        "region " + in.hostname() + " serves again after a rotation that was not"
                                + " confirmed; a new secret-id is tried after the backoff (accessor "
                                + appRole.getSecretIdAccessor() + " still works)");
    }

    /** The role's repair notice first; back soon while the ledger holds secret-ids Vault did not destroy. */
    private static ConcernResult withRepairAndStale(
            ConcernResult result, RoleEnsurer.Outcome role, AccessorLedger ledger, RegionInputs in) {
        List<Notice> first = new ArrayList<>();
        role.repaired().ifPresent(first::add);
        first.addAll(result.notices());
        result = new ConcernResult(
                result.conditions(), result.requeueAfter(), List.copyOf(first), result.informational());
        if (ledger.hasStale()) {
            // secret-ids Vault could not destroy when asked (e.g. a rotation's old one) are retried at every
            // reconcile: come back soon rather than at the next periodic check (docs/reliability.md)
            result = new ConcernResult(
                    result.conditions(),
                    ConcernResult.sooner(result.requeueAfter(), in.retries().floor()),
                    result.notices(),
                    result.informational());
        }
        return result;
    }

    private static AppRoleMachine.Facts facts(
            RegionInputs in, AppRoleStatus appRole, boolean roleIdChanged, Duration period) {
        String annotation = Annotations.rotationRequest(in.region());
        boolean freshRequest = annotation != null && !annotation.equals(appRole.getRotationRequest());
        // after a failed attempt, wait (capped backoff) before issuing yet another secret-id, unless the annotation
        // asks again
        Optional<Condition> failed = Conditions.find(in.status().getConditions(), AppRoleConditions.ROTATION)
                .filter(c -> Conditions.FALSE.equals(c.getStatus()));
        var retryAt = failed.isPresent() && !freshRequest && appRole.getIssuedAt() != null
                ? RotationSchedule.retryAt(appRole.getIssuedAt(), failed.get().getLastTransitionTime(), in.retries())
                : null;
        return new AppRoleMachine.Facts(
                roleIdChanged,
                RotationSchedule.due(appRole, period, annotation, in.now(), in.key()),
                retryAt,
                RotationSchedule.untilNext(appRole, period, in.now(), in.retries(), in.key()));
    }

    @Override
    public List<Notice> cleanup(RegionInputs in) {
        rolling.forget(in);
        VaultIntegration vi = in.integration();
        if (vi == null) {
            return List.of();
        }
        // the role's name comes from the region's identity, never from its status (which whoever may
        // update status could point at another tenant's role)
        String role = Names.roleName(in.region());
        var refused = in.refusal();
        if (refused.isPresent()) {
            return List.of(Notice.warning(
                    "CleanupSkipped",
                    refused.get().message() + "; if AppRole " + role + " exists in Vault, the Vault admin removes it"));
        }
        PortFactory.VaultLookup lookup = in.ports().vault(vi);
        if (!lookup.found()) {
            return List.of(Notice.warning(
                    "CleanupSkipped", "cannot reach Vault to remove AppRole " + role + ": " + lookup.message()));
        }
        String mount = Names.APPROLE_MOUNT;
        // throws (and so keeps the finalizer, with backoff) while Vault is sealed or unreachable
        if (!lookup.vault().removeRoleWithSecretIds(mount, role)) {
            return List.of(Notice.normal("AppRoleDeleted", "AppRole " + role + " was not in Vault: nothing to remove"));
        }
        return List.of(
                Notice.normal("AppRoleDeleted", "AppRole " + role + " and its secret-ids were removed from Vault"));
    }
}
