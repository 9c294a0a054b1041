package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The MAAS the operator found on the controller: it decides file owners, restarts and migration checks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectedMaas {

    @JsonPropertyDescription("MAAS's version as its package manager reports it, e.g. 3.5.9 or 3.8.0~beta6.")
    private String version;

    @JsonPropertyDescription("The series, e.g. 3.5.")
    private String series;

    @JsonPropertyDescription("snap or deb, as found on the controller.")
    private String installation;

    @JsonPropertyDescription("Whether the operator supports this version (3.3 to 3.8).")
    private Boolean supported;

    @JsonPropertyDescription("RFC 3339 time the version was last read from the controller.")
    private String checkedAt;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getSeries() {
        return series;
    }

    public void setSeries(String series) {
        this.series = series;
    }

    public String getInstallation() {
        return installation;
    }

    public void setInstallation(String installation) {
        this.installation = installation;
    }

    public Boolean getSupported() {
        return supported;
    }

    public void setSupported(Boolean supported) {
        this.supported = supported;
    }

    public String getCheckedAt() {
        return checkedAt;
    }

    public void setCheckedAt(String checkedAt) {
        this.checkedAt = checkedAt;
    }
}
