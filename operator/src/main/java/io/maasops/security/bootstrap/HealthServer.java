package io.maasops.security.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * /healthz (liveness: the process serves), /readyz (readiness: the operator started and its
 * informers are healthy) and /metrics (Prometheus text format) on one small HTTP server.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    public HealthServer(int port, Operator operator, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/healthz", ex -> respond(ex, 200, "ok\n", "text/plain"));
        server.createContext("/readyz", ex -> {
            var info = operator.getRuntimeInfo();
            boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
            respond(
                    ex,
                    ready ? 200 : 503,
                    ready
                            ? "ready\n"
                            : "not ready: " + info.unhealthyEventSources().keySet() + "\n",
                    "text/plain");
        });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int code, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
