package io.maasops.security.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's serialization ({@link SharedStrings}) as its informers use it, against the API double: two cached
 * MaasRegions share the texts they have in common, a Secret's values are read as Jackson always reads them, and what
 * is read is what was stored.
 */
class SharedStringsTest {

    static KubeApiDouble api;
    static KubernetesClient operator;

    @BeforeAll
    static void start() {
        api = KubeApiDouble.start();
        api.createNamespace("tenant");
        operator = new KubernetesClientBuilder()
                .withConfig(api.operatorClient().getConfiguration())
                .withKubernetesSerialization(SharedStrings.serialization())
                .build();
    }

    @AfterAll
    static void stop() {
        operator.close();
        api.close();
    }

    static MaasRegion region(String name) {
        return Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: MaasRegion
        metadata: {name: %s, namespace: tenant}
        spec:
          vaultIntegrationRef: {name: maas}
          hostname: %s
          access:
            ssh:
              host: 10.0.0.5
              user: ubuntu
              privateKeySecretRef: {name: ssh, key: id_ed25519}
              knownHostsSecretRef: {name: ssh, key: known_hosts}
        """.formatted(name, name), MaasRegion.class);
    }

    @Test
    void twoRegionsInTheInformersCacheShareTheirCommonTextsAndReadBackAsStored() {
        KubernetesClient k = api.client();
        MaasRegion a = k.resource(region("region-a")).create();
        MaasRegion b = k.resource(region("region-b")).create();

        try (SharedIndexInformer<MaasRegion> informer =
                operator.resources(MaasRegion.class).inNamespace("tenant").inform()) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> informer.getStore().list().size() == 2);
            MaasRegion ca = informer.getStore().getByKey("tenant/region-a");
            MaasRegion cb = informer.getStore().getByKey("tenant/region-b");

            assertThat(ca.getSpec().getVaultIntegrationRef().getName())
                    .isSameAs(cb.getSpec().getVaultIntegrationRef().getName());
            assertThat(ca.getMetadata().getNamespace())
                    .isSameAs(cb.getMetadata().getNamespace());
            assertThat(ca.getSpec().getAccess().getSsh().getUser())
                    .isSameAs(cb.getSpec().getAccess().getSsh().getUser());
            assertThat(Serialization.asJson(ca)).isEqualTo(Serialization.asJson(a));
            assertThat(Serialization.asJson(cb)).isEqualTo(Serialization.asJson(b));
        }
    }

    @Test
    void aSecretsValuesAreNotShared() {
        for (String name : new String[] {"s1", "s2"}) {
            api.client()
                    .secrets()
                    .inNamespace("tenant")
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withData(Map.of("key", "c2FtZS12YWx1ZQ=="))
                            .build())
                    .create();
        }
        var s1 = operator.secrets().inNamespace("tenant").withName("s1").get();
        var s2 = operator.secrets().inNamespace("tenant").withName("s2").get();

        assertThat(s1.getData().get("key")).isEqualTo(s2.getData().get("key"));
        assertThat(s1.getData().get("key")).isNotSameAs(s2.getData().get("key"));
        // metadata is the operator's own kind of text: shared
        assertThat(s1.getMetadata().getNamespace()).isSameAs(s2.getMetadata().getNamespace());
    }
}
