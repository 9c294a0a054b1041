package io.maasops.security.testing.kube;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.maasops.security.testing.tls.TestCertificates;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;

/**
 * The API double's HTTPS endpoint, an HTTP/1.1 server in front of the mock: TLS with a throw-away
 * CA and a certificate for localhost and 127.0.0.1 (subject alternative names: Go's TLS refuses a
 * certificate naming its host only in the common name, which is all the mock's own self-signed one
 * has; and kubectl sends credentials only over TLS). Requests go to the dispatcher in-process;
 * watches without a WebSocket upgrade (kubectl's) are streamed here ({@link WatchStream}), as the
 * mock streams nothing but WebSockets; WebSocket upgrades (fabric8's watches, pod exec) are piped
 * to the mock.
 */
final class TlsFront implements AutoCloseable {

    /** kube-apiserver's limit on the request head (Go's http.Server default, 1 MiB). */
    private static final int MAX_HEAD = 1024 * 1024;
    /** The mock's (Vert.x's default maxInitialLineLength): longer upgrade request lines are shortened on the way. */
    private static final int MOCK_MAX_REQUEST_LINE = 4096;

    private final TestCertificates.Issued ca;
    private final ServerSocket server;
    private final int backend;
    private final ApiServerDispatcher dispatcher;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final io.maasops.security.testing.tls.GoCipherChoice cipherSuites =
            new io.maasops.security.testing.tls.GoCipherChoice();
    private volatile boolean closed;

    TlsFront(int port, int backend, ApiServerDispatcher dispatcher) {
        this.backend = backend;
        this.dispatcher = dispatcher;
        Instant now = Instant.now();
        ca = TestCertificates.ca(
                "Kubernetes API double CA", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)));
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca,
                "localhost",
                now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(30)),
                "localhost",
                "127.0.0.1");
        try {
            SSLServerSocket s = (SSLServerSocket)
                    leaf.serverContext().getServerSocketFactory().createServerSocket();
            io.maasops.security.testing.tls.GoCipherChoice.apply(s);
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            server = s;
        } catch (IOException e) {
            throw new IllegalStateException("TLS front of the API double did not start", e);
        }
        Thread acceptor = new Thread(this::accept, "kube-double-https-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** PEM of the CA that signed the server certificate (kubeconfig certificate-authority-data). */
    String caPem() {
        return ca.certificatePem();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                open.add(client);
                Thread t = new Thread(() -> serve(client), "kube-double-https");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            ((javax.net.ssl.SSLSocket) client).startHandshake();
            cipherSuites.record((javax.net.ssl.SSLSocket) client);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            while (!closed) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Headers.Builder headers = Headers.builder();
                Map<String, String> lower = new java.util.HashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        String name = lines[i].substring(0, colon).trim();
                        String value = lines[i].substring(colon + 1).trim();
                        headers.add(name, value);
                        lower.put(name.toLowerCase(Locale.ROOT), value);
                    }
                }
                String method = requestLine[0];
                String target = requestLine[1];
                if (lower.containsKey("upgrade")) {
                    if (lines[0].length() > MOCK_MAX_REQUEST_LINE) { // e.g. a pod exec whose command is a script
                        lines[0] = method + " " + dispatcher.shortTarget(target) + " " + requestLine[2];
                        head = String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
                    }
                    pipeToBackend(head, in, out);
                    return;
                }
                byte[] body = readBody(in, lower);
                RecordedRequest request = new RecordedRequest(
                        "HTTP/1.1", HttpMethod.valueOf(method), target, headers.build(), new Buffer(body));
                int q = target.indexOf('?');
                if (WatchStream.isStreamingWatch(method, q < 0 ? "" : target.substring(q + 1), null)) {
                    MockResponse refused = dispatcher.watch(request, out);
                    if (refused != null) {
                        write(refused, out);
                    }
                    return;
                }
                write(dispatcher.dispatch(request), out);
                if ("close".equalsIgnoreCase(lower.get("connection"))) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or sent what this server does not parse
        } finally {
            closeQuietly(client);
        }
    }

    /** The request head up to and including the blank line, without it; null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : (c == '\r' ? 1 : 0);
            if (state == 4) {
                byte[] all = b.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - 4);
            }
            if (b.size() > MAX_HEAD) {
                throw new IOException("request head too large");
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }
        return new byte[0];
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** kube-apiserver answers with JSON: the mock's own answers often carry no Content-Type. */
    private static void write(MockResponse response, OutputStream out) throws IOException {
        byte[] body =
                response.getBody() == null ? new byte[0] : response.getBody().getBytes();
        StringBuilder h = new StringBuilder("HTTP/1.1 ")
                .append(response.code())
                .append(' ')
                .append(reason(response.code()))
                .append("\r\n");
        boolean contentType = false;
        for (Map.Entry<String, List<String>> e :
                response.getHeaders().toMultimap().entrySet()) {
            String name = e.getKey();
            if (name.equalsIgnoreCase("content-length")
                    || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("connection")) {
                continue;
            }
            contentType |= name.equalsIgnoreCase("content-type");
            for (String v : e.getValue()) {
                h.append(name).append(": ").append(v).append("\r\n");
            }
        }
        if (!contentType && body.length > 0) {
            h.append("Content-Type: application/json\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    /** A WebSocket upgrade: the mock serves it; from here on bytes are piped both ways. */
    private void pipeToBackend(byte[] head, InputStream in, OutputStream out) throws IOException {
        Socket b = new Socket(InetAddress.getLoopbackAddress(), backend);
        b.setTcpNoDelay(true);
        open.add(b);
        OutputStream toBackend = b.getOutputStream();
        toBackend.write(head);
        toBackend.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        toBackend.flush();
        Thread up = new Thread(() -> copy(in, toBackend, b), "kube-double-ws-up");
        up.setDaemon(true);
        up.start();
        copy(b.getInputStream(), out, b);
    }

    private void copy(InputStream from, OutputStream to, Socket backendSocket) {
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // one side went away
        } finally {
            closeQuietly(backendSocket);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        new ArrayList<>(open).forEach(this::closeQuietly);
    }
}
