package io.maasops.security.concern.groups;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.port.MaasApi;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.SecretReader;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.Refusal;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.tls.CertificateReadException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The MAAS API of a RoleBinding's region, or why there is none: the region and its integration must
 * exist, the integration must allow the namespace and the API URL (no MAAS call otherwise), and the
 * region's API key Secret must be readable.
 */
public record MaasConnection(
        MaasApi client, String apiUrl, VaultIntegration integration, String reason, String message, Duration recheck) {

    static MaasConnection problem(String reason, String message, Duration recheck) {
        return new MaasConnection(null, null, null, reason, message, recheck);
    }

    static MaasConnection problem(Reason reason, String message, Duration recheck) {
        return problem(reason.value(), message, recheck);
    }

    public boolean connected() {
        return client != null;
    }

    /** A tenancy refusal: the deployment does not let this namespace (or API URL) use the operator. */
    public boolean refused() {
        return Refusal.NAMESPACE_NOT_ALLOWED.equals(reason)
                || Refusal.MAAS_API_URL_NOT_ALLOWED.equals(reason)
                || Refusal.INSECURE_MAAS_API.equals(reason);
    }

    public static MaasConnection connect(
            RoleBinding binding,
            Optional<MaasRegion> region,
            Optional<VaultIntegration> vi,
            PortFactory ports,
            Duration missingReferenceRecheck) {
        String ns = binding.getMetadata().getNamespace();
        if (binding.getSpec().getMaasRegionRef() == null
                || binding.getSpec().getMaasRegionRef().getName() == null) {
            return problem(Reason.INVALID_SPEC, "spec.maasRegionRef.name is required", null);
        }
        if (region.isEmpty()) {
            return problem(
                    Reason.MAAS_REGION_NOT_FOUND,
                    "MaasRegion " + ns + "/"
                            + binding.getSpec().getMaasRegionRef().getName() + " does not exist",
                    null);
        }
        var api = region.get().getSpec() == null ? null : region.get().getSpec().getApi();
        String regionName = region.get().getMetadata().getName();
        if (api == null || api.getApiKeySecretRef() == null || api.getUrl() == null) {
            return problem(
                    Reason.MAAS_API_NOT_CONFIGURED,
                    "MaasRegion " + ns + "/" + regionName + " has no spec.api: the binding needs the MAAS API",
                    null);
        }
        if (vi.isEmpty()) {
            return problem(
                    Reason.VAULT_INTEGRATION_NOT_FOUND,
                    "MaasRegion " + regionName + " refers to VaultIntegration "
                            + (region.get().getSpec().getVaultIntegrationRef() == null
                                    ? "(none)"
                                    : region.get()
                                            .getSpec()
                                            .getVaultIntegrationRef()
                                            .getName())
                            + ", which does not exist",
                    null);
        }
        // no MAAS call for a namespace the deployment does not allow, nor to an API URL it does not allow
        var refused = Tenancy.namespace(vi.get(), ns).or(() -> Tenancy.maasApi(vi.get(), api));
        if (refused.isPresent()) {
            return problem(refused.get().reason(), refused.get().message(), null);
        }
        return open(ns, regionName, api, vi.get(), ports, missingReferenceRecheck);
    }

    private static MaasConnection open(
            String ns,
            String regionName,
            io.maasops.security.api.v1alpha1.MaasApiSpec api,
            VaultIntegration vi,
            PortFactory ports,
            Duration recheck) {
        SecretReader secrets = ports.secrets();
        var key = secrets.read(
                ns, api.getApiKeySecretRef().getName(), api.getApiKeySecretRef().getKey());
        if (!key.found()) {
            return problem(
                    key.reason(), "MaasRegion " + regionName + " spec.api.apiKeySecretRef: " + key.message(), recheck);
        }
        String ca = null;
        if (api.getCaSecretRef() != null) {
            var caLookup = secrets.read(
                    ns, api.getCaSecretRef().getName(), api.getCaSecretRef().getKey());
            if (!caLookup.found()) {
                return problem(
                        caLookup.reason(),
                        "MaasRegion " + regionName + " spec.api.caSecretRef: " + caLookup.message(),
                        recheck);
            }
            ca = caLookup.value().reveal();
        }
        try {
            // keyed like the MaasRegion's own client, so both share one client per region
            MaasApi client = ports.maasApi(ns + "/" + regionName, URI.create(api.getUrl()), key.value(), ca);
            return new MaasConnection(client, normalise(api.getUrl()), vi, null, null, null);
        } catch (CertificateReadException e) {
            return problem(
                    Reason.MAAS_API_NOT_CONFIGURED,
                    "MaasRegion " + regionName + " spec.api.caSecretRef: " + e.getMessage(),
                    null);
        } catch (IllegalArgumentException e) {
            return problem(
                    Reason.MAAS_API_NOT_CONFIGURED, "MaasRegion " + regionName + " spec.api: " + e.getMessage(), null);
        }
    }

    /** The API URL without trailing slashes: two bindings on one MAAS compare equal. */
    public static String normalise(String url) {
        if (url == null) {
            return null;
        }
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
