package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** What the operator last saw of Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultInfo {

    @JsonPropertyDescription("Vault version.")
    private String version;

    @JsonPropertyDescription("Seal state.")
    private Boolean sealed;

    @JsonPropertyDescription("RFC 3339 time of the last health check.")
    private String lastChecked;

    @JsonPropertyDescription(
            "The security.maasops.io/reconcile-requested-at value the last check answered (a new value asks for a check now).")
    private String checkRequest;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public Boolean getSealed() {
        return sealed;
    }

    public void setSealed(Boolean sealed) {
        this.sealed = sealed;
    }

    public String getCheckRequest() {
        return checkRequest;
    }

    public void setCheckRequest(String checkRequest) {
        this.checkRequest = checkRequest;
    }

    public String getLastChecked() {
        return lastChecked;
    }

    public void setLastChecked(String lastChecked) {
        this.lastChecked = lastChecked;
    }
}
