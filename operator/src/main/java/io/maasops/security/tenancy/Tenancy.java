package io.maasops.security.tenancy;

import io.maasops.security.api.v1alpha1.MaasApiSpec;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.TenancySettings;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a VaultIntegration's spec.tenancy allows namespaced resources to make the operator do. Each
 * check returns the refusal, or empty when allowed. An integration without tenancy allows nothing.
 */
public final class Tenancy {

    private Tenancy() {}

    private static TenancySettings of(VaultIntegration vi) {
        TenancySettings t = vi.getSpec() == null ? null : vi.getSpec().getTenancy();
        return t == null ? new TenancySettings() : t;
    }

    private static String where(VaultIntegration vi) {
        return "VaultIntegration " + vi.getMetadata().getName();
    }

    /** The namespace is in spec.tenancy.allowedNamespaces (or that list holds "*"). */
    public static boolean namespaceAllowed(VaultIntegration vi, String namespace) {
        List<String> allowed = of(vi).getAllowedNamespaces();
        return allowed != null && namespace != null && (allowed.contains("*") || allowed.contains(namespace));
    }

    public static Optional<Refusal> namespace(VaultIntegration vi, String namespace) {
        if (namespaceAllowed(vi, namespace)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                Refusal.NAMESPACE_NOT_ALLOWED,
                "namespace " + namespace + " is not in " + where(vi)
                        + "'s spec.tenancy.allowedNamespaces: the operator does nothing for resources of this namespace in this"
                        + " deployment (no Vault call, no command, no connection). Ask the cluster admin to add it."));
    }

    /** Everything a MaasRegion's spec points the operator at, in the order a person would fix it. */
    public static Optional<Refusal> region(VaultIntegration vi, String namespace, MaasRegionSpec spec) {
        Optional<Refusal> ns = namespace(vi, namespace);
        if (ns.isPresent()) {
            return ns;
        }
        if (spec.getAccess() != null && spec.getAccess().getSsh() != null) {
            Optional<Refusal> ssh = sshHost(vi, spec.getAccess().getSsh().getHost());
            if (ssh.isPresent()) {
                return ssh;
            }
        }
        if (spec.getApi() != null) {
            Optional<Refusal> api = maasApi(vi, spec.getApi());
            if (api.isPresent()) {
                return api;
            }
        }
        if (spec.getTls() != null
                && spec.getTls().getEndpoint() != null
                && !spec.getTls().getEndpoint().isEmpty()) {
            return tlsEndpoint(vi, spec.getTls().getEndpoint());
        }
        return Optional.empty();
    }

    /** spec.access.ssh.host against spec.tenancy.allowedSshHosts (empty list: any host). */
    public static Optional<Refusal> sshHost(VaultIntegration vi, String host) {
        List<String> allowed = of(vi).getAllowedSshHosts();
        if (allowed == null || allowed.isEmpty() || sshHostAllowed(allowed, host)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                Refusal.SSH_HOST_NOT_ALLOWED,
                "spec.access.ssh.host " + host + " is not in " + where(vi) + "'s spec.tenancy.allowedSshHosts"));
    }

    static boolean sshHostAllowed(List<String> allowed, String host) {
        if (host == null) {
            return false;
        }
        var ip = Addresses.ipLiteral(host);
        for (String entry : allowed) {
            if (entry.indexOf('/') >= 0) {
                if (ip.isPresent() && Addresses.inCidr(ip.get(), entry)) {
                    return true;
                }
            } else if (ip.isPresent()) {
                var e = Addresses.ipLiteral(entry);
                if (e.isPresent() && java.util.Arrays.equals(e.get(), ip.get())) {
                    return true;
                }
            } else if (Addresses.ipLiteral(entry).isEmpty() && Addresses.hostMatches(entry, host)) {
                return true;
            }
        }
        return false;
    }

    /** spec.api.url: https (or http when allowed), no user info/query/fragment, within spec.tenancy.allowedMaasApiUrls. */
    public static Optional<Refusal> maasApi(VaultIntegration vi, MaasApiSpec api) {
        TenancySettings t = of(vi);
        URI url;
        try {
            url = new URI(api.getUrl());
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of(new Refusal(Refusal.MAAS_API_URL_NOT_ALLOWED, "spec.api.url is not a valid URL"));
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null
                || url.getRawUserInfo() != null
                || url.getRawQuery() != null
                || url.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of(new Refusal(
                    Refusal.MAAS_API_URL_NOT_ALLOWED,
                    "spec.api.url must be an http(s) URL with a host and no user info, query or fragment"));
        }
        if (scheme.equals("http") && !Boolean.TRUE.equals(t.getAllowInsecureMaasApi())) {
            return Optional.of(new Refusal(
                    Refusal.INSECURE_MAAS_API,
                    "spec.api.url uses http: MAAS's API key would travel in"
                            + " clear (its OAuth PLAINTEXT signature is the key). Use https, or ask the cluster admin to set "
                            + where(vi) + "'s spec.tenancy.allowInsecureMaasApi"));
        }
        List<String> allowed = t.getAllowedMaasApiUrls();
        if (allowed == null || allowed.isEmpty() || allowed.stream().anyMatch(p -> urlWithin(p, url))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                Refusal.MAAS_API_URL_NOT_ALLOWED,
                "spec.api.url " + api.getUrl() + " is not within " + where(vi) + "'s spec.tenancy.allowedMaasApiUrls"));
    }

    /** Same scheme, host (case-insensitive) and port, and the path starts with the prefix's path at a segment boundary. */
    static boolean urlWithin(String prefix, URI url) {
        URI p;
        try {
            p = new URI(prefix);
        } catch (URISyntaxException e) {
            return false;
        }
        if (p.getScheme() == null
                || p.getHost() == null
                || !p.getScheme().equalsIgnoreCase(url.getScheme())
                || !p.getHost().equalsIgnoreCase(url.getHost())
                || port(p) != port(url)) {
            return false;
        }
        String pp = p.getRawPath() == null ? "" : p.getRawPath();
        String up = url.getRawPath() == null ? "" : url.getRawPath();
        if (pp.isEmpty() || pp.equals("/")) {
            return true;
        }
        if (up.contains("/../") || up.endsWith("/..") || up.contains("/./")) {
            return false;
        }
        String base = pp.endsWith("/") ? pp.substring(0, pp.length() - 1) : pp;
        return up.equals(base) || up.startsWith(base + "/");
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** spec.tls.endpoint against spec.tenancy.allowedTlsEndpoints (empty list: any endpoint). */
    public static Optional<Refusal> tlsEndpoint(VaultIntegration vi, String endpoint) {
        List<String> allowed = of(vi).getAllowedTlsEndpoints();
        if (allowed == null || allowed.isEmpty() || endpointAllowed(allowed, endpoint)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                Refusal.TLS_ENDPOINT_NOT_ALLOWED,
                "spec.tls.endpoint " + endpoint + " is not in " + where(vi) + "'s spec.tenancy.allowedTlsEndpoints"));
    }

    static boolean endpointAllowed(List<String> allowed, String endpoint) {
        int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = endpoint.substring(0, colon);
        String port = endpoint.substring(colon + 1);
        for (String entry : allowed) {
            int c = entry.lastIndexOf(':');
            if (c > 0 && entry.substring(c + 1).equals(port) && Addresses.hostMatches(entry.substring(0, c), host)) {
                return true;
            }
        }
        return false;
    }

    /** A RoleBinding of role Administrator needs spec.tenancy.allowAdministratorBindings. */
    public static Optional<Refusal> roleBinding(VaultIntegration vi, String namespace, MaasRole role) {
        Optional<Refusal> ns = namespace(vi, namespace);
        if (ns.isPresent()) {
            return ns;
        }
        if (role == MaasRole.Administrator && !Boolean.TRUE.equals(of(vi).getAllowAdministratorBindings())) {
            return Optional.of(new Refusal(
                    Refusal.ADMINISTRATOR_NOT_ALLOWED,
                    "role Administrator gives MAAS-wide"
                            + " administrator rights; " + where(vi) + " does not allow Administrator bindings"
                            + " (spec.tenancy.allowAdministratorBindings): nothing was changed in MAAS"));
        }
        return Optional.empty();
    }
}
