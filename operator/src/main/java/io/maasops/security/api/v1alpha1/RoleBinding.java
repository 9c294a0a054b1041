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

/** A MAAS role (Administrator, Operator, User, Auditor) for people over resource pools, applied as a MAAS group with entitlements. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("RoleBinding")
@Plural("rolebindings")
@ShortNames("mrb")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Role", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.role")
@AdditionalPrinterColumn(name = "Group", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.group.name")
@AdditionalPrinterColumn(
        name = "Reason",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ApiGroup.READY_REASON_JSON_PATH,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RoleBinding extends CustomResource<RoleBindingSpec, RoleBindingStatus> implements Namespaced {

    // overridden only to give the CRD (kubectl explain) a description of spec and status
    @Override
    @JsonPropertyDescription("A MAAS role granted to MAAS users or a MAAS group through the MAAS API of a MaasRegion.")
    public RoleBindingSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed and did, written only by the operator: conditions and the MAAS group it manages.")
    public RoleBindingStatus getStatus() {
        return super.getStatus();
    }
}
