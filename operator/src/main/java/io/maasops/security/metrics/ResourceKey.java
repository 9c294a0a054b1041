package io.maasops.security.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Tags;

/**
 * Which custom resource a series belongs to. Every per-resource series carries exactly these three
 * labels, {@code kind}, {@code namespace} (empty for the cluster-scoped VaultIntegration) and
 * {@code name}, so that one resource is named the same way in every metric and its series can all be
 * removed when it goes.
 */
public record ResourceKey(String kind, String namespace, String name) {

    public static final String KIND = "kind";
    public static final String NAMESPACE = "namespace";
    public static final String NAME = "name";

    public ResourceKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ResourceKey of(HasMetadata resource) {
        return new ResourceKey(
                resource.getKind(),
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName());
    }

    public Tags tags() {
        return Tags.of(KIND, kind, NAMESPACE, namespace, NAME, name);
    }
}
