package io.maasops.security.port;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.util.Optional;

/**
 * Where the controllers and concerns get their ports: production builds the adapters (connections and
 * logins are cached across reconciles), tests pass in-memory fakes.
 */
public interface PortFactory {

    /** Either a Vault, or the reason and message of why there is none (for a condition). */
    record VaultLookup(VaultPort vault, String reason, String message) {
        public boolean found() {
            return vault != null;
        }

        public static VaultLookup missing(String reason, String message) {
            return new VaultLookup(null, reason, message);
        }
    }

    /** Either the deployment's own MAAS API (spec.posture.maasApi), or why there is none (for the posture). */
    record MaasApiLookup(MaasApi api, String reason, String message) {
        public boolean found() {
            return api != null;
        }

        public static MaasApiLookup missing(String reason, String message) {
            return new MaasApiLookup(null, reason, message);
        }
    }

    /**
     * The integration's own MAAS API for its posture: spec.posture.maasApi with its Secrets in the operator's own
     * namespace (the cluster admin's credential; never a MaasRegion's key, never a namespace author's Secret).
     */
    MaasApiLookup deploymentMaasApi(VaultIntegration integration);

    /** The integration's Vault, with the operator's identity from Secrets in the operator's own namespace. */
    VaultLookup vault(VaultIntegration integration);

    /** Forgets a deleted integration's cached Vault connection and login. */
    void forgetVault(String integration);

    /**
     * MAAS's CLI on the region's controller, by SSH or pod exec as its spec says.
     *
     * @param privateKey the SSH private key (absent for pod exec)
     * @param knownHosts the known_hosts text (absent for pod exec)
     */
    RegionShell shell(MaasRegion region, Optional<Secret> privateKey, Optional<Secret> knownHosts);

    /** One client per region ("namespace/name"), reused while its URL, key and CA stay the same. */
    MaasApi maasApi(String regionKey, URI url, Secret apiKey, String caPem) throws CertificateReadException;

    void forgetMaasApi(String regionKey);

    /** A reader for one reconcile (each Secret fetched at most once). */
    SecretReader secrets();

    CertificateProbe certificateProbe();

    EventSink events();
}
