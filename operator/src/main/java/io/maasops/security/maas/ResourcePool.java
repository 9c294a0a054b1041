package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A MAAS resource pool. The default pool has id 0. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourcePool(int id, String name, String description) {}
