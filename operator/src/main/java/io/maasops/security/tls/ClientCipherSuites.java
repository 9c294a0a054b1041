package io.maasops.security.tls;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The operator's TLS clients (Kubernetes API, Vault, MAAS API) offer ChaCha20-Poly1305 first. The image runs
 * the JVM with C1 only ({@code -XX:TieredStopAtLevel=1}, for its memory), and C1 has no AES-GCM intrinsic:
 * measured on this machine type, software AES-GCM encrypts 30-47 MB/s and ChaCha20-Poly1305 160-220 MB/s, and
 * AES-GCM was a tenth of the operator's CPU at 1000 regions, mostly on its watch streams. Go's {@code crypto/tls}
 * (kube-apiserver, Vault) picks ChaCha20-Poly1305 when the client lists it first (docs/reference/tls.md).
 *
 * <p>Only the order changes: the offered suites are exactly the JDK's default enabled ones, TLS versions and
 * certificate and hostname verification are as before.
 */
public final class ClientCipherSuites {

    private static final List<String> ORDER = preferred(defaults());

    private ClientCipherSuites() {}

    /** The JDK's default enabled suites, ChaCha20-Poly1305 ones first, each group in the JDK's order. */
    public static String[] order() {
        return ORDER.toArray(String[]::new);
    }

    /** {@code params} (its protocols and the rest untouched) offering {@link #order()}. */
    public static SSLParameters applied(SSLParameters params) {
        params.setCipherSuites(order());
        return params;
    }

    /** The JDK's default client parameters, offering {@link #order()}. */
    public static SSLParameters parameters() {
        return applied(defaultContext().getDefaultSSLParameters());
    }

    static List<String> preferred(String[] suites) {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String s : suites) {
            (s.contains("_CHACHA20_POLY1305_") ? first : rest).add(s);
        }
        first.addAll(rest);
        return List.copyOf(first);
    }

    private static String[] defaults() {
        return defaultContext().getDefaultSSLParameters().getCipherSuites();
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
