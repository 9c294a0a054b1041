package io.maasops.security.vault;

import io.maasops.security.util.Secret;
import java.time.Duration;

/**
 * A response-wrapped AppRole secret-id (docs/reference/vault-api.md §6.3): only the wrapping token is secret; the accessors
 * are safe to record (the secret-id accessor is {@code wrap_info.wrapped_accessor}).
 */
public record WrappedSecretId(
        Secret wrappingToken, String wrappingAccessor, Duration ttl, String creationPath, String secretIdAccessor) {}
