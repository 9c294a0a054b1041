package io.maasops.security.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on the operator's resources (what `kubectl describe` shows). Callers pass
 * messages built from identifiers only, never secret values. A failure to record is logged, not thrown:
 * an event is never worth failing a reconcile for.
 */
public class EventRecorder implements io.maasops.security.port.EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "maas-security-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata on, String reason, String message) {
    record(on, "Normal", reason, message);
  }

  public void warning(HasMetadata on, String reason, String message) {
    record(on, "Warning", reason, message);
  }

  /**
   * Where an Event about {@code on} lives: its own namespace, or "default" for a cluster-scoped
   * object (kube-apiserver accepts only that, as client-go's recorder does).
   */
  public static String eventNamespace(HasMetadata on) {
    String ns = on.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  protected void record(HasMetadata on, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(on.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
        .withNamespace(eventNamespace(on))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(on.getApiVersion())
            .withKind(on.getKind())
            .withName(on.getMetadata().getName())
            .withNamespace(on.getMetadata().getNamespace())
            .withUid(on.getMetadata().getUid())
            .withResourceVersion(on.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(eventNamespace(on)).resource(event).create();
      LOG.info("event {} {} on {}/{}: {}", type, reason, on.getKind(), on.getMetadata().getName(), message);
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, on.getKind(), on.getMetadata().getName(), e.getMessage());
    }
  }
}
