package io.maasops.security.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving server on 127.0.0.1 (random port) for the clients' limits: it answers every connection with a
 * scripted {@link Behaviour} (trickle, endless body, fixed answer, half a TLS handshake). It counts connections and
 * bytes sent, keeps the request heads it read, and notes when a client hung up while it was still talking, which
 * is how a test proves the client really stopped the exchange (closed the connection) rather than abandoning a
 * thread that goes on reading.
 */
public final class HostileServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Socket socket, HostileServer server) throws IOException;
    }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger hungUp = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();

    private HostileServer(Behaviour behaviour) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        Thread acceptor = new Thread(this::acceptLoop, "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static HostileServer start(Behaviour behaviour) throws IOException {
        return new HostileServer(behaviour);
    }

    // ------------------------------------------------------------------ behaviours

    /** Reads the request, sends 200 headers announcing {@code declaredLength} bytes, then one byte every {@code every}. */
    public static Behaviour trickle(Duration every, long declaredLength) {
        return (s, server) -> {
            server.readRequest(s);
            server.send(
                    s,
                    ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + declaredLength
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            for (long i = 0; i < declaredLength; i++) {
                if (server.clientGone(s, every)) {
                    return;
                }
                server.send(s, new byte[] {' '});
            }
        };
    }

    /** Reads the request and sends a chunked 200 body that never ends, as fast as the client takes it. */
    public static Behaviour endless() {
        return (s, server) -> {
            server.readRequest(s);
            server.send(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) { // ends when the client hangs up (the write fails) or the server closes
                server.send(s, size);
                server.send(s, chunk);
                server.send(s, "\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    /** Reads the request and answers {@code status} with these extra header lines and body, then closes. */
    public static Behaviour answer(int status, List<String> headers, byte[] body) {
        return (s, server) -> {
            server.readRequest(s);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Whatever\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            server.send(s, head.toString().getBytes(StandardCharsets.US_ASCII));
            server.send(s, body);
        };
    }

    /**
     * For TLS clients: reads nothing, sends the header of a 16 KiB TLS handshake record, then one byte of it every
     * {@code every}: each byte restarts a read timeout, so only an overall deadline ends the handshake.
     */
    public static Behaviour trickledTlsHandshake(Duration every) {
        return (s, server) -> {
            server.send(s, new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
            for (int i = 0; i < 0x4000; i++) {
                if (server.clientGone(s, every)) {
                    return;
                }
                server.send(s, new byte[] {0x02});
            }
        };
    }

    // ------------------------------------------------------------------ inspection

    public int port() {
        return socket.getLocalPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int connections() {
        return connections.get();
    }

    /** Connections whose client hung up while the server still had something to send. */
    public int hungUp() {
        return hungUp.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /** Request line and headers of every request read (they may hold credentials: assert on them, never print). */
    public List<String> requestHeads() {
        return List.copyOf(heads);
    }

    // ------------------------------------------------------------------ plumbing

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket c;
            try {
                c = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            open.add(c);
            Thread t = new Thread(
                    () -> {
                        try (c) {
                            behaviour.serve(c, this);
                        } catch (IOException e) {
                            if (!socket.isClosed()) {
                                hungUp.incrementAndGet(); // a write or read failed: the client closed the connection
                            }
                        }
                    },
                    "hostile-server-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void send(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    /** Waits {@code every} for the client to close its side; true when it did (it would send nothing else). */
    private boolean clientGone(Socket s, Duration every) throws IOException {
        s.setSoTimeout((int) Math.max(1, every.toMillis()));
        try {
            if (s.getInputStream().read() < 0) {
                hungUp.incrementAndGet();
                return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Reads the request head and a Content-Length body, bounded. */
    private void readRequest(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 64 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the end of its request");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        heads.add(text);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(
                        line.substring("content-length:".length()).trim()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
