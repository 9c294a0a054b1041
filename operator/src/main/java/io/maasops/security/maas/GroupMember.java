package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of {@code /groups/{id}/?op=list_members}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMember(String username, String email) {}
