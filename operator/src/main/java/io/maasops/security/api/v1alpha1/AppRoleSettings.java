package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-region AppRole settings. The AppRole auth method is always the one at {@code approle/}: MAAS
 * logs in at auth/approle/login and has no setting for another mount.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppRoleSettings {

    @JsonPropertyDescription("token_ttl of each region's role (MAAS docs: 5m).")
    @Pattern(Patterns.DURATION)
    @Default("5m")
    private String tokenTTL = "5m";

    @JsonPropertyDescription("token_max_ttl of each region's role.")
    @Pattern(Patterns.DURATION)
    @Default("30m")
    private String tokenMaxTTL = "30m";

    @JsonPropertyDescription("TTL of each response-wrapped secret-id handed to a region: 1s to 15m.")
    @Pattern(Patterns.DURATION)
    @Size(max = 32)
    @ValidationRule(
            value = "duration(self) >= duration('1s') && duration(self) <= duration('15m')",
            message = "wrapTTL must be between 1s and 15m")
    @Default("5m")
    private String wrapTTL = "5m";

    @JsonPropertyDescription("token_bound_cidrs of each region's role.")
    @Size(max = 32)
    private List<String> tokenBoundCIDRs = new ArrayList<>();

    @JsonPropertyDescription("secret_id_bound_cidrs of each region's role.")
    @Size(max = 32)
    private List<String> secretIdBoundCIDRs = new ArrayList<>();

    public String getTokenTTL() {
        return tokenTTL;
    }

    public void setTokenTTL(String tokenTTL) {
        this.tokenTTL = tokenTTL;
    }

    public String getTokenMaxTTL() {
        return tokenMaxTTL;
    }

    public void setTokenMaxTTL(String tokenMaxTTL) {
        this.tokenMaxTTL = tokenMaxTTL;
    }

    public String getWrapTTL() {
        return wrapTTL;
    }

    public void setWrapTTL(String wrapTTL) {
        this.wrapTTL = wrapTTL;
    }

    public List<String> getTokenBoundCIDRs() {
        return tokenBoundCIDRs;
    }

    public void setTokenBoundCIDRs(List<String> tokenBoundCIDRs) {
        this.tokenBoundCIDRs = tokenBoundCIDRs;
    }

    public List<String> getSecretIdBoundCIDRs() {
        return secretIdBoundCIDRs;
    }

    public void setSecretIdBoundCIDRs(List<String> secretIdBoundCIDRs) {
        this.secretIdBoundCIDRs = secretIdBoundCIDRs;
    }
}
