package io.maasops.security.tenancy;

/** Why the operator refuses to act for a resource: a condition reason and a message a person can act on. */
public record Refusal(String reason, String message) {

    public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";
    public static final String SSH_HOST_NOT_ALLOWED = "SshHostNotAllowed";
    public static final String MAAS_API_URL_NOT_ALLOWED = "MaasApiUrlNotAllowed";
    public static final String INSECURE_MAAS_API = "InsecureMaasApiNotAllowed";
    public static final String TLS_ENDPOINT_NOT_ALLOWED = "TlsEndpointNotAllowed";
    public static final String ADMINISTRATOR_NOT_ALLOWED = "AdministratorNotAllowed";
    public static final String INSECURE_VAULT = "InsecureVaultNotAllowed";
}
