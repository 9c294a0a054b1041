package io.maasops.security.concern.vaultsetup;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.VaultInfo;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.contract.IntegrationReadiness;
import io.maasops.security.contract.Names;
import io.maasops.security.contract.Reasons;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.VaultSys;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.VaultException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow 1, integration side: Vault reachable and unsealed; AppRole auth enabled; kv-v2 mount
 * present; the regions' policy (the Vault admin's) is MAAS's minimal policy. Runs when due (spec change, a step not yet True, or every
 * {@link #RECHECK}), so the many reconciles that region events cause make no Vault calls.
 */
public final class VaultSetup {

    public static final String VAULT_REACHABLE = ConditionType.VAULT_REACHABLE.value();
    public static final String VAULT_UNSEALED = ConditionType.VAULT_UNSEALED.value();
    public static final String APPROLE_AUTH_READY = ConditionType.APPROLE_AUTH_READY.value();
    public static final String SECRETS_MOUNT_READY = ConditionType.SECRETS_MOUNT_READY.value();
    public static final String POLICY_READY = ConditionType.POLICY_READY.value();
    public static final List<String> TYPES = IntegrationReadiness.SETUP_TYPES;

    /** How often a healthy integration re-checks Vault (and repairs a deleted mount or edited policy). */
    public static final Duration RECHECK = Duration.ofMinutes(2);

    public record Result(List<ConditionValue> conditions, Duration requeue) {
        /** True when regions may provision: every setup condition is True. */
        public boolean ready() {
            return conditions.stream().allMatch(ConditionValue::ok);
        }
    }

    private final RetryDelays retries;

    public VaultSetup(RetryDelays retries) {
        this.retries = retries;
    }

    /**
     * @param regionsSawVaultTrouble a region's last Vault call found it sealed or unreachable: look
     *     now rather than at the next scheduled check
     */
    public static boolean due(
            VaultIntegrationStatus status,
            boolean specChanged,
            boolean regionsSawVaultTrouble,
            Instant now,
            String checkRequest) {
        if (specChanged
                || regionsSawVaultTrouble
                || status.getVault() == null
                || status.getVault().getLastChecked() == null
                || !java.util.Objects.equals(checkRequest, status.getVault().getCheckRequest())) {
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

    public Result run(VaultIntegration vi, VaultIntegrationStatus status, VaultSys vault, Instant now) {
        String address = vi.getSpec().getVault().getAddress();
        VaultInfo info = status.getVault() == null ? new VaultInfo() : status.getVault();
        status.setVault(info);
        info.setLastChecked(now.truncatedTo(ChronoUnit.SECONDS).toString());
        info.setCheckRequest(io.maasops.security.contract.Annotations.requestedAt(vi));
        HealthStatus health;
        try {
            health = vault.health();
        } catch (VaultException e) {
            return unavailable(
                    status,
                    now,
                    ConditionValue.isFalse(
                            VAULT_REACHABLE,
                            Reason.UNREACHABLE.value(),
                            "cannot reach Vault at " + address + ": " + e.getMessage()
                                    + ". The operator retries by itself."),
                    0);
        }
        info.setVersion(health.version().isEmpty() ? null : health.version());
        info.setSealed(health.sealed());
        ConditionValue reachable = ConditionValue.isTrue(
                VAULT_REACHABLE, Reason.REACHABLE.value(), "Vault " + health.version() + " answers at " + address);
        if (!health.initialized()) {
            return unavailable(
                    status,
                    now,
                    ConditionValue.isFalse(
                            VAULT_UNSEALED,
                            Reason.NOT_INITIALIZED.value(),
                            "Vault at " + address + " is not initialized (`vault operator init`)"),
                    1,
                    reachable);
        }
        if (health.sealed()) {
            return unavailable(
                    status,
                    now,
                    ConditionValue.isFalse(
                            VAULT_UNSEALED,
                            Reason.SEALED.value(),
                            "Vault at " + address
                                    + " is sealed: unseal it with `vault operator unseal`. Vault writes are paused and resume by themselves."),
                    1,
                    reachable);
        }
        ConditionValue unsealed = ConditionValue.isTrue(VAULT_UNSEALED, Reason.UNSEALED.value(), "Vault is unsealed");
        return mountsAndPolicy(vi, status, vault, now, reachable, unsealed);
    }

    /** Vault answers and is unsealed: the AppRole auth method, the kv-v2 mount and MAAS's policy, in order. */
    private Result mountsAndPolicy(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            VaultSys vault,
            Instant now,
            ConditionValue reachable,
            ConditionValue unsealed) {
        String approleMount = Names.APPROLE_MOUNT;
        String kvMount = vi.getSpec().getSecrets().getMount();
        ConditionValue approle;
        ConditionValue mount;
        ConditionValue policy;
        try {
            vault.ensureAppRoleAuth(approleMount);
            approle = ConditionValue.isTrue(
                    APPROLE_AUTH_READY, Reason.ENABLED.value(), "AppRole auth method enabled at " + approleMount + "/");
        } catch (VaultException e) {
            return failed(status, now, List.of(reachable, unsealed), APPROLE_AUTH_READY, e);
        }
        try {
            vault.ensureKvV2Mount(kvMount);
            mount = ConditionValue.isTrue(
                    SECRETS_MOUNT_READY, Reason.MOUNTED.value(), "kv-v2 secrets engine mounted at " + kvMount + "/");
        } catch (VaultException e) {
            return failed(status, now, List.of(reachable, unsealed, approle), SECRETS_MOUNT_READY, e);
        }
        try {
            policy = RegionPolicyCheck.check(vi, status, vault);
        } catch (VaultException e) {
            return failed(status, now, List.of(reachable, unsealed, approle, mount), POLICY_READY, e);
        }
        if (!policy.ok()) {
            List<ConditionValue> out = new ArrayList<>(List.of(reachable, unsealed, approle, mount, policy));
            return new Result(out, backoff(status, POLICY_READY, now));
        }
        return new Result(List.of(reachable, unsealed, approle, mount, policy), RECHECK);
    }

    /** Vault cannot be used: the given condition says why, the later ones wait. */
    private Result unavailable(
            VaultIntegrationStatus status, Instant now, ConditionValue cause, int index, ConditionValue... before) {
        List<ConditionValue> out = new ArrayList<>(List.of(before));
        out.add(cause);
        for (int i = index + 1; i < TYPES.size(); i++) {
            out.add(ConditionValue.unknown(TYPES.get(i), cause.reason(), "waiting: " + cause.message()));
        }
        return new Result(out, backoff(status, cause.type(), now));
    }

    private Result failed(
            VaultIntegrationStatus status, Instant now, List<ConditionValue> ok, String type, VaultException e) {
        int index = TYPES.indexOf(type);
        switch (e.kind()) {
            case SEALED:
                return unavailable(
                        status,
                        now,
                        ConditionValue.isFalse(
                                VAULT_UNSEALED,
                                Reason.SEALED.value(),
                                "Vault was sealed during set-up: unseal it with `vault operator unseal`; the operator resumes by itself."),
                        1,
                        ok.get(0));
            case UNREACHABLE:
                return unavailable(
                        status,
                        now,
                        ConditionValue.isFalse(VAULT_REACHABLE, Reason.UNREACHABLE.value(), e.getMessage()),
                        0);
            default:
                break;
        }
        List<ConditionValue> out = new ArrayList<>(ok);
        out.add(ConditionValue.isFalse(type, Reasons.of(e).value(), e.getMessage() + "." + Reasons.hint(e)));
        for (int i = index + 1; i < TYPES.size(); i++) {
            out.add(ConditionValue.unknown(TYPES.get(i), Reason.WAITING.value(), "waiting for " + type));
        }
        return new Result(out, backoff(status, type, now));
    }

    private Duration backoff(VaultIntegrationStatus status, String type, Instant now) {
        return retries.since(
                Conditions.find(status.getConditions(), type)
                        .filter(c -> Conditions.FALSE.equals(c.getStatus()) || Conditions.UNKNOWN.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .orElse(null),
                now);
    }
}
