package io.maasops.security.vault;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The AppRole role settings the operator manages (docs/reference/vault-api.md §6.1). Durations are whole seconds on the wire;
 * zero means "use Vault's default" for TTLs and "never/unlimited" for the secret-id fields.
 */
public record AppRoleSpec(
        List<String> policies,
        Duration tokenTtl,
        Duration tokenMaxTtl,
        Duration secretIdTtl,
        int secretIdNumUses,
        List<String> tokenBoundCidrs,
        List<String> secretIdBoundCidrs) {
    public AppRoleSpec {
        policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
        tokenTtl = tokenTtl == null ? Duration.ZERO : tokenTtl;
        tokenMaxTtl = tokenMaxTtl == null ? Duration.ZERO : tokenMaxTtl;
        secretIdTtl = secretIdTtl == null ? Duration.ZERO : secretIdTtl;
        tokenBoundCidrs = tokenBoundCidrs == null ? List.of() : List.copyOf(tokenBoundCidrs);
        secretIdBoundCidrs = secretIdBoundCidrs == null ? List.of() : List.copyOf(secretIdBoundCidrs);
        if (secretIdNumUses < 0) {
            throw new IllegalArgumentException("secretIdNumUses cannot be negative");
        }
    }

    /**
     * The spec as Vault stores it (policies lowercased, de-duplicated and sorted, docs/reference/vault-api.md §6.1), so a
     * reconciler can compare {@code desired.normalized()} with {@code readRole(..)} and skip needless writes.
     */
    public AppRoleSpec normalized() {
        List<String> p = policies.stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .distinct()
                .sorted()
                .toList();
        return new AppRoleSpec(
                p, tokenTtl, tokenMaxTtl, secretIdTtl, secretIdNumUses, tokenBoundCidrs, secretIdBoundCidrs);
    }
}
