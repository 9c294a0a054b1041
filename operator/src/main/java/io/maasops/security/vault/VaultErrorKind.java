package io.maasops.security.vault;

/** What went wrong talking to Vault, in the terms the reconcilers act on. */
public enum VaultErrorKind {
    /** 503 "Vault is sealed": stop writing, report, back off until unsealed. */
    SEALED,
    /** Connection refused/reset, timeout, TLS failure: nothing answered. */
    UNREACHABLE,
    /** 403: the token lacks a capability, or is invalid/expired. */
    PERMISSION_DENIED,
    /** 404, or a miss Vault reports differently (e.g. unknown secret-id accessor). */
    NOT_FOUND,
    /** 4xx other than 403/404: Vault rejected the request (bad value, path in use, CAS mismatch, ...). */
    INVALID_REQUEST,
    /** 5xx other than sealed. */
    SERVER_ERROR
}
