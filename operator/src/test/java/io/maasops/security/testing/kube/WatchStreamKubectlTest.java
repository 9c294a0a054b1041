package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The double's streaming watch (what kubectl uses) as kube-apiserver sends it, checked with the real kubectl: an
 * update is one MODIFIED, never a DELETED and an ADDED (the mock stores an update as a removal and a put; a DELETED
 * made {@code kubectl wait} drop the object and say NotFound right after {@code kubectl apply}).
 */
class WatchStreamKubectlTest {

    static KubeApiDouble api;
    static Path kubectl;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kubectl = Kubectl.required("the double's watch is NOT tested with it");
        api = KubeApiDouble.start();
        api.createNamespace("maas");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void anUpdateIsOneModifiedAndADeletionOneDeleted() throws Exception {
        var cm = api.client().configMaps().inNamespace("maas");
        cm.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("watched")
                        .endMetadata()
                        .addToData("n", "0")
                        .build())
                .create();
        Path config = api.writeKubeconfig(Files.createTempFile(dir, "kubeconfig", ""));
        Path out = Files.createTempFile(dir, "out", "");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                kubectl.toString(),
                "--kubeconfig=" + config,
                "-n",
                "maas",
                "get",
                "configmap",
                "watched",
                "--watch",
                "--output-watch-events",
                "-o",
                "json"));
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("KUBECONFIG");
        Process watch =
                pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // kubectl prints the object it got, then watches from its resourceVersion (the double does not replay
            // history, so a patch before the watch is registered goes unseen: patch until one is seen)
            await().atMost(Duration.ofSeconds(30)).until(() -> count(out, "ADDED") == 1);
            int[] n = {0};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        patch(cm, ++n[0]);
                        return count(out, "MODIFIED") > 0;
                    });
            long seen = count(out, "MODIFIED");
            patch(cm, ++n[0]);
            patch(cm, ++n[0]);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(out, "MODIFIED") >= seen + 2);
            cm.withName("watched").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(out, "DELETED") == 1);
        } finally {
            watch.destroyForcibly();
            System.out.println("kubectl printed:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        // the object kubectl found comes as the one ADDED; each update is one MODIFIED; the deletion one DELETED
        assertThat(count(out, "ADDED")).isEqualTo(1);
        assertThat(count(out, "MODIFIED")).isGreaterThanOrEqualTo(3);
        assertThat(count(out, "DELETED")).isEqualTo(1);
    }

    private static void patch(
            io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                            io.fabric8.kubernetes.api.model.ConfigMap,
                            io.fabric8.kubernetes.api.model.ConfigMapList,
                            io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.ConfigMap>>
                    cm,
            int n) {
        cm.withName("watched").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"n\":\"" + n + "\"}}");
    }

    /** Watch events of this type kubectl printed ({"type": "...", "object": ...} with -o json). */
    private static long count(Path out, String type) throws java.io.IOException {
        return java.util.regex.Pattern.compile("\"type\":\\s*\"" + type + "\"")
                .matcher(Files.readString(out, StandardCharsets.UTF_8))
                .results()
                .count();
    }
}
