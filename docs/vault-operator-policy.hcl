# Vault policy for maas-security-operator's own identity (the Kubernetes auth role or the token
# in spec.vault.auth.tokenSecretRef). Written for the defaults: AppRole at approle/, kv-v2 at
# secret/, MAAS secrets under maas/, policy and role names starting with "maas-". Change those
# three prefixes if your VaultIntegration uses other values. Tested by ProvisioningTest.

# Check the AppRole auth method exists (read), enable it when missing (sudo: enabling an auth
# method is a root-protected endpoint).
path "sys/auth" {
  capabilities = ["read"]
}
path "sys/auth/approle" {
  capabilities = ["create", "update", "sudo"]
}

# Check the secrets mount exists and is kv-v2 (read), mount it when missing.
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/secret" {
  capabilities = ["create", "update"]
}

# MAAS's minimal policy, one per VaultIntegration (default name maas-<namespace>-<name>).
path "sys/policies/acl/maas-*" {
  capabilities = ["create", "read", "update", "delete"]
}

# One AppRole per region (maas-<namespace>-<region>): the role, its role-id, response-wrapped
# secret-ids, and listing/destroying secret-ids by accessor. Never reads a region's secret-id; the
# migration pre-flight creates one plain secret-id for itself (60 s, 2 uses) and destroys it.
path "auth/approle/role/maas-*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

# Verify a migration: list the keys MAAS wrote (names only; the operator never reads values).
path "secret/metadata/maas/*" {
  capabilities = ["list"]
}

# Token self-lookup/renewal and sys/wrapping/lookup come from Vault's built-in "default" policy.
