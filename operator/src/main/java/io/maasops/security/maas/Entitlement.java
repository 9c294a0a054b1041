package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenFGA entitlement of a group (MAAS 3.8): {@code resourceType} is {@code maas} (id 0) or
 * {@code pool} (a pool id).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Entitlement(
        @JsonProperty("resource_type") String resourceType,
        @JsonProperty("resource_id") long resourceId,
        String entitlement) {

    public static final String RESOURCE_MAAS = "maas";
    public static final String RESOURCE_POOL = "pool";
}
