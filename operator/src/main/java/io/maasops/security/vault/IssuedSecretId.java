package io.maasops.security.vault;

import io.maasops.security.util.Secret;

/**
 * A plain (unwrapped) AppRole secret-id, for the operator's own short-lived use (the migration pre-flight).
 * Only the accessor is safe to record.
 */
public record IssuedSecretId(Secret secretId, String accessor) {}
