package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the posture last read from MAAS through spec.posture.maasApi, and the notification it owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureMaasStatus {

    @JsonPropertyDescription("When MAAS was last asked (RFC 3339).")
    private String checkedAt;

    @JsonPropertyDescription("Why MAAS could not be read (CamelCase); absent when it was.")
    private String reason;

    @JsonPropertyDescription("What failed, when reason is set.")
    private String message;

    @JsonPropertyDescription("The MAAS user of spec.posture.maasApi's key (users/?op=whoami).")
    private String apiUser;

    @JsonPropertyDescription("MAAS users with is_superuser, without MAAS's internal users (MAAS, maas-init-node).")
    private List<String> administrators;

    @JsonPropertyDescription("MAAS's tls_cert_expiration_notification_enabled.")
    private Boolean certificateReminders;

    @JsonPropertyDescription("MAAS's tls_cert_expiration_notification_interval (days).")
    private Integer certificateReminderDays;

    @JsonPropertyDescription(
            "Id of the operator's MAAS notification for administrators (kept: MAAS hides a dismissed notification from a listing).")
    private Integer notificationId;

    @JsonPropertyDescription("The failing checks that notification lists.")
    private String notified;

    public String getCheckedAt() {
        return checkedAt;
    }

    public void setCheckedAt(String checkedAt) {
        this.checkedAt = checkedAt;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getApiUser() {
        return apiUser;
    }

    public void setApiUser(String apiUser) {
        this.apiUser = apiUser;
    }

    public List<String> getAdministrators() {
        return administrators;
    }

    public void setAdministrators(List<String> administrators) {
        this.administrators = administrators;
    }

    public Boolean getCertificateReminders() {
        return certificateReminders;
    }

    public void setCertificateReminders(Boolean certificateReminders) {
        this.certificateReminders = certificateReminders;
    }

    public Integer getCertificateReminderDays() {
        return certificateReminderDays;
    }

    public void setCertificateReminderDays(Integer certificateReminderDays) {
        this.certificateReminderDays = certificateReminderDays;
    }

    public Integer getNotificationId() {
        return notificationId;
    }

    public void setNotificationId(Integer notificationId) {
        this.notificationId = notificationId;
    }

    public String getNotified() {
        return notified;
    }

    public void setNotified(String notified) {
        this.notified = notified;
    }
}
