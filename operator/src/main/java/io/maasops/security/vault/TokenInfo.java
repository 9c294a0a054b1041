package io.maasops.security.vault;

import java.time.Duration;
import java.util.List;

/** auth/token/lookup-self without the token itself (docs/reference/vault-api.md §9); {@code ttl} zero = never expires. */
public record TokenInfo(
        String accessor, List<String> policies, Duration ttl, boolean renewable, String displayName, String path) {}
