package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.region.RegionHostDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must hold after any fault once the operator has converged (issue 11): every region Ready,
 * exactly one AppRole per region, as many secret-id accessors in Vault as regions, and no secret
 * value in any captured output, event or status. Migration "ran exactly once" is left to the
 * migration work, which adds its own check here.
 */
final class Invariants {

  private Invariants() {}

  static boolean allReady(KubernetesClient k8s, String ns, MaasTestbed testbed) {
    for (RegionHostDouble h : testbed.hosts()) {
      if (!ready(k8s.resources(MaasRegion.class).inNamespace(ns).withName(h.hostname()).get())) {
        return false;
      }
    }
    return ready(k8s.resources(VaultIntegration.class).inNamespace(ns).withName("maas").get());
  }

  private static boolean ready(io.fabric8.kubernetes.client.CustomResource<?, ? extends io.maasops.security.api.v1alpha1.ResourceStatus> r) {
    return r != null && r.getStatus() != null && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY)
        && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
  }

  /** Roles and accessors: one role per region, nothing else under this namespace's prefix; one accessor each. */
  static void vaultMatchesRegions(String ns, MaasTestbed testbed) {
    String prefix = "maas-" + ns + "-";
    Set<String> expected = new TreeSet<>();
    testbed.hosts().forEach(h -> expected.add(prefix + h.hostname()));
    Set<String> roles = new TreeSet<>(testbed.vault().roleNames("approle"));
    roles.removeIf(r -> !r.startsWith(prefix));
    assertThat(roles).as("exactly one role per region").isEqualTo(expected);
    int accessors = 0;
    for (String role : roles) {
      int n = testbed.vault().secretIdAccessors("approle", role).size();
      assertThat(n).as("secret-id accessors of " + role).isEqualTo(1);
      accessors += n;
    }
    assertThat(accessors).as("secret-id accessors in Vault = regions").isEqualTo(testbed.hosts().size());
  }

  /** Every secret value the run produced, as SecretLeakTest collects them. */
  static List<String> secrets(MaasTestbed testbed) {
    List<String> secrets = new ArrayList<>(testbed.vault().everIssuedSecrets());
    for (RegionHostDouble h : testbed.hosts()) {
      Object id = h.regiondConf().get("vault_secret_id");
      if (id != null) {
        secrets.add(String.valueOf(id));
      }
    }
    secrets.add(testbed.api().apiKey());
    secrets.add(testbed.api().apiKey().split(":")[2]);
    secrets.add(testbed.clientPrivateKey().split("\n")[2].trim());
    return secrets;
  }

  static void noSecretLeaked(KubernetesClient k8s, String ns, MaasTestbed testbed, String capturedOutput) {
    StringBuilder everything = new StringBuilder(capturedOutput);
    for (Event e : k8s.v1().events().inNamespace(ns).list().getItems()) {
      everything.append('\n').append(e.getReason()).append(' ').append(e.getMessage());
    }
    for (var type : List.of(VaultIntegration.class, MaasRegion.class, RoleBinding.class)) {
      k8s.resources(type).inNamespace(ns).list().getItems()
          .forEach(r -> everything.append('\n').append(Serialization.asJson(r.getStatus())));
    }
    String all = everything.toString();
    for (String s : secrets(testbed)) {
      assertThat(s).isNotBlank();
      assertThat(all.contains(s)).as("a secret value leaked into output, an event or a status").isFalse();
    }
  }
}
