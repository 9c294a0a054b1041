package io.maasops.security.vault;

import java.time.Duration;
import java.time.Instant;

/** sys/wrapping/lookup (docs/reference/vault-api.md §7); looking up does not consume the token. */
public record WrappingTokenInfo(String creationPath, Instant creationTime, Duration creationTtl) {
    public Instant expiresAt() {
        return creationTime.plus(creationTtl);
    }
}
