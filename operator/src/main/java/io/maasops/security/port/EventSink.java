package io.maasops.security.port;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Kubernetes Events about a custom resource. */
public interface EventSink {

    void normal(HasMetadata on, String reason, String message);

    void warning(HasMetadata on, String reason, String message);
}
