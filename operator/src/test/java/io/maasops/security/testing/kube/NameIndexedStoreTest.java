package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mock API server's name index answers exactly as the mock's own scan: same object, 404 after delete, latest version. */
class NameIndexedStoreTest {

    static KubeApiDouble api;

    @BeforeAll
    static void start() {
        api = KubeApiDouble.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static ConfigMap cm(String ns, String name, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("v", value))
                .build();
    }

    @Test
    void namedReadsFindTheRightObjectAcrossNamespacesKindsAndVersions() {
        KubernetesClient k = api.client();
        for (String ns : new String[] {"a", "b"}) {
            for (int i = 0; i < 50; i++) {
                k.configMaps()
                        .inNamespace(ns)
                        .resource(cm(ns, "cm-" + i, ns + i))
                        .create();
            }
        }
        k.secrets()
                .inNamespace("a")
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("cm-7")
                        .withNamespace("a")
                        .endMetadata()
                        .withStringData(Map.of("s", "x"))
                        .build())
                .create();

        assertThat(k.configMaps().inNamespace("b").withName("cm-7").get().getData())
                .containsEntry("v", "b7");
        assertThat(k.configMaps().inNamespace("a").withName("cm-7").get().getData())
                .containsEntry("v", "a7");
        assertThat(k.secrets().inNamespace("a").withName("cm-7").get()).isNotNull();
        assertThat(k.configMaps().inNamespace("a").withName("cm-99").get()).isNull();

        k.configMaps().inNamespace("a").withName("cm-3").edit(c -> {
            c.setData(Map.of("v", "changed"));
            return c;
        });
        assertThat(k.configMaps().inNamespace("a").withName("cm-3").get().getData())
                .containsEntry("v", "changed");

        k.configMaps().inNamespace("a").withName("cm-4").delete();
        assertThat(k.configMaps().inNamespace("a").withName("cm-4").get()).isNull();
        assertThat(k.configMaps().inNamespace("a").list().getItems()).hasSize(49);
        assertThat(k.configMaps().inAnyNamespace().list().getItems()).hasSize(99);
    }
}
