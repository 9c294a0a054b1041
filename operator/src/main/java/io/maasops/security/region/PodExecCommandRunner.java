package io.maasops.security.region;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands in a region controller's container through the Kubernetes exec API (like {@code kubectl exec
 * pod -c container -- argv...}). The argument vector goes to the container runtime as a vector: no shell
 * parses it, so no quoting is involved. The container is expected to run MAAS as root; there is no sudo here.
 */
public final class PodExecCommandRunner implements RegionCommandRunner {
    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final String container;
    private final int outputCapBytes;

    public PodExecCommandRunner(KubernetesClient client, String namespace, String pod, String container) {
        this(client, namespace, pod, container, DEFAULT_OUTPUT_CAP_BYTES);
    }

    public PodExecCommandRunner(KubernetesClient client, String namespace, String pod, String container,
            int outputCapBytes) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.outputCapBytes = outputCapBytes;
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument vector");
        }
        String program = argv.get(0);
        BoundedOutput out = new BoundedOutput(outputCapBytes);
        BoundedOutput err = new BoundedOutput(outputCapBytes);
        ExecWatch watch;
        try {
            var target = client.pods().inNamespace(namespace).withName(pod);
            watch = (container == null || container.isEmpty() ? target : target.inContainer(container))
                    .writingOutput(out).writingError(err)
                    .exec(argv.toArray(String[]::new));
        } catch (KubernetesClientException e) {
            // The message of fabric8's exception holds the request URL, which encodes the arguments.
            throw new RegionAccessException(RegionAccessException.Kind.UNREACHABLE,
                    describe() + ": exec of '" + program + "' could not start (HTTP " + e.getCode() + ")");
        }
        try (watch) {
            Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (code == null || code < 0) {
                throw new RegionAccessException(RegionAccessException.Kind.TRANSPORT_ERROR,
                        describe() + ": '" + program + "' ended without an exit status");
            }
            return new CommandResult(code, out.text(), err.text(), out.truncated() || err.truncated());
        } catch (TimeoutException e) {
            throw new RegionAccessException(RegionAccessException.Kind.TIMEOUT,
                    describe() + ": '" + program + "' did not finish within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegionAccessException(RegionAccessException.Kind.TRANSPORT_ERROR,
                    describe() + ": interrupted while running '" + program + "'");
        } catch (ExecutionException e) {
            int status = e.getCause() instanceof KubernetesClientException k ? k.getCode() : 0;
            throw new RegionAccessException(status == 404 ? RegionAccessException.Kind.UNREACHABLE
                    : RegionAccessException.Kind.TRANSPORT_ERROR,
                    describe() + ": exec of '" + program + "' failed ("
                            + e.getCause().getClass().getSimpleName() + (status > 0 ? ", HTTP " + status : "") + ")");
        }
    }

    @Override
    public String describe() {
        return "pod " + namespace + "/" + pod + (container == null || container.isEmpty() ? "" : "/" + container);
    }
}
