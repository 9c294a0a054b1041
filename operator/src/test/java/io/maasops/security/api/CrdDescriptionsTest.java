package io.maasops.security.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.testing.kube.KubeApiDouble;
import org.junit.jupiter.api.Test;

/**
 * `kubectl explain <kind>.spec` and `.status` have text. The kinds' root has none: fabric8's CRD
 * generator 7.5.2 takes no class-level description.
 */
class CrdDescriptionsTest {

  @Test
  void specAndStatusOfEveryKindAreDescribed() {
    var crds = KubeApiDouble.generatedCrds();
    assertThat(crds).hasSize(3);
    for (var crd : crds) {
      var props = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties();
      assertThat(props.get("spec").getDescription()).as(crd.getMetadata().getName() + " spec").isNotBlank();
      assertThat(props.get("status").getDescription()).as(crd.getMetadata().getName() + " status").isNotBlank();
    }
  }
}
