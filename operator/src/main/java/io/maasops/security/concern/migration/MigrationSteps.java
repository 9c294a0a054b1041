package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.Names;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.VaultKv;
import io.maasops.security.port.VaultPort;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.Reason;
import io.maasops.security.vault.HealthStatus;
import io.maasops.security.vault.IssuedSecretId;
import io.maasops.security.vault.VaultErrorKind;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.VaultLogin;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps around `maas config-vault migrate` that touch Vault: the pre-flight (a short-lived,
 * few-use secret-id on a region's role logs in and writes, reads and deletes a probe key) and the
 * verification (MAAS says enabled, MAAS's global keys are listed in Vault), and how a failure is recorded.
 */
final class MigrationSteps {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationSteps.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RetryDelays retries;

    MigrationSteps(RetryDelays retries) {
        this.retries = retries;
    }

    /** Empty when the region's role can do what MAAS will do with it. */
    Optional<SecretMigration.Result> preflight(
            VaultIntegration vi, MaasRegion region, VaultPort vault, MigrationStatus m, Instant now, long generation) {
        m.setAttemptGeneration(generation);
        try {
            HealthStatus health = vault.health();
            if (health.sealed()) {
                return Optional.of(failed(vi, m, MigrationFailure.VAULT_SEALED, "pre-flight: Vault is sealed", now));
            }
        } catch (VaultException e) {
            return Optional.of(failed(vi, m, MigrationFailure.VAULT_UNREACHABLE, "pre-flight: " + e.getMessage(), now));
        }
        AppRoleStatus appRole =
                region.getStatus() == null ? null : region.getStatus().getAppRole();
        // the role's name is derived from the region's identity, never taken from its status
        String role = Names.roleName(region);
        if (appRole == null || appRole.getRoleId() == null) {
            return Optional.of(failed(
                    vi,
                    m,
                    MigrationFailure.PREFLIGHT_FAILED,
                    "pre-flight: region " + region.getSpec().getHostname() + " has no AppRole yet",
                    now));
        }
        String approle = Names.APPROLE_MOUNT;
        String kvMount = vi.getSpec().getSecrets().getMount();
        String probe = vi.getSpec().getSecrets().getPath() + "/operator-preflight-"
                + HexFormat.of().formatHex(randomBytes());
        IssuedSecretId issued = null;
        try {
            issued = vault.createSecretId(approle, role, SecretMigration.PREFLIGHT_TTL, SecretMigration.PREFLIGHT_USES);
            VaultLogin login = vault.appRoleLogin(approle, appRole.getRoleId(), issued.secretId());
            VaultKv asMaas = vault.asToken(login.clientToken());
            asMaas.kvWrite(kvMount, probe, Map.of("value", "maas-security-operator pre-flight"));
            if (asMaas.kvRead(kvMount, probe).isEmpty()) {
                return Optional.of(failed(
                        vi,
                        m,
                        MigrationFailure.PREFLIGHT_FAILED,
                        "pre-flight: the probe key " + kvMount + "/data/" + probe + " written with role " + role
                                + " could not be read back",
                        now));
            }
            asMaas.kvDelete(kvMount, probe);
            return Optional.empty();
        } catch (VaultException e) {
            MigrationFailure cause = vaultFailure(e, MigrationFailure.PREFLIGHT_FAILED);
            String hint = e.kind() == VaultErrorKind.PERMISSION_DENIED
                    ? " (the policy of role " + role + " does not grant MAAS's minimal access)"
                    : "";
            return Optional.of(
                    failed(vi, m, cause, "pre-flight with role " + role + " failed: " + e.getMessage() + hint, now));
        } finally {
            if (issued != null) {
                destroyProbeSecretId(vault, approle, role, issued);
            }
        }
    }

    private static void destroyProbeSecretId(VaultPort vault, String approle, String role, IssuedSecretId issued) {
        try {
            vault.destroySecretIdByAccessor(approle, role, issued.accessor());
        } catch (VaultException e) {
            // it expires by itself within PREFLIGHT_TTL
            LOG.warn("could not destroy the pre-flight secret-id (accessor {}): {}", issued.accessor(), e.getMessage());
        }
    }

    /**
     * `config-vault status` ({@code after}, asked by the caller) says enabled and every key of {@code keys} (the
     * version's {@code MaasBehaviour.keysAfterMigration}, below the secrets path) is listed under
     * <mount>/metadata/<path>/. {@code success}: the reason of the SecretsMigrated condition when they are.
     */
    SecretMigration.Result verify(
            VaultIntegration vi,
            MigrationStatus m,
            VaultStatus after,
            VaultPort vault,
            String host,
            Instant now,
            String how,
            List<String> keys,
            Reason success) {
        String kvMount = vi.getSpec().getSecrets().getMount();
        String path = vi.getSpec().getSecrets().getPath();
        String where = kvMount + "/metadata/" + path + "/";
        if (!after.enabled()) {
            return failed(
                    vi,
                    m,
                    MigrationFailure.VERIFICATION_FAILED,
                    how + ", but `maas config-vault status` on " + host + " says disabled",
                    now);
        }
        List<String> missing = new ArrayList<>();
        Map<String, List<String>> listed = new java.util.HashMap<>();
        for (String key : keys) {
            int slash = key.lastIndexOf('/');
            String dir = slash < 0 ? "" : key.substring(0, slash);
            List<String> names;
            try {
                names = listed.containsKey(dir)
                        ? listed.get(dir)
                        : vault.kvList(kvMount, dir.isEmpty() ? path : path + "/" + dir);
            } catch (VaultException e) {
                return failed(
                        vi,
                        m,
                        vaultFailure(e, MigrationFailure.VERIFICATION_FAILED),
                        "verification: cannot list " + where + dir + ": " + e.getMessage(),
                        now);
            }
            listed.put(dir, names);
            if (!names.contains(key.substring(slash + 1))) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            return failed(
                    vi,
                    m,
                    MigrationFailure.VERIFICATION_FAILED,
                    how + ", but " + where + " lacks " + String.join(", ", missing),
                    now);
        }
        return succeeded(m, now, how, keys, where, success);
    }

    /** Every key is where MAAS puts it: the migration succeeded. */
    private static SecretMigration.Result succeeded(
            MigrationStatus m, Instant now, String how, List<String> keys, String where, Reason success) {
        m.setPhase(MigrationPhase.Succeeded);
        m.setReason(success.value());
        m.setCompletedAt(time(now));
        m.setVerifiedPaths(keys.stream().map(k -> where + k).toList());
        m.setMessage(how + "; verified " + String.join(", ", keys) + " under " + where);
        // its Event comes from the status diff (MigrationEvents)
        return new SecretMigration.Result(SecretMigration.condition(true, success, m.getMessage()), null, true);
    }

    /** Failed, with the failure's reason and hint; retried soon only when the failure is retryable. */
    SecretMigration.Result failed(
            VaultIntegration vi, MigrationStatus m, MigrationFailure failure, String message, Instant now) {
        String text = message + failure.hint();
        m.setPhase(MigrationPhase.Failed);
        m.setReason(failure.reason().value());
        m.setMessage(text);
        m.setCompletedAt(time(now));
        // its Event comes from the status diff (MigrationEvents)
        return new SecretMigration.Result(
                SecretMigration.condition(false, failure.reason(), text),
                failure.retryable() ? retries.floor() : null,
                true);
    }

    /** A sealed or unreachable Vault, or a server error, is retried; anything else is {@code otherwise}. */
    static MigrationFailure vaultFailure(VaultException e, MigrationFailure otherwise) {
        return switch (e.kind()) {
            case SEALED -> MigrationFailure.VAULT_SEALED;
            case UNREACHABLE -> MigrationFailure.VAULT_UNREACHABLE;
            case SERVER_ERROR -> MigrationFailure.VAULT_ERROR;
            default -> otherwise;
        };
    }

    /** Sealed or unreachable now, as the cause of a failed `migrate`. */
    static Optional<MigrationFailure> vaultCause(VaultPort vault) {
        try {
            return vault.health().sealed() ? Optional.of(MigrationFailure.VAULT_SEALED) : Optional.empty();
        } catch (VaultException e) {
            return Optional.of(MigrationFailure.VAULT_UNREACHABLE);
        }
    }

    static String time(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    static void phase(MigrationStatus m, MigrationPhase phase, Reason reason, String message) {
        m.setPhase(phase);
        m.setReason(reason.value());
        m.setMessage(message);
    }
}
