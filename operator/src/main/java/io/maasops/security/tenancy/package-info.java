/**
 * The trust boundary between the cluster admin and namespace authors: what a namespaced MaasRegion
 * or RoleBinding may make the operator do, as the admin's cluster-scoped VaultIntegration allows it
 * (docs/security-model.md). Pure functions; the reconcilers refuse a resource before any Vault call,
 * command or connection when one of them says no.
 */
package io.maasops.security.tenancy;
