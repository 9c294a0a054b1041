package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Certificate renewal reminders: at least one of certificateSecretRef or endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {

    @JsonPropertyDescription("A kubernetes.io/tls Secret (for example cert-manager's).")
    private TlsSecretRef certificateSecretRef;

    @JsonPropertyDescription("host:port of the certificate actually served.")
    @Pattern(Patterns.HOST_PORT)
    @Size(max = 260)
    private String endpoint;

    @JsonPropertyDescription("Remind this many days before expiry (1..90, like MAAS).")
    @Min(1)
    @Max(90)
    @Default("30")
    private Integer reminderDays = 30;

    @JsonPropertyDescription("How often to check (MAAS: 12h).")
    @Pattern(Patterns.DURATION)
    @Default("12h")
    private String checkInterval = "12h";

    @JsonPropertyDescription("Also post a dismissable MAAS notification to admins (needs spec.api).")
    @Default("true")
    private Boolean notifyMaas = true;

    public TlsSecretRef getCertificateSecretRef() {
        return certificateSecretRef;
    }

    public void setCertificateSecretRef(TlsSecretRef certificateSecretRef) {
        this.certificateSecretRef = certificateSecretRef;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public Integer getReminderDays() {
        return reminderDays;
    }

    public void setReminderDays(Integer reminderDays) {
        this.reminderDays = reminderDays;
    }

    public String getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(String checkInterval) {
        this.checkInterval = checkInterval;
    }

    public Boolean getNotifyMaas() {
        return notifyMaas;
    }

    public void setNotifyMaas(Boolean notifyMaas) {
        this.notifyMaas = notifyMaas;
    }
}
