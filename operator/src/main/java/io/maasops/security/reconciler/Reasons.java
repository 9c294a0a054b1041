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
}
