/** maas-security-operator: MAAS security hardening as Kubernetes custom resources. */
package io.maasops.security;
