/**
 * A faithful, stateful Vault double for tests and the sandbox ({@link io.maasops.security.testing.vault.VaultDouble}).
 * Map: {@code DoubleRouter} (sealed gate, auth, ACL, dispatch), {@code SysEndpoints} (health, seal, sys/auth,
 * sys/mounts, policies, wrapping), {@code AppRoleEndpoints}, {@code TokenEndpoints} (token self-ops, Kubernetes
 * login), {@code KvEndpoints} (KV v2/v1), {@code HclPolicy} + {@code Acl} (policy language, with
 * {@code ParameterValues} and {@code RequestData} for parameter constraints; docs/reference/vault-acl-parameters.md),
 * {@code DoubleState}
 * (storage), {@code VaultFaults}, {@code DoubleClock}, {@code DoubleTls}. {@code RawVaultClient} is a curl-like
 * client for contract tests.
 */
package io.maasops.security.testing.vault;
