package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pod exec endpoint (GET .../pods/NAME/exec?command=..&container=.., upgraded to a WebSocket,
 * channel protocol v4 as the kubelet speaks it): runs the argument vector in a registered
 * container process and sends stdout (channel 1), stderr (2) and the exit status (3, a
 * metav1.Status: Success, or NonZeroExitCode with cause ExitCode). Pods without a registered
 * process answer as kube-apiserver does for a pod that does not exist.
 */
public final class PodExec {

  /** What runs in a container: the argument vector, and a latch that opens when the client goes away. */
  public interface ContainerProcess {
    Result run(List<String> argv, CountDownLatch clientGone);
  }

  public record Result(int exitCode, String stdout, String stderr) {}

  private final Map<String, ContainerProcess> containers = new ConcurrentHashMap<>();
  private final ExecutorService commands = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kube-double-exec");
    t.setDaemon(true);
    return t;
  });

  void register(String namespace, String pod, String container, ContainerProcess process) {
    containers.put(namespace + "/" + pod + "/" + container, process);
  }

  /** @param namespace, pod from the path; query the request's query string */
  MockResponse exec(String namespace, String pod, String query) {
    List<String> argv = new ArrayList<>();
    String container = null;
    for (String p : query.split("&")) {
      int eq = p.indexOf('=');
      String key = eq < 0 ? p : p.substring(0, eq);
      String value = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
      if (key.equals("command")) {
        argv.add(value);
      } else if (key.equals("container")) {
        container = value;
      }
    }
    ContainerProcess process = container == null ? only(namespace, pod) : containers.get(namespace + "/" + pod + "/" + container);
    if (process == null) {
      return ApiStatus.response(404, ApiStatus.failure(404, "NotFound", "pods \"" + pod + "\" not found",
          Serialization.jsonMapper().createObjectNode().put("name", pod).put("kind", "pods")));
    }
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      private final CountDownLatch gone = new CountDownLatch(1);

      @Override
      public void onOpen(WebSocket ws, Response response) {
        commands.submit(() -> {
          Result r;
          try {
            r = process.run(argv, gone);
          } catch (RuntimeException e) {
            r = new Result(126, "", e + "\n");
          }
          if (!r.stdout().isEmpty()) {
            ws.send(frame(1, r.stdout()));
          }
          if (!r.stderr().isEmpty()) {
            ws.send(frame(2, r.stderr()));
          }
          ws.send(frame(3, status(argv, r.exitCode())));
          ws.close(1000, "");
        });
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        gone.countDown();
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        gone.countDown();
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response response) {
        gone.countDown();
      }
    });
  }

  private ContainerProcess only(String namespace, String pod) {
    String prefix = namespace + "/" + pod + "/";
    List<ContainerProcess> found = containers.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    return found.size() == 1 ? found.get(0) : null;
  }

  /** The kubelet's exit status on channel 3. */
  private static String status(List<String> argv, int exit) {
    if (exit == 0) {
      return "{\"metadata\":{},\"status\":\"Success\"}";
    }
    var s = Serialization.jsonMapper().createObjectNode();
    s.putObject("metadata");
    s.put("status", "Failure").put("message", "command terminated with non-zero exit code: error executing command "
        + argv + ", exit code " + exit).put("reason", "NonZeroExitCode");
    s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode").put("message", String.valueOf(exit));
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
