package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One MAAS region controller whose Vault credentials, file permissions and certificate the operator manages. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("MaasRegion")
@Plural("maasregions")
@ShortNames("mr")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Hostname", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.hostname")
@AdditionalPrinterColumn(name = "MAAS", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.maas.version")
@AdditionalPrinterColumn(
        name = "Integration",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.vaultIntegrationRef.name")
@AdditionalPrinterColumn(
        name = "AppRole",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.appRole.roleName")
@AdditionalPrinterColumn(
        name = "Certificate",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.certificate.state")
@AdditionalPrinterColumn(
        name = "Reason",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_REASON_JSON_PATH,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class MaasRegion extends CustomResource<MaasRegionSpec, MaasRegionStatus> implements Namespaced {

    // overridden only to give the CRD (kubectl explain) a description of spec and status
    @Override
    @JsonPropertyDescription(
            "What the operator is to do for one MAAS region controller: reach it (SSH or pod exec), provision its Vault AppRole through the named VaultIntegration, keep its config-file permissions and watch its TLS certificate.")
    public MaasRegionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed and did, written only by the operator: conditions (Ready and the per-part ones), AppRole, config files, certificate.")
    public MaasRegionStatus getStatus() {
        return super.getStatus();
    }
}
