package io.maasops.security.testing.fakes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.port.CertificateProbe;
import io.maasops.security.port.EventSink;
import io.maasops.security.port.MaasApi;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.RegionShell;
import io.maasops.security.port.SecretLookup;
import io.maasops.security.port.SecretReader;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.status.Reason;
import io.maasops.security.tls.CertificateProbeException;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port factory of the fast tier: one {@link FakeVault}, a {@link FakeRegionShell} per hostname, a
 * {@link FakeMaasApi}, Secrets in a map, and the Events recorded. No socket, no thread.
 */
public final class FakePorts implements PortFactory {

    public final FakeVault vault = new FakeVault();
    public final FakeMaasApi maas = new FakeMaasApi();
    /** The deployment's own MAAS API (spec.posture.maasApi), apart from the regions' {@link #maas}. */
    public final FakeMaasApi deploymentMaas = new FakeMaasApi();
    /** The operator's own namespace, where spec.posture.maasApi's Secrets are read. */
    public static final String OPERATOR_NAMESPACE = "maas-security-system";
    /** "clientKey url" of every deployment MAAS API client built. */
    public final List<String> deploymentMaasConnections = new ArrayList<>();
    /** Builds the deployment's MAAS API client: {@link #deploymentMaas} by default; a test may reach a MaasApiDouble. */
    public io.maasops.security.tenancy.DeploymentMaasApi.Connector deploymentConnector = (key, url, apiKey, ca) -> {
        io.maasops.security.maas.MaasApiKey.parse(apiKey.reveal());
        return deploymentMaas;
    };

    public final Map<String, FakeRegionShell> shells = new LinkedHashMap<>();
    /** "namespace/name/key" -> value */
    public final Map<String, String> secrets = new LinkedHashMap<>();

    public final List<String> events = new ArrayList<>();
    /** Cached clients the controllers asked to forget ("vault NAME", "maas KEY"). */
    public final List<String> forgotten = new ArrayList<>();

    public final List<String> secretReads = new ArrayList<>();
    /** When set, the integration has no Vault (e.g. its token Secret is missing). */
    public VaultLookup vaultMissing;

    public FakePorts secret(String namespace, String name, String key, String value) {
        secrets.put(namespace + "/" + name + "/" + key, value);
        return this;
    }

    public FakeRegionShell shell(String hostname) {
        return shells.computeIfAbsent(hostname, h -> new FakeRegionShell(h, MaasPackaging.SNAP));
    }

    @Override
    public VaultLookup vault(VaultIntegration integration) {
        return vaultMissing != null ? vaultMissing : new VaultLookup(vault, null, null);
    }

    @Override
    public MaasApiLookup deploymentMaasApi(VaultIntegration integration) {
        return io.maasops.security.tenancy.DeploymentMaasApi.lookup(
                integration, secrets(), OPERATOR_NAMESPACE, (key, url, apiKey, ca) -> {
                    deploymentMaasConnections.add(key + " " + url);
                    return deploymentConnector.connect(key, url, apiKey, ca);
                });
    }

    @Override
    public void forgetVault(String integration) {
        forgotten.add("vault " + integration);
    }

    @Override
    public RegionShell shell(MaasRegion region, Optional<Secret> privateKey, Optional<Secret> knownHosts) {
        if (region.getSpec().getAccess().getSsh() != null && (privateKey.isEmpty() || knownHosts.isEmpty())) {
            throw new IllegalStateException(
                    "an SSH shell without its key or known_hosts"); // as RegionAccess: orElseThrow
        }
        return shell(region.getSpec().getHostname());
    }

    @Override
    public MaasApi maasApi(String regionKey, URI url, Secret apiKey, String caPem) {
        return maas;
    }

    @Override
    public void forgetMaasApi(String regionKey) {
        forgotten.add("maas " + regionKey);
    }

    @Override
    public SecretReader secrets() {
        return (namespace, name, key) -> {
            secretReads.add(namespace + "/" + name);
            if (secrets.keySet().stream().noneMatch(k -> k.startsWith(namespace + "/" + name + "/"))) {
                return SecretLookup.missing(
                        Reason.SECRET_NOT_FOUND.value(), "Secret " + namespace + "/" + name + " does not exist");
            }
            String v = secrets.get(namespace + "/" + name + "/" + key);
            return v == null
                    ? SecretLookup.missing(
                            Reason.SECRET_KEY_NOT_FOUND.value(), "Secret " + name + " has no key \"" + key + "\"")
                    : new SecretLookup(Secret.of(v), null, null);
        };
    }

    @Override
    public CertificateProbe certificateProbe() {
        return endpoint -> {
            throw new CertificateProbeException(
                    CertificateProbeException.Kind.CONNECT_FAILED, "no endpoint in the fast tier: " + endpoint, null);
        };
    }

    @Override
    public EventSink events() {
        return new EventSink() {
            @Override
            public void normal(HasMetadata on, String reason, String message) {
                events.add("Normal " + reason + ": " + message);
            }

            @Override
            public void warning(HasMetadata on, String reason, String message) {
                events.add("Warning " + reason + ": " + message);
            }
        };
    }
}
