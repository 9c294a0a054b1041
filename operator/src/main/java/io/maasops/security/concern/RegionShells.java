package io.maasops.security.concern;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.RegionShell;
import io.maasops.security.port.SecretReader;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.util.Secret;
import java.util.Optional;

/** MAAS's CLI on another resource's region controller (an integration asking one of its regions), with that region's own access Secrets. */
public final class RegionShells {

    private RegionShells() {}

    /** Throws {@link RegionAccessException} (INVALID_CREDENTIALS, never run) when the region's SSH Secrets cannot be read. */
    public static RegionShell open(MaasRegion region, PortFactory ports, SecretReader secrets) {
        Optional<Secret> key = Optional.empty();
        Optional<Secret> knownHosts = Optional.empty();
        var ssh = region.getSpec().getAccess().getSsh();
        if (ssh != null) {
            String ns = region.getMetadata().getNamespace();
            key = Optional.ofNullable(secrets.read(
                            ns,
                            ssh.getPrivateKeySecretRef().getName(),
                            ssh.getPrivateKeySecretRef().getKey())
                    .value());
            knownHosts = Optional.ofNullable(secrets.read(
                            ns,
                            ssh.getKnownHostsSecretRef().getName(),
                            ssh.getKnownHostsSecretRef().getKey())
                    .value());
            if (key.isEmpty() || knownHosts.isEmpty()) {
                throw new RegionAccessException(
                        RegionAccessException.Kind.INVALID_CREDENTIALS,
                        "the SSH Secrets of MaasRegion " + region.getMetadata().getName() + " cannot be read");
            }
        }
        return ports.shell(region, key, knownHosts);
    }
}
