package io.maasops.security.regionhost;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.maasops.security.util.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands in a region controller's container through the Kubernetes exec API (like {@code kubectl exec
 * pod -c container -- argv...}). The argument vector goes to the container runtime as a vector: no shell
 * parses it, so no quoting is involved. The container is expected to run MAAS as root; there is no sudo here.
 * Input, when given, goes over the exec stream's stdin channel, never into the exec URL; fabric8 speaks the v4
 * channel protocol, which cannot close stdin, so commands given input must not wait for EOF.
 */
public final class PodExecCommandRunner implements RegionCommandRunner {
    private static final ExecutorService STARTER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pod-exec-start");
        t.setDaemon(true);
        return t;
    });

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final String container;
    private final int outputCapBytes;

    public PodExecCommandRunner(KubernetesClient client, String namespace, String pod, String container) {
        this(client, namespace, pod, container, DEFAULT_OUTPUT_CAP_BYTES);
    }

    public PodExecCommandRunner(
            KubernetesClient client, String namespace, String pod, String container, int outputCapBytes) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.outputCapBytes = outputCapBytes;
    }

    @Override
    public CommandResult run(List<String> argv, Secret stdin, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument vector");
        }
        String program = argv.get(0);
        BoundedOutput out = new BoundedOutput(outputCapBytes);
        BoundedOutput err = new BoundedOutput(outputCapBytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        // exec() itself can block (fabric8 waits for the pod to be ready and for the websocket to open), so the
        // whole call runs on a helper thread and the caller's timeout covers everything.
        CompletableFuture<ExecWatch> started = CompletableFuture.supplyAsync(
                () -> {
                    var target = client.pods().inNamespace(namespace).withName(pod);
                    var inContainer = container == null || container.isEmpty() ? target : target.inContainer(container);
                    if (stdin != null) {
                        return inContainer
                                .readingInput(
                                        new ByteArrayInputStream(stdin.reveal().getBytes(StandardCharsets.UTF_8)))
                                .writingOutput(out)
                                .writingError(err)
                                .exec(argv.toArray(String[]::new));
                    }
                    return inContainer.writingOutput(out).writingError(err).exec(argv.toArray(String[]::new));
                },
                STARTER);
        ExecWatch watch = null;
        try {
            watch = started.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            Integer code = watch.exitCode().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            if (code == null || code < 0) {
                throw RegionAccessException.answerLost(
                        RegionAccessException.Kind.TRANSPORT_ERROR,
                        describe() + ": '" + program + "' ended without an exit status");
            }
            return new CommandResult(code, out.text(), err.text(), out.truncated() || err.truncated());
        } catch (TimeoutException e) {
            started.thenAccept(ExecWatch::close); // close the exec if it starts after we gave up
            throw new RegionAccessException(
                    RegionAccessException.Kind.TIMEOUT,
                    describe() + ": '" + program + "' did not finish within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegionAccessException.answerLost(
                    RegionAccessException.Kind.TRANSPORT_ERROR,
                    describe() + ": interrupted while running '" + program + "'");
        } catch (ExecutionException e) {
            // Never use the cause's message: fabric8 puts the request URL, which encodes the arguments, in it.
            int status = e.getCause() instanceof KubernetesClientException k ? k.getCode() : 0;
            throw new RegionAccessException(
                    status == 404 || status <= 0 && started.isCompletedExceptionally()
                            ? RegionAccessException.Kind.UNREACHABLE
                            : RegionAccessException.Kind.TRANSPORT_ERROR,
                    describe() + ": exec of '" + program + "' failed ("
                            + e.getCause().getClass().getSimpleName() + (status > 0 ? ", HTTP " + status : "") + ")");
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public String describe() {
        return "pod " + namespace + "/" + pod + (container == null || container.isEmpty() ? "" : "/" + container);
    }
}
