package io.maasops.security.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.maasops.security.tls.ClientCipherSuites;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * fabric8's JDK HTTP client, offering the cipher suites in {@link ClientCipherSuites}' order. fabric8 sets the
 * TLS versions through {@code sslParameters} and the trust (the kubeconfig's CA) through {@code sslContext};
 * both pass through unchanged, only the suites' order is added.
 */
public final class OperatorHttpClientFactory extends JdkHttpClientFactory {

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
        return new SuitesInOrder(super.createNewHttpClientBuilder());
    }

    /** A builder that gives every {@code sslParameters} (or, if none is set, the defaults) the operator's order. */
    static final class SuitesInOrder implements HttpClient.Builder {
        private final HttpClient.Builder delegate;
        private boolean parametersSet;

        SuitesInOrder(HttpClient.Builder delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters params) {
            parametersSet = true;
            delegate.sslParameters(ClientCipherSuites.applied(params));
            return this;
        }

        @Override
        public HttpClient build() {
            if (!parametersSet) {
                delegate.sslParameters(ClientCipherSuites.parameters());
            }
            return delegate.build();
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }
    }
}
