package io.maasops.security.tls;

import io.maasops.security.util.RemoteText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Captures the certificate chain a live TLS endpoint serves, even when it is not trusted, and
 * reports trust separately. It does a TLS handshake (with SNI when the name is a host name) and
 * closes; no application data is sent.
 *
 * <p>Trust is judged during that one handshake by the real PKIX trust manager (JDK default or a
 * given CA) with HTTPS host-name verification; its verdict is recorded instead of aborting the
 * handshake, so an expired or self-signed certificate is still observed.
 *
 * <p>Connect and handshake together end by a deadline: a read timeout alone restarts with every
 * byte, so a peer that trickles its handshake would hold a reconcile thread for ever; at the
 * deadline the socket is closed. The peer's own words reach messages only as short excerpts.
 */
public final class EndpointCertificateProbe implements io.maasops.security.port.CertificateProbe {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Connect plus handshake: a handshake is a few KiB in a few round trips. It also bounds what a
     * peer can send (the JDK caps one handshake message at 32 KiB, jdk.tls.maxHandshakeMessageSize).
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    /** Closes sockets whose deadline passed; one daemon thread for every probe. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private final X509ExtendedTrustManager trust;
    private final Duration connectTimeout;
    private final Duration deadline;

    /** Judges trust against the JDK default trust store. */
    public EndpointCertificateProbe() {
        this(TrustAnchors.jdkDefault(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE);
    }

    /**
     * @param connectTimeout for the TCP connect alone
     * @param deadline for connect and handshake together
     */
    public EndpointCertificateProbe(X509ExtendedTrustManager trust, Duration connectTimeout, Duration deadline) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** Parses {@code host:port} (also {@code [v6]:port}) and probes it. */
    public ObservedCertificate probe(String endpoint) throws CertificateProbeException {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, got " + endpoint);
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(endpoint.substring(colon + 1));
        return probe(host, port, host);
    }

    public ObservedCertificate probe(String host, int port) throws CertificateProbeException {
        return probe(host, port, host);
    }

    /**
     * Connects to {@code connectHost:port} and presents {@code serverName} as SNI (when it is not an
     * IP literal) and as the name the certificate must match.
     */
    public ObservedCertificate probe(String connectHost, int port, String serverName) throws CertificateProbeException {
        CapturingTrustManager capturing = new CapturingTrustManager(trust);
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {capturing}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise TLS", e);
        }
        String where = connectHost + ":" + port;
        long end = System.nanoTime() + deadline.toNanos();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = null;
        try (Socket plain = new Socket()) {
            alarm = WATCHDOG.schedule(
                    () -> {
                        expired.set(true);
                        closeQuietly(plain); // unblocks a connect or read in progress
                    },
                    deadline.toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                plain.connect(
                        new InetSocketAddress(connectHost, port),
                        millis(min(connectTimeout, Duration.ofNanos(end - System.nanoTime()))));
            } catch (SocketTimeoutException e) {
                throw new CertificateProbeException(
                        CertificateProbeException.Kind.TIMEOUT,
                        "connect to " + where + " timed out after "
                                + min(connectTimeout, deadline).toMillis() + " ms",
                        e);
            } catch (IOException e) {
                if (expired.get()) {
                    throw timeout(where, e);
                }
                throw new CertificateProbeException(
                        CertificateProbeException.Kind.CONNECT_FAILED,
                        "cannot connect to " + where + ": " + RemoteText.excerpt(e.getMessage()),
                        e);
            }
            plain.setSoTimeout(millis(Duration.ofNanos(end - System.nanoTime())));
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, serverName, port, true)) {
                SSLParameters params = ssl.getSSLParameters();
                if (!isIpLiteral(serverName)) {
                    params.setServerNames(List.of(new SNIHostName(serverName)));
                }
                // Makes the delegate check the host name against the certificate.
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
            }
        } catch (CertificateProbeException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw timeout(where, e);
        } catch (IOException e) {
            if (capturing.chain == null) {
                if (expired.get()) {
                    throw timeout(where, e);
                }
                // JDK wording, but it can quote what the peer sent
                throw new CertificateProbeException(
                        CertificateProbeException.Kind.HANDSHAKE_FAILED,
                        "TLS handshake with " + where + " failed: " + RemoteText.excerpt(e.getMessage()),
                        e);
            }
            // The chain was captured; a failure after that (e.g. close) does not lose the observation.
        } finally {
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
        if (capturing.chain == null || capturing.chain.length == 0) {
            throw new CertificateProbeException(
                    CertificateProbeException.Kind.HANDSHAKE_FAILED,
                    "TLS handshake with " + where + " presented no certificate",
                    null);
        }
        return ObservedCertificate.of(
                ObservedCertificate.SOURCE_ENDPOINT,
                List.of(capturing.chain),
                capturing.trustError == null,
                capturing.trustError);
    }

    private CertificateProbeException timeout(String where, IOException e) {
        return new CertificateProbeException(
                CertificateProbeException.Kind.TIMEOUT,
                "TLS handshake with " + where + " timed out after " + deadline.toMillis() + " ms",
                e);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tls-probe-deadline");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true); // probes that finish in time leave nothing queued
        return e;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Records the served chain and the delegate's verdict; never rejects. */
    private static final class CapturingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private volatile X509Certificate[] chain;
        private volatile String trustError;

        CapturingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            this.chain = chain.clone();
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException | RuntimeException e) {
                trustError = describe(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            this.chain = chain.clone();
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException | RuntimeException e) {
                trustError = describe(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = chain.clone();
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException | RuntimeException e) {
                trustError = describe(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        /** PKIX wording, but it can quote names from the peer's certificate. */
        private static String describe(Exception e) {
            String msg = e.getMessage();
            return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : RemoteText.excerpt(msg);
        }
    }
}
