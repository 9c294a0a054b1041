package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Ids of the MAAS notifications the operator owns for a region's certificate. Kept because MAAS
 * hides a notification from a user who dismissed it, so a listing alone cannot find it again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaasNotificationIds {

    @JsonPropertyDescription("Id of the renewal reminder (updated in place, so a dismissal sticks).")
    private Integer reminder;

    @JsonPropertyDescription("Id of the expired notice.")
    private Integer expired;

    public MaasNotificationIds() {}

    public MaasNotificationIds(Integer reminder, Integer expired) {
        this.reminder = reminder;
        this.expired = expired;
    }

    public Integer getReminder() {
        return reminder;
    }

    public void setReminder(Integer reminder) {
        this.reminder = reminder;
    }

    public Integer getExpired() {
        return expired;
    }

    public void setExpired(Integer expired) {
        this.expired = expired;
    }
}
