package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A MAAS 3.8 user group ({@code /groups/}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserGroup(int id, String name, String description) {}
