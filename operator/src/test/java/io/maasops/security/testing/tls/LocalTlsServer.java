package io.maasops.security.testing.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 (random port) that serves a given chain, completes handshakes and
 * closes; it records the SNI names clients sent. {@link #silent()} gives a plain socket that accepts
 * and never answers, to test handshake timeouts.
 */
public final class LocalTlsServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<String> sniNames;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private LocalTlsServer(ServerSocket socket, boolean silent, List<String> sniNames) {
        this.socket = socket;
        this.sniNames = sniNames;
        this.acceptor = new Thread(() -> acceptLoop(silent), "local-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static LocalTlsServer serving(TestCertificates.Issued leaf) throws IOException {
        SSLContext ctx = leaf.serverContext();
        SSLServerSocket s = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // the SNI matcher is in place before the acceptor thread starts: a socket accepted earlier
        // would carry the parameters of that moment and record nothing
        List<String> sni = new CopyOnWriteArrayList<>();
        SSLParameters p = s.getSSLParameters();
        p.setSNIMatchers(List.of(new SNIMatcher(0 /* host_name */) {
            @Override
            public boolean matches(SNIServerName name) {
                sni.add(((SNIHostName) name).getAsciiName());
                return true;
            }
        }));
        s.setSSLParameters(p);
        return new LocalTlsServer(s, false, sni);
    }

    /** Accepts TCP connections and never sends a byte. */
    public static LocalTlsServer silent() throws IOException {
        return new LocalTlsServer(
                new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), true, new CopyOnWriteArrayList<>());
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<String> sniNames() {
        return List.copyOf(sniNames);
    }

    private void acceptLoop(boolean silent) {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                if (silent) {
                    held.add(c);
                    continue;
                }
                try (c) {
                    c.setSoTimeout(5_000);
                    ((SSLSocket) c).startHandshake();
                } catch (IOException e) {
                    // a client that rejects us or goes away is fine
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
