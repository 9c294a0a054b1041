package io.maasops.security.tls;

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
 */
public final class EndpointCertificateProbe {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  private final X509ExtendedTrustManager trust;
  private final Duration connectTimeout;
  private final Duration handshakeTimeout;

  /** Judges trust against the JDK default trust store. */
  public EndpointCertificateProbe() {
    this(TrustAnchors.jdkDefault(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);
  }

  public EndpointCertificateProbe(
      X509ExtendedTrustManager trust, Duration connectTimeout, Duration handshakeTimeout) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
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
  public ObservedCertificate probe(String connectHost, int port, String serverName)
      throws CertificateProbeException {
    CapturingTrustManager capturing = new CapturingTrustManager(trust);
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {capturing}, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise TLS", e);
    }
    String where = connectHost + ":" + port;
    try (Socket plain = new Socket()) {
      try {
        plain.connect(new InetSocketAddress(connectHost, port), millis(connectTimeout));
      } catch (SocketTimeoutException e) {
        throw new CertificateProbeException(
            CertificateProbeException.Kind.TIMEOUT,
            "connect to " + where + " timed out after " + connectTimeout.toMillis() + " ms",
            e);
      } catch (IOException e) {
        throw new CertificateProbeException(
            CertificateProbeException.Kind.CONNECT_FAILED,
            "cannot connect to " + where + ": " + e.getMessage(),
            e);
      }
      plain.setSoTimeout(millis(handshakeTimeout));
      try (SSLSocket ssl =
          (SSLSocket) ctx.getSocketFactory().createSocket(plain, serverName, port, true)) {
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
      throw new CertificateProbeException(
          CertificateProbeException.Kind.TIMEOUT,
          "TLS handshake with " + where + " timed out after " + handshakeTimeout.toMillis() + " ms",
          e);
    } catch (IOException e) {
      if (capturing.chain == null) {
        throw new CertificateProbeException(
            CertificateProbeException.Kind.HANDSHAKE_FAILED,
            "TLS handshake with " + where + " failed: " + e.getMessage(),
            e);
      }
      // The chain was captured; a failure after that (e.g. close) does not lose the observation.
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
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }

    private static String describe(Exception e) {
      String msg = e.getMessage();
      return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }
  }
}
