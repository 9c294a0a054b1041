package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** One MAAS region controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaasRegionSpec {

    @JsonPropertyDescription(
            "The cluster-scoped VaultIntegration of this deployment; it must list this namespace in spec.tenancy.allowedNamespaces.")
    @Required
    private LocalObjectRef vaultIntegrationRef;

    @JsonPropertyDescription("The controller's hostname as MAAS knows it.")
    @Required
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String hostname;

    @JsonPropertyDescription("snap or deb: default paths, CLI and restart command.")
    @Default("snap")
    private Installation installation = Installation.snap;

    @JsonPropertyDescription("How to run commands on the controller.")
    @Required
    @ValidationRule(
            value = "(has(self.ssh) ? 1 : 0) + (has(self.pod) ? 1 : 0) == 1",
            message = "exactly one of ssh or pod must be set")
    private RegionAccess access;

    @JsonPropertyDescription("Config file permissions.")
    private ConfigFilesSpec configFiles = new ConfigFilesSpec();

    @JsonPropertyDescription("The MAAS API (for notifications and RoleBindings).")
    private MaasApiSpec api;

    @JsonPropertyDescription("Certificate renewal reminders.")
    @ValidationRule(
            value = "has(self.certificateSecretRef) || has(self.endpoint)",
            message = "set certificateSecretRef, endpoint or both")
    private TlsSpec tls;

    public LocalObjectRef getVaultIntegrationRef() {
        return vaultIntegrationRef;
    }

    public void setVaultIntegrationRef(LocalObjectRef vaultIntegrationRef) {
        this.vaultIntegrationRef = vaultIntegrationRef;
    }

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public Installation getInstallation() {
        return installation;
    }

    public void setInstallation(Installation installation) {
        this.installation = installation;
    }

    public RegionAccess getAccess() {
        return access;
    }

    public void setAccess(RegionAccess access) {
        this.access = access;
    }

    public ConfigFilesSpec getConfigFiles() {
        return configFiles;
    }

    public void setConfigFiles(ConfigFilesSpec configFiles) {
        this.configFiles = configFiles;
    }

    public MaasApiSpec getApi() {
        return api;
    }

    public void setApi(MaasApiSpec api) {
        this.api = api;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }
}
