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

    /**
     * An object that exists is never answered 404 while it is being updated: the mock replaces an object by removing
     * and re-adding it under its write lock, so a named read must take the read lock (it once did not, and a test
     * saw its MaasRegion vanish for a moment).
     */
    @Test
    void anObjectBeingUpdatedIsNeverMissingToAConcurrentRead() throws Exception {
        KubernetesClient k = api.client();
        k.configMaps().inNamespace("c").resource(cm("c", "busy", "0")).create();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger listMisses = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                if (k.configMaps().inNamespace("c").withName("busy").get() == null) {
                    misses.incrementAndGet();
                }
            }
        });
        // kubectl wait lists with a field selector on the name and says NotFound when the list is empty
        Thread lister = new Thread(() -> {
            while (!done.get()) {
                if (k.configMaps()
                        .inNamespace("c")
                        .withField("metadata.name", "busy")
                        .list()
                        .getItems()
                        .isEmpty()) {
                    listMisses.incrementAndGet();
                }
            }
        });
        reader.start();
        lister.start();
        try {
            for (int i = 1; i <= 300; i++) {
                String v = String.valueOf(i);
                k.configMaps().inNamespace("c").withName("busy").edit(c -> {
                    c.setData(Map.of("v", v));
                    return c;
                });
            }
        } finally {
            done.set(true);
            reader.join(10_000);
            lister.join(10_000);
            k.configMaps().inNamespace("c").withName("busy").delete(); // the other test counts every namespace
        }
        assertThat(misses.get())
                .as("reads answered 404 while the object existed")
                .isZero();
        assertThat(listMisses.get())
                .as("lists by name that missed the object while it existed")
                .isZero();
    }
}
