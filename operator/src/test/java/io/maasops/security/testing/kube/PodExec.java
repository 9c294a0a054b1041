package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pod exec endpoint as kube-apiserver and the kubelet implement it (GET
 * .../pods/NAME/exec?command=..&container=..&stdin=.., upgraded to a WebSocket, channel protocol
 * v4): the {@code command} parameters are the argument vector, run as is (no shell) by the
 * registered container process; binary frames whose first byte is 0 carry stdin; the answer is
 * stdout on channel 1, stderr on 2, then one metav1.Status on channel 3 ({@code Success}, or
 * {@code NonZeroExitCode} with the code as the {@code ExitCode} cause) and a normal close, in that
 * order. A pod without a registered process is 404 NotFound, an unknown container or no command
 * 400 BadRequest, as the real API server answers.
 *
 * <p>Why not the fabric8 mock's scripted WebSockets: its session schedules each scripted frame on
 * its own thread and closes the socket whenever no frame is pending, so under load the client can
 * see the close before the exit status. A real API server never closes before the status.
 */
public final class PodExec {

    /** What runs in a container: the argument vector, its stdin (null without stdin=true), and a latch that opens when the client goes away. */
    public interface ContainerProcess {
        Result run(List<String> argv, InputStream stdin, CountDownLatch clientGone);
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    private final Map<String, ContainerProcess> containers = new ConcurrentHashMap<>();
    private final List<String> execUrls = new CopyOnWriteArrayList<>();
    private final ExecutorService commands = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kube-double-exec");
        t.setDaemon(true);
        return t;
    });

    void register(String namespace, String pod, String container, ContainerProcess process) {
        containers.put(namespace + "/" + pod + "/" + container, process);
    }

    /** Every exec request's path and query, as the API server's audit log records it. */
    List<String> execUrls() {
        return List.copyOf(execUrls);
    }

    /** @param namespace, pod from the path; pathAndQuery the request's, query its query string */
    MockResponse exec(String namespace, String pod, String pathAndQuery, String query) {
        execUrls.add(pathAndQuery);
        List<String> argv = new ArrayList<>();
        String container = null;
        boolean stdin = false;
        for (String p : query.split("&")) {
            int eq = p.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            switch (key) {
                case "command" -> argv.add(value);
                case "container" -> container = value;
                case "stdin" -> stdin = "true".equals(value) || "1".equals(value);
                default -> {}
            }
        }
        String prefix = namespace + "/" + pod + "/";
        List<String> podContainers = containers.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .toList();
        if (podContainers.isEmpty()) {
            return ApiStatus.response(
                    404,
                    ApiStatus.failure(
                            404,
                            "NotFound",
                            "pods \"" + pod + "\" not found",
                            Serialization.jsonMapper()
                                    .createObjectNode()
                                    .put("name", pod)
                                    .put("kind", "pods")));
        }
        if (container == null && podContainers.size() == 1) {
            container = podContainers.get(0);
        }
        ContainerProcess process = container == null ? null : containers.get(prefix + container);
        if (process == null) {
            return ApiStatus.badRequest(
                    container == null
                            ? "a container name must be specified for pod " + pod + ", choose one of: " + podContainers
                            : "container " + container + " is not valid for pod " + pod);
        }
        if (argv.isEmpty()) {
            return ApiStatus.badRequest("you must specify at least 1 command");
        }
        return new MockResponse().withWebSocketUpgrade(new Session(process, argv, stdin));
    }

    /** One exec stream: runs the command once the socket is open, then answers in the API server's order. */
    private final class Session extends WebSocketListener {
        private final ContainerProcess process;
        private final List<String> argv;
        private final CountDownLatch gone = new CountDownLatch(1);
        private final PipedOutputStream stdinWriter = new PipedOutputStream();
        private final PipedInputStream stdin;

        Session(ContainerProcess process, List<String> argv, boolean withStdin) {
            this.process = process;
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
                Result r;
                try {
                    r = process.run(argv, stdin, gone);
                } catch (RuntimeException e) {
                    r = new Result(126, "", e + "\n");
                }
                if (gone.getCount() == 0) {
                    return; // the client went away
                }
                send(ws, 1, r.stdout());
                send(ws, 2, r.stderr());
                send(ws, 3, status(argv, r.exitCode()));
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
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            ended();
        }

        private void ended() {
            gone.countDown();
            try {
                stdinWriter.close(); // EOF for a command still reading
            } catch (IOException ignored) {
                // already closed
            }
        }

        private void send(WebSocket ws, int channel, String text) {
            if (!text.isEmpty()) {
                ws.send(frame(channel, text));
            }
        }
    }

    /** The kubelet's exit status on channel 3. */
    private static String status(List<String> argv, int exit) {
        if (exit == 0) {
            return "{\"metadata\":{},\"status\":\"Success\"}";
        }
        var s = Serialization.jsonMapper().createObjectNode();
        s.putObject("metadata");
        s.put("status", "Failure")
                .put(
                        "message",
                        "command terminated with non-zero exit code: error executing command " + argv + ", exit code "
                                + exit)
                .put("reason", "NonZeroExitCode");
        s.putObject("details")
                .putArray("causes")
                .addObject()
                .put("reason", "ExitCode")
                .put("message", String.valueOf(exit));
        return s.toString();
    }

    private static byte[] frame(int channel, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) channel;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    void close() {
        commands.shutdownNow();
    }
}
