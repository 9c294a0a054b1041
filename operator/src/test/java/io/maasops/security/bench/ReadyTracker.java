package io.maasops.security.bench;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import java.util.List;

/**
 * Counts Ready resources from informer caches (one watch each), so waiting for 1000 regions does
 * not list 1000 objects ten times a second on the cores the operator needs.
 */
final class ReadyTracker implements AutoCloseable {

  private final SharedIndexInformer<MaasRegion> regions;
  private final SharedIndexInformer<VaultIntegration> integrations;

  ReadyTracker(KubernetesClient k8s, String ns) {
    regions = k8s.resources(MaasRegion.class).inNamespace(ns).inform();
    integrations = k8s.resources(VaultIntegration.class).inNamespace(ns).inform();
  }

  /** How many of the {@code expected} resources are not (yet) Ready for their current generation. */
  int notReady(int expected) {
    int ready = 0;
    for (List<? extends CustomResource<?, ? extends ResourceStatus>> items : List.of(regions.getStore().list(),
        integrations.getStore().list())) {
      for (var r : items) {
        ResourceStatus s = r.getStatus();
        if (s != null && r.getMetadata().getGeneration().equals(s.getObservedGeneration())
            && Conditions.isTrue(s.getConditions(), Conditions.READY)) {
          ready++;
        }
      }
    }
    return expected - ready;
  }

  @Override
  public void close() {
    regions.close();
    integrations.close();
  }
}
