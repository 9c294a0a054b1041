package io.maasops.security.testing.kube;

import io.maasops.security.bootstrap.MaasSecurityOperator;
import io.maasops.security.bootstrap.OperatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The real operator (production wiring from {@link MaasSecurityOperator#assemble}) on a
 * {@link KubeApiDouble}, which a test can stop and start again, as a pod would be killed and
 * rescheduled: each start is a fresh instance with empty caches and fresh services (no memory
 * carries over except what is in Kubernetes and Vault). Leader election is off: one instance at a time.
 */
public final class RestartableOperator implements AutoCloseable {

    private final KubeApiDouble api;
    private final OperatorSettings settings;
    private MaasSecurityOperator.Assembly assembly;
    private SimpleMeterRegistry registry;
    private int starts;

    public RestartableOperator(KubeApiDouble api) {
        this.api = api;
        this.settings = OperatorSettings.defaults()
                .withLeaderElection(false, "default", false)
                .withHttpPort(0)
                .withReconcileThreads(4, Duration.ofSeconds(10))
                .withClusterResourceNamespace(io.maasops.security.testing.MaasTestbed.OPERATOR_NAMESPACE)
                .withRetries(OperatorExtension.TEST_RETRIES);
    }

    public synchronized RestartableOperator start() {
        if (assembly == null) {
            registry = new SimpleMeterRegistry();
            assembly = MaasSecurityOperator.assemble(api.operatorClient(), settings, Clock.systemUTC(), registry);
            assembly.operator().start();
            starts++;
        }
        return this;
    }

    /** Stops reconciling and drops every in-memory state (caches, Vault tokens, SSH connections). */
    public synchronized void stop() {
        if (assembly != null) {
            var stopping = assembly;
            assembly = null;
            // services are closed after the operator stopped: an in-flight reconcile may fail, as in a killed pod
            stopping.stop(api.operatorClient());
        }
    }

    public synchronized boolean running() {
        return assembly != null;
    }

    /** How many instances were started so far. */
    public synchronized int starts() {
        return starts;
    }

    /** The meters of the current (or last) instance. */
    public synchronized SimpleMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        stop();
    }
}
