package io.maasops.security.testing.kube;

import io.maasops.security.testing.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;

/**
 * The API double's HTTPS endpoint: TLS with a throw-away CA and a certificate for localhost and
 * 127.0.0.1 (subject alternative names: Go's TLS refuses a certificate naming its host only in the
 * common name, which is all the mock server's own self-signed one has), each connection piped to
 * the mock on a loopback port. HTTPS matters: kubectl sends credentials only over TLS.
 */
final class TlsFront implements AutoCloseable {

  private final TestCertificates.Issued ca;
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TlsFront(int port, int target) {
    this.target = target;
    Instant now = Instant.now();
    ca = TestCertificates.ca("Kubernetes API double CA", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)));
    TestCertificates.Issued leaf = TestCertificates.leaf(ca, "localhost", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)),
        "localhost", "127.0.0.1");
    try {
      SSLServerSocket s = (SSLServerSocket) leaf.serverContext().getServerSocketFactory().createServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      server = s;
    } catch (IOException e) {
      throw new IllegalStateException("TLS front of the API double did not start", e);
    }
    Thread acceptor = new Thread(this::accept, "kube-double-tls-accept");
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
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), target);
        client.setTcpNoDelay(true);
        backend.setTcpNoDelay(true);
        open.add(client);
        open.add(backend);
        pump(client, backend, "kube-double-tls-in");
        pump(backend, client, "kube-double-tls-out");
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // the other side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, name);
    t.setDaemon(true);
    t.start();
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
    open.forEach(this::closeQuietly);
  }
}
