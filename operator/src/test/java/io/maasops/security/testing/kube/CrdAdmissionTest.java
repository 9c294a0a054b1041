package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API double's admission of custom resources, as kube-apiserver 1.32 does it: a create against
 * the CRD's schema is refused with 422; an object stored under an older, looser CRD is not
 * re-validated, and an update that leaves its invalid values alone passes (validation ratcheting,
 * KEP-4008), while one that changes them is refused.
 */
class CrdAdmissionTest {

    static KubeApiDouble api;

    static final String BAD = """
      apiVersion: security.maasops.io/v1alpha1
      kind: MaasRegion
      metadata: {name: old}
      spec:
        vaultIntegrationRef: {name: maas}
        hostname: old
        access:
          ssh:
            host: 127.0.0.1
            user: ubuntu
            privateKeySecretRef: {name: region-ssh, key: id_ed25519}
            knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
        configFiles: {mode: "0666"}
      """;

    @BeforeAll
    static void start() {
        api = KubeApiDouble.start();
        api.createNamespace("maas");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anInvalidCreateIsRefusedAndAnOlderObjectRatchets() {
        MaasRegion bad = Serialization.unmarshal(BAD, MaasRegion.class);
        assertThatThrownBy(() -> api.client()
                        .resources(MaasRegion.class)
                        .inNamespace("maas")
                        .resource(bad)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo(
                                    "MaasRegion.security.maasops.io \"old\" is invalid: spec.configFiles.mode: "
                                            + "Invalid value: \"0666\": spec.configFiles.mode in body should match '^0?[0-7][0-7]0$'");
                });

        try (var older = api.clientForObjectsOfAnOlderCrd()) {
            older.resources(MaasRegion.class).inNamespace("maas").resource(bad).create();
        }
        var stored =
                api.client().resources(MaasRegion.class).inNamespace("maas").withName("old");
        // a finalizer (what JOSDK adds first) leaves the invalid value as it was: allowed
        stored.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"security.maasops.io/cleanup\"]}}");
        assertThat(stored.get().getMetadata().getFinalizers()).containsExactly("security.maasops.io/cleanup");
        // changing the invalid value to another invalid one is refused
        assertThatThrownBy(() -> stored.patch(
                        PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"configFiles\":{\"mode\":\"0777\"}}}"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        // and fixing it is allowed
        stored.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"configFiles\":{\"mode\":\"0640\"}}}");
        assertThat(stored.get().getSpec().getConfigFiles().getMode()).isEqualTo("0640");
    }

    @Test
    void aJsonPatchThatDoesNotApplyIs422() {
        api.client()
                .configMaps()
                .inNamespace("maas")
                .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("patched")
                        .endMetadata()
                        .build())
                .create();
        var cm = api.client().configMaps().inNamespace("maas").withName("patched");
        // kube-apiserver's jsonPatcher: a patch that fails against the stored object is 422, which JOSDK's
        // finalizer removal re-reads and retries on (a 400 would end the cleanup in an error instead)
        assertThatThrownBy(() -> cm.patch(
                        PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                });
    }

    @Test
    void onlyAClusterAdminsRequestMayStandForAnOlderCrd() {
        var c = new io.fabric8.kubernetes.client.ConfigBuilder(
                        api.operatorClient().getConfiguration())
                .withCustomHeaders(java.util.Map.of(ApiServerDispatcher.OLDER_CRD_HEADER, "true"))
                .build();
        try (var operator = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(c)
                .build()) {
            MaasRegion bad = Serialization.unmarshal(BAD.replace("name: old", "name: by-operator"), MaasRegion.class);
            try (var older = api.clientForObjectsOfAnOlderCrd()) {
                older.resources(MaasRegion.class)
                        .inNamespace("maas")
                        .resource(bad)
                        .create();
            }
            assertThatThrownBy(() -> operator.resources(MaasRegion.class)
                            .inNamespace("maas")
                            .withName("by-operator")
                            .patch(
                                    PatchContext.of(PatchType.JSON_MERGE),
                                    "{\"spec\":{\"configFiles\":{\"mode\":\"0777\"}}}"))
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(422));
        }
    }
}
