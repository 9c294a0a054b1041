package io.maasops.security.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.testing.kube.KubeApiDouble;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRDs (crds/ and the chart's copy) are exactly what the build generates from the API classes. */
class CrdSyncTest {

    static final String REFRESH = "mvn -B -q -pl operator process-classes -Drefresh-crds";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../crds", "../helm/maas-security-operator/crds"})
    void committedCrdsMatchTheGeneratedOnes(String dir) throws IOException {
        for (String file : KubeApiDouble.CRD_FILES) {
            Path committed = Path.of(dir, file);
            assertThat(committed)
                    .as(committed + " is missing; refresh with: " + REFRESH)
                    .exists();
            String generated;
            try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
                generated = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertThat(Files.readString(committed))
                    .as(committed + " differs from the generated CRD; refresh with: " + REFRESH)
                    .isEqualTo(generated);
        }
        try (var files = Files.list(Path.of(dir))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("only the three generated CRDs belong in " + dir)
                    .isEqualTo(KubeApiDouble.CRD_FILES.stream().sorted().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../crds"})
    void committedCrdsAreWellFormedApiextensionsV1(String dir) throws IOException {
        for (String file : KubeApiDouble.CRD_FILES) {
            CustomResourceDefinition crd =
                    Serialization.unmarshal(Files.readString(Path.of(dir, file)), CustomResourceDefinition.class);
            assertThat(crd.getApiVersion()).isEqualTo("apiextensions.k8s.io/v1");
            assertThat(crd.getSpec().getGroup()).isEqualTo("security.maasops.io");
            // the admin's VaultIntegration is cluster-scoped; what namespace authors declare is namespaced
            assertThat(crd.getSpec().getScope())
                    .as(file)
                    .isEqualTo(file.startsWith("vaultintegrations.") ? "Cluster" : "Namespaced");
            assertThat(crd.getSpec().getNames().getCategories()).isEqualTo(List.of("maas"));
            assertThat(crd.getSpec().getNames().getShortNames()).hasSize(1);
            var version = crd.getSpec().getVersions().get(0);
            assertThat(version.getName()).isEqualTo("v1alpha1");
            assertThat(version.getServed()).isTrue();
            assertThat(version.getStorage()).isTrue();
            assertThat(version.getSubresources().getStatus()).isNotNull();
            assertThat(version.getAdditionalPrinterColumns()).extracting("name").contains("Ready", "Age");
            assertThat(crd.getMetadata().getName())
                    .isEqualTo(crd.getSpec().getNames().getPlural() + ".security.maasops.io");
        }
    }
}
