package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.ArrayList;
import java.util.List;

/**
 * What namespaced MaasRegions and RoleBindings of this deployment may make the operator do: which
 * namespaces may use the deployment at all, and where their regions may point the operator's SSH
 * connections, MAAS API calls and certificate probes. Set by the cluster admin; a resource outside
 * it is refused with a condition, before any Vault call, command or connection.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenancySettings {

    @JsonPropertyDescription(
            "Namespaces whose MaasRegions and RoleBindings may use this deployment, by exact name; \"*\" allows every namespace.")
    @Required
    @Size(min = 1, max = 256)
    private List<@Pattern(Patterns.NAMESPACE_OR_STAR) @Size(max = 63) String> allowedNamespaces = new ArrayList<>();

    @JsonPropertyDescription(
            "Hosts a MaasRegion's spec.access.ssh.host may name: exact host names, \"*.domain\" suffixes, IP addresses or CIDR blocks (a CIDR only matches an IP address, never a name). Empty: any host.")
    @Size(max = 256)
    private List<@Pattern(Patterns.HOST_OR_CIDR_ENTRY) @Size(max = 253) String> allowedSshHosts = new ArrayList<>();

    @JsonPropertyDescription(
            "URL prefixes a MaasRegion's spec.api.url must start with, e.g. https://maas.example:5443/MAAS. Empty: any https URL.")
    @Size(max = 64)
    private List<@Pattern(Patterns.URL_PREFIX) @Size(max = 2048) String> allowedMaasApiUrls = new ArrayList<>();

    @JsonPropertyDescription(
            "host:port values a MaasRegion's spec.tls.endpoint may name; the host may be \"*.domain\". Empty: any endpoint.")
    @Size(max = 256)
    private List<@Pattern(Patterns.ENDPOINT_ENTRY) @Size(max = 260) String> allowedTlsEndpoints = new ArrayList<>();

    @JsonPropertyDescription(
            "Allow http:// MAAS API URLs. MAAS's OAuth PLAINTEXT signature is the API key itself, so over http it travels in clear; leave false outside a lab.")
    @Default("false")
    private Boolean allowInsecureMaasApi = false;

    @JsonPropertyDescription(
            "Allow RoleBindings with role Administrator (MAAS-wide administrator rights) in the allowed namespaces.")
    @Default("false")
    private Boolean allowAdministratorBindings = false;

    public List<String> getAllowedNamespaces() {
        return allowedNamespaces;
    }

    public void setAllowedNamespaces(List<String> allowedNamespaces) {
        this.allowedNamespaces = allowedNamespaces;
    }

    public List<String> getAllowedSshHosts() {
        return allowedSshHosts;
    }

    public void setAllowedSshHosts(List<String> allowedSshHosts) {
        this.allowedSshHosts = allowedSshHosts;
    }

    public List<String> getAllowedMaasApiUrls() {
        return allowedMaasApiUrls;
    }

    public void setAllowedMaasApiUrls(List<String> allowedMaasApiUrls) {
        this.allowedMaasApiUrls = allowedMaasApiUrls;
    }

    public List<String> getAllowedTlsEndpoints() {
        return allowedTlsEndpoints;
    }

    public void setAllowedTlsEndpoints(List<String> allowedTlsEndpoints) {
        this.allowedTlsEndpoints = allowedTlsEndpoints;
    }

    public Boolean getAllowInsecureMaasApi() {
        return allowInsecureMaasApi;
    }

    public void setAllowInsecureMaasApi(Boolean allowInsecureMaasApi) {
        this.allowInsecureMaasApi = allowInsecureMaasApi;
    }

    public Boolean getAllowAdministratorBindings() {
        return allowAdministratorBindings;
    }

    public void setAllowAdministratorBindings(Boolean allowAdministratorBindings) {
        this.allowAdministratorBindings = allowAdministratorBindings;
    }
}
