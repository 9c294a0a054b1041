package io.maasops.security.api.v1alpha1;

/** The four roles of MAAS's security model. */
public enum MaasRole {
    Administrator,
    Operator,
    User,
    Auditor
}
