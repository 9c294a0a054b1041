package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A notification as {@code /notifications/} returns it. {@code message} is the unrendered
 * template; MAAS fills {@code {name}} placeholders from {@code context} (HTML-escaped) when showing it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaasNotification(
        int id,
        String ident,
        MaasUser user,
        boolean users,
        boolean admins,
        String message,
        Map<String, Object> context,
        String category,
        boolean dismissable,
        @JsonProperty("resource_uri") String resourceUri) {

    public MaasNotification {
        context = context == null ? Map.of() : Map.copyOf(context);
    }
}
