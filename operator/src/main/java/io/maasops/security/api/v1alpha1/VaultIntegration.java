package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One MAAS deployment and the Vault that keeps its secrets. Cluster-scoped and owned by the cluster
 * admin: it decides which Vault the operator talks to, with which identity, where MAAS's secrets
 * live, and which namespaces may declare regions and role bindings of this deployment.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("VaultIntegration")
@Plural("vaultintegrations")
@ShortNames("vi")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_JSON_PATH)
@AdditionalPrinterColumn(
        name = "Namespaces",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.tenancy.allowedNamespaces",
        priority = 1)
@AdditionalPrinterColumn(name = "Address", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.vault.address")
@AdditionalPrinterColumn(
        name = "Sealed",
        type = AdditionalPrinterColumn.Type.BOOLEAN,
        jsonPath = ".status.vault.sealed")
@AdditionalPrinterColumn(
        name = "Configured",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.regions.configured")
@AdditionalPrinterColumn(
        name = "Migration",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.migration.phase")
@AdditionalPrinterColumn(
        name = "Posture",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.postureSummary")
@AdditionalPrinterColumn(
        name = "Reason",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_REASON_JSON_PATH,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class VaultIntegration extends CustomResource<VaultIntegrationSpec, VaultIntegrationStatus> {

    // overridden only to give the CRD (kubectl explain) a description of spec and status
    @Override
    @JsonPropertyDescription(
            "The cluster admin's connection to Vault and its tenancy: which namespaces, SSH hosts, MAAS API URLs and TLS endpoints MaasRegions and RoleBindings may use with it.")
    public VaultIntegrationSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed, written only by the operator: Vault's reachability and seal state, the regions' policy check, regions configured, secret migration.")
    public VaultIntegrationStatus getStatus() {
        return super.getStatus();
    }
}
