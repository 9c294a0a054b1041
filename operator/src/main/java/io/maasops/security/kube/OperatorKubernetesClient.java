package io.maasops.security.kube;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** How the operator builds its Kubernetes client, in one place for {@code OperatorMain} and the tests' API double. */
public final class OperatorKubernetesClient {

    private OperatorKubernetesClient() {}

    /** {@code builder} with the operator's JSON reading ({@link SharedStrings}) and HTTP client ({@link OperatorHttpClientFactory}). */
    public static KubernetesClientBuilder configure(KubernetesClientBuilder builder) {
        return builder.withKubernetesSerialization(SharedStrings.serialization())
                .withHttpClientFactory(new OperatorHttpClientFactory());
    }
}
