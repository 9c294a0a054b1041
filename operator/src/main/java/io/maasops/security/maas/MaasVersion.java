package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** {@code GET /version/}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaasVersion(String version, String subversion, List<String> capabilities) {}
