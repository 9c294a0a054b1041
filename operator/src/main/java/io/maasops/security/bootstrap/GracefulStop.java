package io.maasops.security.bootstrap;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping the operator with leader election on, working around JOSDK 5.2.3 (fixed upstream in
 * 5.3.5): {@code Operator.stop()} cancels leader election, fabric8 then calls onStopLeading in the
 * same thread, and JOSDK's exit-on-stop-leading calls {@code System.exit(1)} there, which blocks
 * for ever when stop() runs in a shutdown hook. So JOSDK is told never to exit, and these callbacks
 * exit on a lost leadership only when no stop is under way, from a thread of their own (fabric8
 * holds its elector's lock while it calls back, and the shutdown hooks that exit runs need it).
 * JOSDK 5.2.3 also never releases the Lease (releaseOnCancel=false): {@link #stop} does, once
 * reconciling has stopped, so a stand-by replica takes over at once instead of after the lease
 * duration.
 */
final class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final OperatorSettings settings;
    private final String identity;

    GracefulStop(OperatorSettings settings, String identity) {
        this.settings = settings;
        this.identity = identity;
    }

    String identity() {
        return identity;
    }

    /** Leader callbacks: exit(1) on a lost leadership (if so configured), unless stopping. */
    LeaderCallbacks callbacks() {
        return new LeaderCallbacks(
                () -> LOG.info("leading as {}", identity),
                this::stoppedLeading,
                leader -> LOG.debug("leader is now {}", leader));
    }

    private void stoppedLeading() {
        if (stopping.get()) {
            return;
        }
        if (settings.exitOnLostLeadership()) {
            // another replica may be reconciling already: end this process so that it restarts as a stand-by
            LOG.error("lost the leadership of Lease {}/{}; exiting", settings.leaseNamespace(), settings.leaseName());
            Thread exit = new Thread(() -> System.exit(1), "exit-on-lost-leadership");
            exit.start();
        } else {
            LOG.warn("lost the leadership of Lease {}/{}", settings.leaseNamespace(), settings.leaseName());
        }
    }

    /**
     * Stops reconciling (running reconciles get up to {@link OperatorSettings#shutdownTimeout()}),
     * then releases the Lease if this process still holds it. Idempotent; safe in a shutdown hook.
     */
    void stop(Operator operator, KubernetesClient client) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        operator.stop();
        if (settings.leaderElection()) {
            release(client);
        }
    }

    boolean stopping() {
        return stopping.get();
    }

    /** As fabric8's LeaderElector.release(): no holder, a 1 s lease, guarded by the resourceVersion read. */
    private void release(KubernetesClient client) {
        try {
            var lease = client.leases().inNamespace(settings.leaseNamespace()).withName(settings.leaseName());
            Lease current = lease.get();
            if (current == null
                    || current.getSpec() == null
                    || !identity.equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            String now = ZonedDateTime.now(ZoneOffset.UTC).format(MICRO_TIME);
            var patch = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
                    .createObjectNode();
            patch.putObject("metadata")
                    .put("resourceVersion", current.getMetadata().getResourceVersion());
            patch.putObject("spec")
                    .putNull("holderIdentity")
                    .put("leaseDurationSeconds", 1)
                    .put("acquireTime", now)
                    .put("renewTime", now);
            lease.patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            LOG.info("released Lease {}/{}", settings.leaseNamespace(), settings.leaseName());
        } catch (KubernetesClientException e) {
            // a stand-by takes over when the lease expires instead
            LOG.warn(
                    "could not release Lease {}/{}: HTTP {}",
                    settings.leaseNamespace(),
                    settings.leaseName(),
                    e.getCode());
        }
    }
}
