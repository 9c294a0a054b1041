/**
 * The MAAS roles (Administrator, Operator, User, Auditor) as data: which OpenFGA entitlements of
 * MAAS 3.8's model each role gives, over which resources, and why ({@link
 * io.maasops.security.rbac.RoleEntitlements}); plus the pure plan and diff that turn a desired
 * group into the smallest set of MAAS API calls ({@link io.maasops.security.rbac.GroupDiff}).
 * Nothing here talks to MAAS.
 */
package io.maasops.security.rbac;
