package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.List;

/** Observed state of a MaasRegion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaasRegionStatus extends ResourceStatus {

    @JsonPropertyDescription("The MAAS version and installation found on the controller.")
    private DetectedMaas maas;

    @JsonPropertyDescription("The region's AppRole.")
    private AppRoleStatus appRole;

    @JsonPropertyDescription("Config files as last seen.")
    private List<ConfigFileStatus> configFiles;

    @JsonPropertyDescription("RFC 3339 time of the last config-file check.")
    private String configFilesCheckedAt;

    @JsonPropertyDescription("The most urgent certificate state over all sources.")
    private CertificateStatus certificate;

    @JsonPropertyDescription("One entry per source when both are set.")
    private List<CertificateStatus> certificates;

    @JsonPropertyDescription("RFC 3339 time of the last certificate check.")
    private String certificateCheckedAt;

    @JsonPropertyDescription(
            "SHA-256 (hex) of the certificate Secret's PEM at the last check, to notice a renewal; never the PEM itself.")
    private String certificateSecretSha256;

    @JsonPropertyDescription("The MAAS notifications the operator keeps for this region's certificate.")
    private MaasNotificationIds maasNotificationIds;

    public DetectedMaas getMaas() {
        return maas;
    }

    public void setMaas(DetectedMaas maas) {
        this.maas = maas;
    }

    public AppRoleStatus getAppRole() {
        return appRole;
    }

    public void setAppRole(AppRoleStatus appRole) {
        this.appRole = appRole;
    }

    public List<ConfigFileStatus> getConfigFiles() {
        return configFiles;
    }

    public void setConfigFiles(List<ConfigFileStatus> configFiles) {
        this.configFiles = configFiles;
    }

    public String getConfigFilesCheckedAt() {
        return configFilesCheckedAt;
    }

    public void setConfigFilesCheckedAt(String configFilesCheckedAt) {
        this.configFilesCheckedAt = configFilesCheckedAt;
    }

    public CertificateStatus getCertificate() {
        return certificate;
    }

    public void setCertificate(CertificateStatus certificate) {
        this.certificate = certificate;
    }

    public List<CertificateStatus> getCertificates() {
        return certificates;
    }

    public void setCertificates(List<CertificateStatus> certificates) {
        this.certificates = certificates;
    }

    public String getCertificateCheckedAt() {
        return certificateCheckedAt;
    }

    public void setCertificateCheckedAt(String certificateCheckedAt) {
        this.certificateCheckedAt = certificateCheckedAt;
    }

    public String getCertificateSecretSha256() {
        return certificateSecretSha256;
    }

    public void setCertificateSecretSha256(String certificateSecretSha256) {
        this.certificateSecretSha256 = certificateSecretSha256;
    }

    public MaasNotificationIds getMaasNotificationIds() {
        return maasNotificationIds;
    }

    public void setMaasNotificationIds(MaasNotificationIds maasNotificationIds) {
        this.maasNotificationIds = maasNotificationIds;
    }
}
