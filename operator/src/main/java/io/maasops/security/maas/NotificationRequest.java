package io.maasops.security.maas;

import java.util.Map;

/**
 * Fields for creating or updating a notification (MAAS's NotificationForm). Null fields are not
 * sent. {@code user} is a user id (MAAS ≥ 3.8 HEAD also accepts a username).
 */
public record NotificationRequest(
        String message,
        Map<String, Object> context,
        String category,
        String ident,
        String user,
        Boolean users,
        Boolean admins,
        Boolean dismissable) {

    public static final String CATEGORY_ERROR = "error";
    public static final String CATEGORY_WARNING = "warning";
    public static final String CATEGORY_SUCCESS = "success";
    public static final String CATEGORY_INFO = "info";

    /** A dismissable notification for all administrators. */
    public static NotificationRequest forAdmins(
            String ident, String category, String message, Map<String, Object> context) {
        return new NotificationRequest(message, context, category, ident, null, false, true, true);
    }
}
