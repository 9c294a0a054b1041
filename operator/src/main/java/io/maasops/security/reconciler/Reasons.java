package io.maasops.security.reconciler;

/** Condition reasons shared by the reconcilers (CamelCase, as Kubernetes conventions ask). */
public final class Reasons {

  private Reasons() {}

  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String VAULT_INTEGRATION_NOT_FOUND = "VaultIntegrationNotFound";
  public static final String VAULT_INTEGRATION_NOT_READY = "VaultIntegrationNotReady";
  public static final String MAAS_REGION_NOT_FOUND = "MaasRegionNotFound";
  public static final String MAAS_API_NOT_CONFIGURED = "MaasApiNotConfigured";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String NOT_IMPLEMENTED = "NotImplemented";

  // RoleBinding
  public static final String RESOLVED = "Resolved";
  public static final String POOLS_NOT_FOUND = "PoolsNotFound";
  public static final String USERS_NOT_FOUND = "UsersNotFound";
  public static final String NOT_CHECKED = "NotChecked";
  public static final String IN_SYNC = "InSync";
  public static final String WAITING_FOR_REFERENCES = "WaitingForReferences";
  public static final String GROUPS_API_UNSUPPORTED = "GroupsApiUnsupported";
  public static final String GROUP_CONFLICT = "GroupConflict";
  public static final String GROUP_NOT_MANAGED = "GroupNotManaged";
  public static final String MAAS_UNREACHABLE = "MaasUnreachable";
  public static final String MAAS_UNAUTHORIZED = "MaasUnauthorized";
  public static final String MAAS_FORBIDDEN = "MaasForbidden";
  public static final String MAAS_API_ERROR = "MaasApiError";
}
