package io.maasops.security.vault;

/** Outcome of an idempotent "ensure" operation. */
public enum EnsureResult {
    CREATED,
    ALREADY_PRESENT
}
