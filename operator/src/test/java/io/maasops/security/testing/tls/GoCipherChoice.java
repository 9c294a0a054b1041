package io.maasops.security.testing.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The cipher suite choice of a Go TLS server (kube-apiserver, Vault), for the doubles standing in for them: a
 * client that lists ChaCha20-Poly1305 first gets it (docs/reference/tls.md §1). JSSE would otherwise pick its
 * own order, AES-GCM first, whatever the client asks. Each double records the suites it negotiated.
 */
public final class GoCipherChoice {

    private final Set<String> negotiated = ConcurrentHashMap.newKeySet();

    /** The client's order decides, as Go does for a ChaCha20-Poly1305-first client. */
    public static void apply(SSLServerSocket server) {
        server.setSSLParameters(clientOrder(server.getSSLParameters()));
    }

    /** An HttpsServer configurator with {@link #apply}'s choice. */
    public static HttpsConfigurator configurator(SSLContext context) {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(clientOrder(context.getDefaultSSLParameters()));
            }
        };
    }

    private static SSLParameters clientOrder(SSLParameters p) {
        p.setUseCipherSuitesOrder(false);
        return p;
    }

    /** Notes the suite of a TLS connection's session (a plain connection is not noted). */
    public void record(SSLSocket socket) {
        negotiated.add(socket.getSession().getCipherSuite());
    }

    /** Notes the suite of an HTTPS exchange (a plain one is not noted). */
    public void record(HttpExchange exchange) {
        if (exchange instanceof HttpsExchange https) {
            negotiated.add(https.getSSLSession().getCipherSuite());
        }
    }

    /** Every suite negotiated so far. */
    public Set<String> negotiated() {
        return Set.copyOf(negotiated);
    }
}
