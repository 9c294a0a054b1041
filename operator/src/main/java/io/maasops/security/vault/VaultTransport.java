package io.maasops.security.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.tls.ClientCipherSuites;
import io.maasops.security.util.BoundedHttp;
import io.maasops.security.util.CallOutcome;
import io.maasops.security.util.CallTiming;
import io.maasops.security.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Vault's HTTP wire format (docs/reference/vault-api.md §1, §7, §10), and the only place that speaks it: every request
 * carries {@code X-Vault-Request: true}, {@code X-Vault-Token} when it acts as someone, {@code X-Vault-Namespace}
 * only when one is configured, {@code X-Vault-Wrap-TTL} when the answer is to be wrapped; bodies are JSON; LIST
 * is {@code GET ?list=true}. HTTP/1.1, redirects never followed (a redirect would carry the token to whatever
 * the answer names), TLS verified against the JVM trust store or exactly the given CA. Each request has a
 * whole-request deadline and a size cap ({@link BoundedHttp}). Status codes are returned, not judged: that is
 * the job of the operations classes ({@link VaultSysOperations}, {@link VaultAppRoleOperations},
 * {@link VaultKvOperations}) with {@link VaultReplies}.
 */
final class VaultTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEX = "0123456789ABCDEF";

    /** Status and whole body of one answer. */
    record Response(int status, byte[] body) {}

    private final VaultConnectionSettings settings;
    private final HttpClient http;
    private final String base;
    private final CallTiming timing;

    VaultTransport(VaultConnectionSettings settings) {
        this(settings, CallTiming.NONE);
    }

    /** @param timing told the duration of every request, by the gateway's operation name and its outcome */
    VaultTransport(VaultConnectionSettings settings, CallTiming timing) {
        this.settings = settings;
        this.timing = timing;
        this.base = settings.baseAddress() + "/v1/";
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslParameters(ClientCipherSuites.parameters());
        if (settings.caPem() != null) {
            b.sslContext(trusting(settings.caPem()));
        }
        this.http = b.build();
        if (settings.namespace() != null) {
            requireHeaderSafe(settings.namespace(), "the Vault namespace");
        }
    }

    Response get(String operation, String path, Secret token) throws IOException {
        return send(operation, "GET", path, false, token, null, null);
    }

    Response list(String operation, String path, Secret token) throws IOException {
        return send(operation, "GET", path, true, token, null, null);
    }

    /** POST with a JSON body (null: no body). */
    Response post(String operation, String path, Secret token, JsonNode body) throws IOException {
        return send(operation, "POST", path, false, token, body, null);
    }

    /** POST whose answer Vault wraps in a single-use token living {@code wrapTtl} (§7). */
    Response postWrapped(String operation, String path, Secret token, JsonNode body, Duration wrapTtl)
            throws IOException {
        return send(operation, "POST", path, false, token, body, wrapTtl);
    }

    Response delete(String operation, String path, Secret token) throws IOException {
        return send(operation, "DELETE", path, false, token, null, null);
    }

    private Response send(
            String operation, String method, String path, boolean list, Secret token, JsonNode body, Duration wrapTtl)
            throws IOException {
        URI uri = URI.create(base + encode(checkPath(path)) + (list ? "?list=true" : ""));
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).header("X-Vault-Request", "true");
        if (token != null) {
            rb.header("X-Vault-Token", requireHeaderSafe(token.reveal(), "the Vault token"));
        }
        if (settings.namespace() != null) {
            rb.header("X-Vault-Namespace", settings.namespace());
        }
        if (wrapTtl != null) {
            rb.header("X-Vault-Wrap-TTL", Long.toString(wrapTtl.getSeconds()));
        }
        if (body != null) {
            rb.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> r;
        try {
            r = BoundedHttp.send(http, rb.build(), settings.requestTimeout(), settings.maxResponseBytes());
        } catch (IOException | RuntimeException e) {
            timing.recordSafely(operation, CallOutcome.ofFailure(e), start);
            throw e;
        }
        timing.recordSafely(operation, CallOutcome.ofStatus(r.statusCode()), start);
        return new Response(r.statusCode(), r.body());
    }

    /**
     * Refuses what could make a request reach another path than the one written in the gateway: a query or
     * fragment, a dot-dot or empty segment, a control character. Names are checked by the gateway already;
     * this holds even if a later caller forgets.
     */
    static String checkPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("invalid Vault request path (empty or absolute)");
        }
        if (path.contains("?") || path.contains("#") || path.contains("..") || path.contains("//")) {
            throw new IllegalArgumentException("invalid Vault request path (contains '?', '#', '..' or '//')");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("invalid Vault request path (contains a control character)");
            }
        }
        return path;
    }

    /** Percent-encodes (UTF-8) everything but unreserved characters, sub-delimiters, ':', '@' and '/'. */
    private static String encode(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
        return out.toString();
    }

    /** The JDK would quote a refused header value in its exception: check first, and say only what it was. */
    private static String requireHeaderSafe(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(
                        what + " contains a character that cannot be sent in an HTTP header");
            }
        }
        return value;
    }

    /** An SSLContext that trusts exactly the given PEM certificate(s); host names are still verified. */
    static SSLContext trusting(String pem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in the CA PEM");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid Vault CA PEM: " + e.getMessage(), e);
        }
    }
}
