package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A MAAS user as the 2.0 API shows it (UserHandler fields; MAAS exposes no numeric id here). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaasUser(
        String username,
        String email,
        @JsonProperty("is_local") boolean local,
        @JsonProperty("is_superuser") boolean superuser) {}
