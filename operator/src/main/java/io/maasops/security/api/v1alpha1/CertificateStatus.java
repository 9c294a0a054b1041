package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** A certificate as last checked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateStatus {

    @JsonPropertyDescription("secret or endpoint.")
    private String source;

    @JsonPropertyDescription("Subject DN.")
    private String subject;

    @JsonPropertyDescription("RFC 3339.")
    private String notAfter;

    @JsonPropertyDescription("Whole days left, floored like MAAS.")
    private Long daysRemaining;

    @JsonPropertyDescription("Valid, Expiring or Expired.")
    private CertificateState state;

    @JsonPropertyDescription("Endpoint only: whether the served chain is trusted.")
    private Boolean trusted;

    @JsonPropertyDescription("RFC 3339 time of the last successful reading of this source.")
    private String lastChecked;

    @JsonPropertyDescription("Why the last check of this source failed, or why the endpoint is not trusted.")
    private String message;

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getNotAfter() {
        return notAfter;
    }

    public void setNotAfter(String notAfter) {
        this.notAfter = notAfter;
    }

    public Long getDaysRemaining() {
        return daysRemaining;
    }

    public void setDaysRemaining(Long daysRemaining) {
        this.daysRemaining = daysRemaining;
    }

    public CertificateState getState() {
        return state;
    }

    public void setState(CertificateState state) {
        this.state = state;
    }

    public Boolean getTrusted() {
        return trusted;
    }

    public void setTrusted(Boolean trusted) {
        this.trusted = trusted;
    }

    public String getLastChecked() {
        return lastChecked;
    }

    public void setLastChecked(String lastChecked) {
        this.lastChecked = lastChecked;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
