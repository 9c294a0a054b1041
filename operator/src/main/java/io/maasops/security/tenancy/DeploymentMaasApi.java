package io.maasops.security.tenancy;

import io.maasops.security.api.v1alpha1.PostureMaasApi;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.port.MaasApi;
import io.maasops.security.port.PortFactory.MaasApiLookup;
import io.maasops.security.port.SecretLookup;
import io.maasops.security.port.SecretReader;
import io.maasops.security.status.Reason;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The cluster admin's MAAS API credential of one deployment (spec.posture.maasApi): only the cluster-scoped
 * VaultIntegration names it, and its Secrets are read only from the operator's own namespace, so nothing a
 * namespace author writes can make the operator use this key, or send it elsewhere. https unless the admin allowed
 * http for this deployment's MAAS API (spec.tenancy.allowInsecureMaasApi): the OAuth PLAINTEXT signature is the key.
 */
public final class DeploymentMaasApi {

    /** Not a namespace ({@code namespace/name} keys the regions' clients): upper case is no DNS label. */
    public static final String CLIENT_KEY_PREFIX = "VaultIntegration/";

    public static final String NOT_CONFIGURED = "MaasApiNotConfigured";

    /** Builds (or reuses) the client once the URL and Secrets are checked. */
    @FunctionalInterface
    public interface Connector {
        MaasApi connect(String clientKey, URI url, Secret apiKey, String caPem) throws CertificateReadException;
    }

    private DeploymentMaasApi() {}

    public static MaasApiLookup lookup(
            VaultIntegration vi, SecretReader secrets, String operatorNamespace, Connector connector) {
        PostureMaasApi api = vi.getSpec() == null || vi.getSpec().getPosture() == null
                ? null
                : vi.getSpec().getPosture().getMaasApi();
        if (api == null || api.getApiKeySecretRef() == null) {
            return MaasApiLookup.missing(NOT_CONFIGURED, "spec.posture.maasApi is not set");
        }
        String refused = refusal(vi, api.getUrl());
        if (refused != null) {
            return MaasApiLookup.missing(Refusal.INSECURE_MAAS_API, refused);
        }
        SecretLookup key = secrets.read(
                operatorNamespace,
                api.getApiKeySecretRef().getName(),
                api.getApiKeySecretRef().getKey());
        if (!key.found()) {
            return MaasApiLookup.missing(key.reason(), "spec.posture.maasApi.apiKeySecretRef: " + key.message());
        }
        String caPem = null;
        if (api.getCaSecretRef() != null) {
            SecretLookup ca = secrets.read(
                    operatorNamespace,
                    api.getCaSecretRef().getName(),
                    api.getCaSecretRef().getKey());
            if (!ca.found()) {
                return MaasApiLookup.missing(ca.reason(), "spec.posture.maasApi.caSecretRef: " + ca.message());
            }
            caPem = ca.value().reveal();
        }
        try {
            return new MaasApiLookup(
                    connector.connect(
                            CLIENT_KEY_PREFIX + vi.getMetadata().getName(),
                            URI.create(api.getUrl()),
                            Secret.of(key.value().reveal().trim()),
                            caPem),
                    null,
                    null);
        } catch (CertificateReadException e) {
            return MaasApiLookup.missing(
                    Reason.INVALID_SPEC.value(), "spec.posture.maasApi.caSecretRef: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // MaasApiKey.parse: its message never includes the key
            return MaasApiLookup.missing(
                    Reason.INVALID_CREDENTIALS.value(), "spec.posture.maasApi.apiKeySecretRef: " + e.getMessage());
        }
    }

    /** Null when the URL may carry the key. */
    static String refusal(VaultIntegration vi, String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return "spec.posture.maasApi.url is not a valid URL";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null
                || u.getRawUserInfo() != null
                || u.getRawQuery() != null
                || u.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            return "spec.posture.maasApi.url must be an http(s) URL with a host and no user info, query or fragment";
        }
        boolean httpAllowed = vi.getSpec().getTenancy() != null
                && Boolean.TRUE.equals(vi.getSpec().getTenancy().getAllowInsecureMaasApi());
        if (scheme.equals("http") && !httpAllowed) {
            return "spec.posture.maasApi.url uses http: the API key would travel in clear (its OAuth PLAINTEXT"
                    + " signature is the key); use https, or allow it with spec.tenancy.allowInsecureMaasApi";
        }
        return null;
    }
}
