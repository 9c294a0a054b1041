package io.maasops.security.vault;

import io.maasops.security.util.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code auth} block of a login or renewal (docs/reference/vault-api.md §6.4, §9). */
public record VaultLogin(
        Secret clientToken,
        String accessor,
        List<String> policies,
        Duration leaseDuration,
        boolean renewable,
        Map<String, String> metadata) {}
