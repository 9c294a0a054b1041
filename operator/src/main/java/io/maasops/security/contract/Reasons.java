package io.maasops.security.contract;

import io.maasops.security.maas.MaasApiException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.status.Reason;
import io.maasops.security.vault.VaultException;

/**
 * One mapping from each boundary exception family to the condition reason a user sees: an SSH
 * timeout reads the same whichever concern ran the command.
 */
public final class Reasons {

    private Reasons() {}

    /** Any Vault call. */
    public static Reason of(VaultException e) {
        return switch (e.kind()) {
            case SEALED -> Reason.VAULT_SEALED;
            case UNREACHABLE -> Reason.VAULT_UNREACHABLE;
            case PERMISSION_DENIED -> Reason.PERMISSION_DENIED;
            case INVALID_REQUEST -> Reason.INVALID_REQUEST;
            case NOT_FOUND -> Reason.NOT_FOUND;
            case SERVER_ERROR -> Reason.VAULT_ERROR;
        };
    }

    /** A sentence a user can act on, appended to a Vault failure's message ("" when there is none). */
    public static String hint(VaultException e) {
        String login = VaultException.KUBERNETES_LOGIN.equals(e.operation()) ? loginHint(e) : null;
        if (login != null) {
            return login;
        }
        return switch (e.kind()) {
            case SEALED -> " Unseal Vault with `vault operator unseal`; the operator resumes by itself.";
            // Vault says "invalid token" for a token it does not know; OpenBao and Vault before ~1.17 say only
            // "permission denied" then, the same as for a missing capability (docs/reference/vault-api.md)
            case PERMISSION_DENIED ->
                e.getMessage() != null && e.getMessage().contains("invalid token")
                        ? " Vault does not know the operator's token (expired, revoked or mistyped): put a valid one in"
                                + " the VaultIntegration's token Secret, or use Kubernetes auth."
                        : " The operator's own Vault policy lacks this capability, or Vault no longer knows its token"
                                + " (see README: Vault policy for the operator).";
            default -> "";
        };
    }

    /**
     * A refused Kubernetes auth login: the role's bindings or the token review, never the operator's policy; null
     * when the login failed as any other call would (sealed, unreachable).
     */
    private static String loginHint(VaultException e) {
        return switch (e.kind()) {
            case PERMISSION_DENIED ->
                " Vault refused the operator's Kubernetes login: the Vault role (spec.vault.auth.kubernetes.role) must"
                        + " bind the operator's ServiceAccount and namespace (bound_service_account_names,"
                        + " bound_service_account_namespaces), and Vault must be allowed to review its token"
                        + " (a reviewer bound to system:auth-delegator).";
            case INVALID_REQUEST ->
                " Check spec.vault.auth.kubernetes.role and mountPath against Vault's Kubernetes auth method.";
            default -> null;
        };
    }

    /** Any command on a region controller that could not be run or did not report back. */
    public static Reason of(RegionAccessException e) {
        return of(e.kind());
    }

    public static Reason of(RegionAccessException.Kind kind) {
        return switch (kind) {
            case UNREACHABLE -> Reason.REGION_UNREACHABLE;
            case HOST_KEY_REJECTED -> Reason.HOST_KEY_REJECTED;
            case AUTH_FAILED -> Reason.SSH_AUTHENTICATION_FAILED;
            case TIMEOUT -> Reason.COMMAND_TIMED_OUT;
            case SUDO_REFUSED -> Reason.SUDO_REFUSED;
            case INVALID_CREDENTIALS -> Reason.INVALID_CREDENTIALS;
            case TRANSPORT_ERROR -> Reason.REGION_ACCESS_FAILED;
        };
    }

    /** Any MAAS API call. */
    public static Reason of(MaasApiException e) {
        return switch (e.kind()) {
            case UNREACHABLE, TLS -> Reason.MAAS_UNREACHABLE;
            case UNAUTHORIZED -> Reason.MAAS_UNAUTHORIZED;
            case FORBIDDEN -> Reason.MAAS_FORBIDDEN;
            case GROUPS_API_UNSUPPORTED -> Reason.GROUPS_API_UNSUPPORTED;
            default -> Reason.MAAS_API_ERROR;
        };
    }
}
