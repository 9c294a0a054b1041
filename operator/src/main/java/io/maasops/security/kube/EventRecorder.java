package io.maasops.security.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on the operator's resources (what `kubectl describe` shows). Callers pass
 * messages built from identifiers only, never secret values. A failure to record is logged, not thrown:
 * an event is never worth failing a reconcile for.
 *
 * <p>Deduplicated as client-go's recorder does (EventCorrelator): an Event equal to one this process
 * recorded (same object, type, reason, message) is not created again; that Event's count and
 * lastTimestamp are patched instead, so a flapping condition does not flood the namespace. The cache
 * is bounded (LRU, client-go's 4096 entries); an Event deleted meanwhile is created afresh.
 * reportingInstance is this pod's name, so two replicas' Events stay apart.
 */
public class EventRecorder implements io.maasops.security.port.EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final String COMPONENT = "maas-security-operator";

    static final int CACHE_SIZE = 4096;

    private final KubernetesClient client;
    private final Clock clock;
    private final String reportingInstance;
    private final Map<Key, Recorded> recorded = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Recorded> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record Key(
            String uid, String namespace, String kind, String name, String type, String reason, String message) {}

    private record Recorded(String eventName, int count) {}

    public EventRecorder(KubernetesClient client, Clock clock) {
        this(client, clock, reportingInstanceFromEnv());
    }

    public EventRecorder(KubernetesClient client, Clock clock, String reportingInstance) {
        this.client = client;
        this.clock = clock;
        this.reportingInstance = reportingInstance;
    }

    /** The pod's name (Kubernetes sets HOSTNAME to it), as client-go's recorder reports its host. */
    static String reportingInstanceFromEnv() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? COMPONENT : host;
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
        String text = message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
        var key = new Key(
                on.getMetadata().getUid(),
                on.getMetadata().getNamespace(),
                on.getKind(),
                on.getMetadata().getName(),
                type,
                reason,
                text);
        Recorded seen;
        synchronized (recorded) {
            seen = recorded.get(key);
        }
        if (seen != null && repeat(on, key, seen, now)) {
            return;
        }
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(on.getMetadata().getName() + "."
                        + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
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
                .withMessage(text)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(reportingInstance)
                .build();
        try {
            client.v1().events().inNamespace(eventNamespace(on)).resource(event).create();
            synchronized (recorded) {
                recorded.put(key, new Recorded(event.getMetadata().getName(), 1));
            }
            LOG.info(
                    "event {} {} on {}/{}: {}",
                    type,
                    reason,
                    on.getKind(),
                    on.getMetadata().getName(),
                    message);
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not record event {} on {}/{}: {}",
                    reason,
                    on.getKind(),
                    on.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** Patches count and lastTimestamp of the Event recorded before; false if it is gone (then a new one is created). */
    private boolean repeat(HasMetadata on, Key key, Recorded seen, String now) {
        int count = seen.count() + 1;
        try {
            // through resource(): withName(..).patch(..) would GET the Event first, which the chart does not grant
            var named = new EventBuilder()
                    .withNewMetadata()
                    .withName(seen.eventName())
                    .withNamespace(eventNamespace(on))
                    .endMetadata()
                    .build();
            client.v1()
                    .events()
                    .inNamespace(eventNamespace(on))
                    .resource(named)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
            synchronized (recorded) {
                recorded.put(key, new Recorded(seen.eventName(), count));
            }
            LOG.debug(
                    "event {} {} on {}/{} repeated ({} times)",
                    key.type(),
                    key.reason(),
                    key.kind(),
                    key.name(),
                    count);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn(
                        "could not update event {} on {}/{}: {}", key.reason(), key.kind(), key.name(), e.getMessage());
                return true;
            }
            synchronized (recorded) {
                recorded.remove(key);
            }
            return false;
        }
    }
}
