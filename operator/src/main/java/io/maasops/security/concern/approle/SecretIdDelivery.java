package io.maasops.security.concern.approle;

import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Reasons;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.Reason;
import io.maasops.security.util.Durations;
import io.maasops.security.vault.VaultException;
import io.maasops.security.vault.WrappedSecretId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One secret-id handed to a region: a response-wrapped secret-id (its accessor persisted first),
 * `maas config-vault configure` with the wrapping token on stdin, a restart of the region service
 * when it already ran with another one (MAAS caches its Vault client per process), and `maas
 * config-vault status` to confirm. The old secret-id is destroyed only after all of that worked; a
 * new one the region cannot have used is destroyed at once.
 */
final class SecretIdDelivery {

    /** The steps, as named in conditions and events. */
    enum Step {
        CREATE_SECRET_ID("create-secret-id"),
        CONFIGURE("configure"),
        RESTART("restart"),
        CONFIRM("confirm");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    /** {@code failedStep} null: delivered, {@code accessor} in use; {@code old} the accessor it replaced. */
    record Result(Step failedStep, Reason reason, String message, String accessor, String old, List<Notice> notices) {
        boolean ok() {
            return failedStep == null;
        }

        static Result failed(Step step, Reason reason, String message, Notice... notices) {
            return new Result(step, reason, message, null, null, List.of(notices));
        }
    }

    private SecretIdDelivery() {}

    static Result deliver(
            RegionInputs in, AccessorLedger ledger, VaultIntegration vi, String roleId, boolean rotation) {
        Duration wrapTtl = Durations.parse(vi.getSpec().getAppRole().getWrapTTL());
        String old = ledger.inUse();
        String previousPending = ledger.pending();
        WrappedSecretId wrapped;
        try {
            wrapped = ledger.issue(wrapTtl, in::checkpoint);
        } catch (VaultException e) {
            return Result.failed(Step.CREATE_SECRET_ID, Reasons.of(e), e.getMessage() + "." + Reasons.hint(e));
        }
        Instant issuedAt = in.now();
        try {
            in.shell()
                    .configureVault(
                            regionAddress(vi),
                            roleId,
                            wrapped.wrappingToken(),
                            vi.getSpec().getSecrets().getPath(),
                            vi.getSpec().getSecrets().getMount());
        } catch (MaasCliException e) {
            // MAAS writes regiond.conf only after its own checks passed: the new secret-id is unused
            ledger.discard(wrapped.secretIdAccessor(), previousPending);
            return configureFailed(e, in, wrapped, issuedAt, wrapTtl);
        } catch (RegionAccessException e) {
            if (!e.mayHaveRun()) {
                ledger.discard(wrapped.secretIdAccessor(), previousPending); // the command never ran
            } // timed out or lost its answer: regiond.conf may hold it, keep it pending until a newer one is confirmed
            return Result.failed(Step.CONFIGURE, Reasons.of(e), e.getMessage());
        }
        // regiond.conf now holds the new secret-id; an earlier unconfirmed one is referenced by nothing
        if (previousPending != null
                && !previousPending.equals(old)
                && !previousPending.equals(wrapped.secretIdAccessor())) {
            ledger.destroy(previousPending);
        }
        if (rotation) {
            Result notRestarted = restart(in);
            if (notRestarted != null) {
                return notRestarted;
            }
        }
        Result unconfirmed = confirm(in, rotation);
        if (unconfirmed != null) {
            return unconfirmed;
        }
        ledger.confirm(wrapped.secretIdAccessor(), rotation);
        if (old != null && !old.equals(wrapped.secretIdAccessor())) {
            ledger.destroy(old);
        }
        ledger.removeUnrecorded();
        return new Result(null, null, null, wrapped.secretIdAccessor(), old, List.of());
    }

    /** `maas config-vault configure` refused: because the token was unwrapped by someone else, or why else. */
    private static Result configureFailed(
            MaasCliException e, RegionInputs in, WrappedSecretId wrapped, Instant issuedAt, Duration wrapTtl) {
        if (unwrappedElsewhere(e.getMessage(), issuedAt, in.now(), wrapTtl)) {
            String msg = unwrappedElsewhereText(wrapped.secretIdAccessor(), in.hostname());
            return Result.failed(
                    Step.CONFIGURE,
                    Reason.WRAPPING_TOKEN_USED_ELSEWHERE,
                    msg,
                    Notice.warning(Reason.WRAPPING_TOKEN_USED_ELSEWHERE.value(), msg));
        }
        return Result.failed(Step.CONFIGURE, Reason.CONFIGURE_FAILED, e.getMessage());
    }

    /**
     * Null once every process holding a Vault client restarted (which ones depends on the version and
     * installation); otherwise why not.
     */
    private static Result restart(RegionInputs in) {
        try {
            var restart = in.behaviour().map(b -> b.restartArgv());
            if (restart.isEmpty()) {
                return Result.failed(
                        Step.RESTART,
                        Reason.MAAS_VERSION_NOT_SUPPORTED,
                        "the MAAS on " + in.hostname() + " is not supported (condition MaasVersionSupported),"
                                + " so the services to restart are not known");
            }
            // this region holds a place of the rolling rotation from here until it serves again, also for an
            // operator that restarts meanwhile: the status says so before anything restarts
            in.checkpoint();
            in.shell().restartRegion(restart.get());
            return null;
        } catch (MaasCliException | RegionAccessException e) {
            return Result.failed(Step.RESTART, Reason.ROTATION_FAILED, e.getMessage());
        }
    }

    /** Null when `maas config-vault status` no longer lists the region as unconfigured. */
    private static Result confirm(RegionInputs in, boolean rotation) {
        String host = in.hostname();
        try {
            VaultStatus vs = in.shell().vaultStatus();
            if (vs.unconfiguredRegions().contains(host)) {
                return Result.failed(
                        Step.CONFIRM,
                        Reason.NOT_CONFIRMED,
                        rotation
                                ? "MAAS lists " + host + " as unconfigured after the restart"
                                : "`maas config-vault configure` succeeded but MAAS still lists " + host
                                        + " as unconfigured; MAAS sets the"
                                        + " flag at the region's next start if its MAAS id was missing");
            }
            if (rotation) {
                // `status` proves nothing about the new secret-id before migration (Django settings fall back to the
                // local DB credentials): at least every Vault consumer the restart touched must run again
                var down = RegionServing.consumersDown(in);
                if (down.isPresent()) {
                    return Result.failed(Step.CONFIRM, Reason.NOT_CONFIRMED, down.get() + " after the restart");
                }
            }
            return null;
        } catch (MaasCliException | RegionAccessException e) {
            return Result.failed(
                    Step.CONFIRM,
                    Reason.NOT_CONFIRMED,
                    rotation ? e.getMessage() : "configured, but `maas config-vault status` failed: " + e.getMessage());
        }
    }

    /** The address regions use to reach Vault: spec.vault.regionAddress, else spec.vault.address. */
    static URI regionAddress(VaultIntegration vi) {
        String a = vi.getSpec().getVault().getRegionAddress();
        return URI.create(a == null || a.isEmpty() ? vi.getSpec().getVault().getAddress() : a);
    }

    /**
     * Whether MAAS's failure means somebody else unwrapped the token: Vault no longer knows it although
     * its TTL had not run out when the region tried. (An expired token says the same; only the time
     * since issue tells them apart.) Either way the secret-id has been destroyed.
     */
    static boolean unwrappedElsewhere(String maasMessage, Instant issuedAt, Instant failedAt, Duration wrapTtl) {
        return maasMessage != null
                && maasMessage.contains("wrapping token is not valid or does not exist")
                && Duration.between(issuedAt, failedAt).compareTo(wrapTtl.minusSeconds(1)) < 0;
    }

    private static String unwrappedElsewhereText(String accessor, String host) {
        return "the response-wrapped secret-id (accessor " + accessor + ") was unwrapped by someone else before region "
                + host
                + " could: the wrapping token may have been intercepted on its way (command line, logs, network). The operator"
                + " destroyed that secret-id and issues a new one; investigate who read it";
    }
}
