package io.maasops.security.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import org.junit.jupiter.api.AfterEach;

/**
 * What the end-to-end tests share: the operator of the subclass's own {@code @RegisterExtension}
 * (one per test class), a testbed per test, closed after it.
 */
abstract class EndToEndTest {

    MaasTestbed testbed;

    /** The subclass's static {@code @RegisterExtension OperatorExtension}. */
    abstract OperatorExtension operator();

    @AfterEach
    void closeTestbed() {
        if (testbed != null) {
            testbed.close();
        }
    }

    KubernetesClient k8s() {
        return operator().client();
    }

    String ns() {
        return operator().namespace();
    }

    /** A testbed with {@code regions} hosts, its Secrets, a VaultIntegration "maas" and a MaasRegion per host. */
    void apply(int regions) {
        testbed = MaasTestbed.start(regions);
        testbed.applyAll(k8s(), ns(), "maas");
    }
}
