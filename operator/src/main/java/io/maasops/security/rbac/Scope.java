package io.maasops.security.rbac;

/** Where an entitlement tuple points: MAAS-wide ({@code maas:0}) or each bound pool ({@code pool:<id>}). */
public enum Scope {
    MAAS_WIDE,
    EACH_POOL
}
