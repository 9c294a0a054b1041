package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** What the security posture (docs/posture.md) may ask MAAS, set by the cluster admin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureSettings {

    @JsonPropertyDescription(
            "The deployment's MAAS API for the posture: the Access check lists MAAS's administrators and the Certificate check reads MAAS's expiry-reminder setting through it. Its Secrets are in the operator's own namespace; no MaasRegion or RoleBinding can make the operator use this key. Unset: those checks fail with MaasApiNotConfigured.")
    private PostureMaasApi maasApi;

    @JsonPropertyDescription(
            "Post one MAAS notification for administrators listing the failing checks (a sealed or unreachable Vault included), updated in place and removed when all pass. Needs a key of a MAAS administrator in maasApi.")
    @Default("false")
    private Boolean notifyAdministrators = false;

    @JsonPropertyDescription("How often MAAS is asked again (users, settings, the notification). Default 10m.")
    @Pattern(Patterns.DURATION)
    @Default("10m")
    private String checkInterval = "10m";

    public PostureMaasApi getMaasApi() {
        return maasApi;
    }

    public void setMaasApi(PostureMaasApi maasApi) {
        this.maasApi = maasApi;
    }

    public Boolean getNotifyAdministrators() {
        return notifyAdministrators;
    }

    public void setNotifyAdministrators(Boolean notifyAdministrators) {
        this.notifyAdministrators = notifyAdministrators;
    }

    public String getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(String checkInterval) {
        this.checkInterval = checkInterval;
    }
}
