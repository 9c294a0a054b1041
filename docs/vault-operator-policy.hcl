# Vault policy for maas-security-operator's own identity (its Kubernetes auth role, or the token in
# a VaultIntegration's spec.vault.auth.tokenSecretRef). Least privilege: the operator can create and
# manage AppRoles named maas_* whose policy can only be the regions' policy the Vault admin wrote,
# mint and destroy their secret-ids, and list the key names MAAS migrated. It cannot write any
# policy, grant any other policy, touch roles outside maas_*, or read a secret value itself.
# docs/security-model.md lists exactly what it can still do (it can act as any region it
# provisions: that is inherent to minting secret-ids).
#
# Written for one MAAS deployment with the defaults: regions' policy "maas-region"
# (spec.policyName), kv-v2 mount "secret" and MAAS secrets path "maas" (spec.secrets). For other
# names, change the three places marked CHANGE. For several deployments on one Vault, list each
# deployment's regions' policy in token_policies (exact names only, never a glob: a glob can be
# bypassed with a comma-separated value) and repeat the two secrets blocks per mount/path.
# MAAS always logs in at auth/approle/ (it has no setting for another mount), so the roles live
# there: reserve the prefix maas_ for the operator.
#
# Used by every end-to-end and reliability test (MaasTestbed), and OperatorVaultPolicyTest tries
# the escalations this policy must refuse.

# Check the AppRole auth method exists, and enable it when missing (enabling an auth method is
# root-protected, hence sudo). Only as type approle; no config, no tune, no disable.
path "sys/auth" {
  capabilities = ["read"]
}
path "sys/auth/approle" {
  capabilities = ["create", "update", "sudo"]
  allowed_parameters = {
    "type"        = ["approle"]
    "description" = []
  }
}

# Check the secrets mount exists and is kv-v2, and mount it when missing: a plain kv-v2 mount only.
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/secret" {                      # CHANGE: spec.secrets.mount
  capabilities = ["create", "update"]
  allowed_parameters = {
    "type"        = ["kv"]
    "options"     = [{ version = "2" }]
    "description" = []
  }
}

# The regions' policy is the Vault admin's: the operator reads it only to check it is MAAS's
# minimal policy (status.policy.expected holds that text).
path "sys/policies/acl/maas-region" {          # CHANGE: spec.policyName
  capabilities = ["read"]
}

# One AppRole per region controller, maas_<namespace>_<name>: the role (its token policies can only
# be the regions' policy), its role-id, response-wrapped secret-ids (and the migration pre-flight's
# short-lived one: ttl and num_uses only narrow it), and listing/destroying secret-ids by accessor.
# Every other parameter is refused: no other policy, no custom role-id or secret-id, no secret-id
# metadata, no periodic, batch or default-policy-less tokens.
path "auth/approle/role/maas_*" {
  capabilities = ["create", "read", "update", "delete", "list"]
  allowed_parameters = {
    "token_policies"        = ["maas-region"]  # CHANGE: spec.policyName (exact names only)
    "token_ttl"             = []
    "token_max_ttl"         = []
    "secret_id_ttl"         = []
    "secret_id_num_uses"    = []
    "secret_id_bound_cidrs" = []
    "token_bound_cidrs"     = []
    "secret_id_accessor"    = []
    "ttl"                   = []
    "num_uses"              = []
  }
  # Redundant while the list above has no "*"; kept so that another policy adding "*" = [] on this
  # same pattern (policies merge per identical pattern) cannot open these keys.
  denied_parameters = {
    "policies"                = []
    "token_no_default_policy" = []
    "token_type"              = []
    "token_period"            = []
    "period"                  = []
    "token_explicit_max_ttl"  = []
    "token_num_uses"          = []
    "bind_secret_id"          = []
    "bound_cidr_list"         = []
    "local_secret_ids"        = []
    "role_id"                 = []
    "secret_id"               = []
    "metadata"                = []
    "cidr_list"               = []
  }
}

# Verify a migration: list the key names MAAS wrote (names only; no value is ever read).
path "secret/metadata/maas/*" {                # CHANGE: spec.secrets.mount and spec.secrets.path
  capabilities = ["list"]
}

# Token self-lookup and renewal and sys/wrapping/lookup come from Vault's built-in "default" policy.
