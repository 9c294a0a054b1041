package io.maasops.security.testing.region;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.maasops.security.testing.region.RegionHostDouble.Outcome;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/**
 * A Kubernetes API server that serves region host doubles as pods, with the exec subresource as the API
 * server and kubelet implement it (the v4.channel.k8s.io WebSocket protocol): {@code command=} query
 * parameters are the argument vector, run as is (no shell) as root by {@link RegionHostDouble#execArgv}; binary
 * frames whose first byte is 0 carry stdin; the answer is stdout on channel 1, stderr on 2, then one
 * {@code Status} on channel 3 ({@code Success}, or {@code Failure}/{@code NonZeroExitCode} with the code as the
 * {@code ExitCode} cause) and a normal close, in that order. A missing pod is 404 NotFound, an unknown container
 * 400 BadRequest, as the real API server answers.
 *
 * <p>It replaces the fabric8 mock's scripted WebSockets for exec tests: that mock's {@code WebSocketSession}
 * schedules each scripted frame on its own thread and closes the socket whenever no frame is pending, and the
 * first frame can be sent (and the socket closed) before {@code onOpen} has even queued the status frame, so
 * under load the client sees the close and no exit status. A real API server never closes before the status.
 */
public final class PodExecServer implements AutoCloseable {

    private record PodEntry(String namespace, String name, String container, RegionHostDouble host) {
    }

    private final Map<String, PodEntry> pods = new ConcurrentHashMap<>();
    private final List<String> execUrls = new CopyOnWriteArrayList<>();
    private final ExecutorService commands = RegionHostDouble.newCommandPool();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private PodExecServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new ExecDispatcher(), false);
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
        } catch (Exception e) {
            throw new IllegalStateException("pod exec API server did not start", e);
        }
        client = server.createClient();
    }

    public static PodExecServer start() {
        return new PodExecServer();
    }

    /** Serves {@code host} as the ready pod {@code namespace/name} with one container. */
    public PodExecServer addPod(String namespace, String name, String container, RegionHostDouble host) {
        pods.put(namespace + "/" + name, new PodEntry(namespace, name, container, host));
        return this;
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    /** Every exec request's path and query, as the API server's audit log would record it. */
    public List<String> execUrls() {
        return List.copyOf(execUrls);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
        commands.shutdownNow();
    }

    private static Pod pod(PodEntry p) {
        return new PodBuilder().withNewMetadata().withName(p.name()).withNamespace(p.namespace())
                .withResourceVersion("1").endMetadata()
                .withNewSpec().addNewContainer().withName(p.container()).withImage("maas").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }

    private static MockResponse status(int code, String reason, String message) {
        Status s = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(s));
    }

    private final class ExecDispatcher extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String full = request.getPath();
            int q = full.indexOf('?');
            String path = q < 0 ? full : full.substring(0, q);
            Map<String, List<String>> query = query(q < 0 ? "" : full.substring(q + 1));
            String[] seg = path.split("/");
            // /api/v1/namespaces/{ns}/pods[/{name}[/exec]]
            if (seg.length < 6 || !path.startsWith("/api/v1/namespaces/") || !seg[5].equals("pods")) {
                return status(404, "NotFound", "the server could not find the requested resource");
            }
            String ns = seg[4];
            if (seg.length == 6) {
                String selector = query.getOrDefault("fieldSelector", List.of("")).get(0);
                var list = new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata();
                pods.values().stream().filter(p -> p.namespace().equals(ns))
                        .filter(p -> selector.isEmpty() || selector.equals("metadata.name=" + p.name()))
                        .forEach(p -> list.addToItems(pod(p)));
                return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(list.build()));
            }
            PodEntry p = pods.get(ns + "/" + seg[6]);
            if (p == null) {
                return status(404, "NotFound", "pods \"" + seg[6] + "\" not found");
            }
            if (seg.length == 7) {
                return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(pod(p)));
            }
            if (seg.length == 8 && seg[7].equals("exec")) {
                execUrls.add(full);
                String container = query.getOrDefault("container", List.of(p.container())).get(0);
                if (!container.equals(p.container())) {
                    return status(400, "BadRequest", "container " + container + " is not valid for pod " + p.name());
                }
                List<String> argv = query.getOrDefault("command", List.of());
                if (argv.isEmpty()) {
                    return status(400, "BadRequest", "you must specify at least 1 command");
                }
                return new MockResponse().withWebSocketUpgrade(new ExecSession(p.host(), argv,
                        "true".equals(query.getOrDefault("stdin", List.of("false")).get(0))));
            }
            return status(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private static Map<String, List<String>> query(String q) {
        Map<String, List<String>> out = new HashMap<>();
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int e = kv.indexOf('=');
            String k = URLDecoder.decode(e < 0 ? kv : kv.substring(0, e), StandardCharsets.UTF_8);
            String v = e < 0 ? "" : URLDecoder.decode(kv.substring(e + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** One exec stream: runs the command once the socket is open, then answers in the API server's order. */
    private final class ExecSession extends WebSocketListener {
        private final RegionHostDouble host;
        private final List<String> argv;
        private final CountDownLatch closed = new CountDownLatch(1);
        private final PipedOutputStream stdinWriter = new PipedOutputStream();
        private final PipedInputStream stdin;

        ExecSession(RegionHostDouble host, List<String> argv, boolean withStdin) {
            this.host = host;
            this.argv = argv;
            try {
                this.stdin = withStdin ? new PipedInputStream(stdinWriter, 64 * 1024) : null;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onOpen(WebSocket ws, Response response) {
            commands.submit(() -> {
                Outcome o;
                try {
                    o = host.execArgv(argv, stdin, closed);
                } catch (RuntimeException e) {
                    o = Outcome.fail(1, "Traceback (most recent call last):\n  ...\n" + e + "\n");
                }
                if (closed.getCount() == 0) {
                    return; // the client went away
                }
                send(ws, 1, o.stdout());
                send(ws, 2, o.stderr());
                send(ws, 3, Serialization.asJson(exitStatus(o.exit())));
                ws.close(1000, "");
            });
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            if (bytes.length > 1 && bytes[0] == 0 && stdin != null) {
                try {
                    stdinWriter.write(bytes, 1, bytes.length - 1);
                    stdinWriter.flush();
                } catch (IOException e) {
                    // the command no longer reads its input
                }
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            onMessage(ws, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ended();
            ws.close(code, reason);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            ended();
        }

        @Override
        public void onFailure(WebSocket ws, Throwable error, Response response) {
            ended();
        }

        private void ended() {
            closed.countDown();
            try {
                stdinWriter.close(); // EOF for a command still reading
            } catch (IOException ignored) {
                // already closed
            }
        }

        private void send(WebSocket ws, int channel, String text) {
            if (text.isEmpty()) {
                return;
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[body.length + 1];
            frame[0] = (byte) channel;
            System.arraycopy(body, 0, frame, 1, body.length);
            ws.send(frame);
        }

        private Status exitStatus(int exit) {
            if (exit == 0) {
                return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").build();
            }
            return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                    .withMessage("command terminated with non-zero exit code: exit status " + exit)
                    .withReason("NonZeroExitCode")
                    .withNewDetails().addNewCause().withReason("ExitCode").withMessage(Integer.toString(exit))
                    .endCause().endDetails().build();
        }
    }
}
