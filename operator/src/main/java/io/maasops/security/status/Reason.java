package io.maasops.security.status;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every condition reason the operator writes, in one place, each with what it means for kstatus when
 * it is Ready's reason and Ready is not True (the table of the kstatus contract, as data):
 * <ul>
 *   <li>{@link Progress#STALLED}: only a person can unblock it (the spec, a referenced Secret, the
 *       cluster admin's VaultIntegration, the Vault admin's policy, MAAS's users and pools): Stalled=True;
 *   <li>{@link Progress#RECONCILING}: the operator is still working on it, or retries by itself
 *       (Vault sealed or unreachable, a controller down): Reconciling=True;
 *   <li>{@link Progress#WAITING}: waits for a person by design (a migration awaiting approval, an
 *       integration no region uses yet, a certificate to renew): neither.
 * </ul>
 * A reason not listed here is {@link Progress#RECONCILING} (a test proves each reason the code writes is listed).
 */
public enum Reason {
    // --- ready
    SECURED("Secured", Progress.DONE),
    INTEGRATED("Integrated", Progress.DONE),
    IN_SYNC("InSync", Progress.DONE),
    // --- the spec and what it references
    INVALID_SPEC("InvalidSpec", Progress.STALLED),
    SECRET_NOT_FOUND("SecretNotFound", Progress.STALLED),
    SECRET_KEY_NOT_FOUND("SecretKeyNotFound", Progress.STALLED),
    SECRET_KEY_EMPTY("SecretKeyEmpty", Progress.STALLED),
    SECRET_READ_FAILED("SecretReadFailed", Progress.RECONCILING),
    VAULT_INTEGRATION_NOT_FOUND("VaultIntegrationNotFound", Progress.STALLED),
    MAAS_REGION_NOT_FOUND("MaasRegionNotFound", Progress.STALLED),
    MAAS_API_NOT_CONFIGURED("MaasApiNotConfigured", Progress.STALLED),
    // --- tenancy refusals (tenancy.Refusal)
    NAMESPACE_NOT_ALLOWED("NamespaceNotAllowed", Progress.STALLED),
    SSH_HOST_NOT_ALLOWED("SshHostNotAllowed", Progress.STALLED),
    MAAS_API_URL_NOT_ALLOWED("MaasApiUrlNotAllowed", Progress.STALLED),
    INSECURE_MAAS_API_NOT_ALLOWED("InsecureMaasApiNotAllowed", Progress.STALLED),
    TLS_ENDPOINT_NOT_ALLOWED("TlsEndpointNotAllowed", Progress.STALLED),
    ADMINISTRATOR_NOT_ALLOWED("AdministratorNotAllowed", Progress.STALLED),
    INSECURE_VAULT_NOT_ALLOWED("InsecureVaultNotAllowed", Progress.STALLED),
    // --- unexpected
    RECONCILE_ERROR("ReconcileError", Progress.RECONCILING),
    NOT_IMPLEMENTED("NotImplemented", Progress.STALLED),
    // --- Vault (integration set-up)
    REACHABLE("Reachable", Progress.DONE),
    UNREACHABLE("Unreachable", Progress.RECONCILING),
    UNSEALED("Unsealed", Progress.DONE),
    SEALED("Sealed", Progress.RECONCILING),
    NOT_INITIALIZED("NotInitialized", Progress.STALLED),
    ENABLED("Enabled", Progress.DONE),
    MOUNTED("Mounted", Progress.DONE),
    MATCHES("Matches", Progress.DONE),
    POLICY_MISSING("PolicyMissing", Progress.STALLED),
    POLICY_DIFFERS("PolicyDiffers", Progress.STALLED),
    POLICY_IS_OPERATORS_OWN("PolicyIsOperatorsOwn", Progress.STALLED),
    WAITING("Waiting", Progress.RECONCILING),
    // --- Vault, as any call reports it (contract.Reasons.of(VaultException))
    VAULT_SEALED("VaultSealed", Progress.RECONCILING),
    VAULT_UNREACHABLE("VaultUnreachable", Progress.RECONCILING),
    PERMISSION_DENIED("PermissionDenied", Progress.STALLED),
    INVALID_REQUEST("InvalidRequest", Progress.STALLED),
    NOT_FOUND("NotFound", Progress.RECONCILING),
    VAULT_ERROR("VaultError", Progress.RECONCILING),
    // --- regions of an integration
    ALL_CONFIGURED("AllConfigured", Progress.DONE),
    NO_REGIONS("NoRegions", Progress.WAITING),
    REGIONS_PENDING("RegionsPending", Progress.RECONCILING),
    REGIONS_UNCONFIGURED("RegionsUnconfigured", Progress.RECONCILING),
    MAAS_NOT_ASKED("MaasNotAsked", Progress.RECONCILING),
    // --- secret migration
    MIGRATED("Migrated", Progress.DONE),
    AWAITING_APPROVAL("AwaitingApproval", Progress.WAITING),
    WAITING_FOR_VAULT("WaitingForVault", Progress.RECONCILING),
    WAITING_FOR_REGIONS("WaitingForRegions", Progress.RECONCILING),
    BLOCKED("Blocked", Progress.RECONCILING),
    RUNNING("Running", Progress.RECONCILING),
    PREFLIGHT_FAILED("PreflightFailed", Progress.STALLED),
    VERIFICATION_FAILED("VerificationFailed", Progress.STALLED),
    VAULT_TEST_FAILED("VaultTestFailed", Progress.RECONCILING),
    FAILED("Failed", Progress.STALLED),
    // MAAS reports the secrets in Vault and the operator never sent `migrate`: someone ran it by hand
    MIGRATED_OUTSIDE_OPERATOR("MigratedOutsideOperator", Progress.DONE),
    // the MAAS version breaks after `migrate` (MaasBehaviour.defectsOf): upgrade MAAS, or migrate by hand
    KNOWN_MAAS_DEFECT("KnownMaasDefect", Progress.STALLED),
    // MAAS's unconfigured list names a rack-only controller, which only an admin can take out of it
    RACK_ONLY_CONTROLLER("RackOnlyController", Progress.STALLED),
    // --- the MAAS on a region controller (concern.maasinstall)
    SUPPORTED("Supported", Progress.DONE),
    MAAS_VERSION_NOT_SUPPORTED("MaasVersionNotSupported", Progress.STALLED),
    INSTALLATION_MISMATCH("InstallationMismatch", Progress.STALLED),
    MAAS_VERSION_UNKNOWN("MaasVersionUnknown", Progress.RECONCILING),
    POLICY_BREAKS_MAAS("PolicyBreaksMaas", Progress.STALLED),
    // --- a region's AppRole and secret-id
    PROVISIONED("Provisioned", Progress.DONE),
    CONFIGURED("Configured", Progress.DONE),
    WAITING_FOR_VAULT_INTEGRATION("WaitingForVaultIntegration", Progress.RECONCILING),
    CONFIGURE_FAILED("ConfigureFailed", Progress.RECONCILING),
    NOT_CONFIRMED("NotConfirmed", Progress.RECONCILING),
    WRAPPING_TOKEN_USED_ELSEWHERE("WrappingTokenUsedElsewhere", Progress.RECONCILING),
    ROTATED("Rotated", Progress.DONE),
    ROTATION_FAILED("RotationFailed", Progress.RECONCILING),
    /** Rolling rotation: another region of the integration restarts, or has not served again since its restart. */
    WAITING_FOR_ROLLING_RESTART("WaitingForRollingRestart", Progress.RECONCILING),
    /** This region restarted for a rotation and does not serve again (MAAS CLI, a Vault consumer or the API): the roll stops. */
    REGION_DID_NOT_COME_BACK("RegionDidNotComeBack", Progress.RECONCILING),
    // --- a region controller, as any command reports it (contract.Reasons.of(RegionAccessException))
    REGION_UNREACHABLE("RegionUnreachable", Progress.RECONCILING),
    HOST_KEY_REJECTED("HostKeyRejected", Progress.STALLED),
    SSH_AUTHENTICATION_FAILED("SshAuthenticationFailed", Progress.STALLED),
    COMMAND_TIMED_OUT("CommandTimedOut", Progress.RECONCILING),
    SUDO_REFUSED("SudoRefused", Progress.STALLED),
    INVALID_CREDENTIALS("InvalidCredentials", Progress.STALLED),
    REGION_ACCESS_FAILED("RegionAccessFailed", Progress.RECONCILING),
    // --- config files (configfiles.ConfigFilesVerdict)
    COMPLIANT("Compliant", Progress.DONE),
    FIXED("Fixed", Progress.DONE),
    DRIFT("Drift", Progress.STALLED),
    FILE_MISSING("FileMissing", Progress.STALLED),
    GROUP_NOT_FOUND("GroupNotFound", Progress.STALLED),
    USER_NOT_FOUND("UserNotFound", Progress.STALLED),
    COMMAND_FAILED("CommandFailed", Progress.RECONCILING),
    NOT_A_REGULAR_FILE("NotARegularFile", Progress.STALLED),
    // --- certificate
    VALID("Valid", Progress.DONE),
    // the operator did its part (reported it, reminded MAAS's admins); renewing is outside the
    // reconcile, and has alerts of its own (MaasOpsCertificateExpiring/Expired): neither
    EXPIRING("Expiring", Progress.WAITING),
    EXPIRED("Expired", Progress.WAITING),
    CERTIFICATE_UNREADABLE("CertificateUnreadable", Progress.STALLED),
    ENDPOINT_UNREACHABLE("EndpointUnreachable", Progress.RECONCILING),
    // --- RoleBinding and the MAAS API (contract.Reasons.of(MaasApiException))
    RESOLVED("Resolved", Progress.DONE),
    POOLS_NOT_FOUND("PoolsNotFound", Progress.STALLED),
    USERS_NOT_FOUND("UsersNotFound", Progress.STALLED),
    NOT_CHECKED("NotChecked", Progress.RECONCILING),
    WAITING_FOR_REFERENCES("WaitingForReferences", Progress.STALLED),
    GROUPS_API_UNSUPPORTED("GroupsApiUnsupported", Progress.STALLED),
    // MAAS answers "None" until a controller has reported its version: the operator asks again by itself
    // MAAS 3.8 with Canonical RBAC ignores groups and entitlements: the MAAS admin must remove RBAC
    CANONICAL_RBAC_CONFIGURED("CanonicalRbacConfigured", Progress.STALLED),
    GROUP_NAME_TOO_LONG("GroupNameTooLong", Progress.STALLED),
    // a group of that name appeared between the listing and the create (MAAS answers 500): the next look decides
    GROUP_NAME_TAKEN("GroupNameTaken", Progress.RECONCILING),
    GROUP_CONFLICT("GroupConflict", Progress.STALLED),
    GROUP_NOT_MANAGED("GroupNotManaged", Progress.STALLED),
    MAAS_UNREACHABLE("MaasUnreachable", Progress.RECONCILING),
    MAAS_UNAUTHORIZED("MaasUnauthorized", Progress.STALLED),
    MAAS_FORBIDDEN("MaasForbidden", Progress.STALLED),
    MAAS_API_ERROR("MaasApiError", Progress.RECONCILING),
    // --- SecurityPosture (informational, never Ready's reason: a healthy but insecure deployment is not "in progress")
    ALL_CHECKS_PASS("AllChecksPass", Progress.DONE),
    CHECKS_FAILING("ChecksFailing", Progress.WAITING),
    // --- InsecureTransport
    PLAIN_HTTP_ALLOWED("PlainHttpAllowed", Progress.DONE),
    HTTPS("Https", Progress.DONE);

    /** What a not-Ready resource with this reason is doing, for kstatus's Reconciling and Stalled. */
    public enum Progress {
        /** A success reason (Ready=True). */
        DONE,
        /** The operator works on it or retries by itself: Reconciling=True. */
        RECONCILING,
        /** Only a person can unblock it: Stalled=True. */
        STALLED,
        /** Waits for a person by design: neither Reconciling nor Stalled. */
        WAITING
    }

    private static final Map<String, Reason> BY_VALUE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Reason::value, Function.identity()));

    private final String value;
    private final Progress progress;

    Reason(String value, Progress progress) {
        this.value = value;
        this.progress = progress;
    }

    /** The CamelCase text status shows. */
    public String value() {
        return value;
    }

    public Progress progress() {
        return progress;
    }

    public static Optional<Reason> of(String value) {
        return Optional.ofNullable(value == null ? null : BY_VALUE.get(value));
    }

    /** The kstatus class of a not-Ready resource whose Ready reason is {@code value}. */
    public static Progress progressOf(String value) {
        return of(value).map(Reason::progress).filter(p -> p != Progress.DONE).orElse(Progress.RECONCILING);
    }
}
