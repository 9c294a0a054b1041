package io.maasops.security.concern.vaultsetup;

import io.maasops.security.api.v1alpha1.DeletionPolicy;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.Names;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.VaultPort;
import io.maasops.security.tenancy.Tenancy;
import java.util.Collection;

/**
 * What deleting a VaultIntegration does in Vault, by spec.deletionPolicy. Retain: nothing (the roles
 * stay; MAAS keeps working). Delete: the roles (with their secret-ids) of the regions of allowed
 * namespaces that still refer to it, by the names derived from each region's identity (never a name
 * read from status). The regions' policy is the Vault admin's and stays; MAAS's migrated secrets are
 * never deleted.
 */
public final class IntegrationCleanup {

    private final PortFactory ports;

    public IntegrationCleanup(PortFactory ports) {
        this.ports = ports;
    }

    /**
     * @return a message for an event
     * @throws io.maasops.security.vault.VaultException while Vault cannot do it (the finalizer stays; retried)
     */
    public String cleanup(VaultIntegration vi, Collection<MaasRegion> regions) {
        if (vi.getSpec() == null || vi.getSpec().getDeletionPolicy() != DeletionPolicy.Delete) {
            return "deletionPolicy Retain: the regions' AppRoles were kept";
        }
        var lookup = ports.vault(vi);
        if (!lookup.found()) {
            return "deletionPolicy Delete, but Vault cannot be reached without credentials (" + lookup.message()
                    + "): the regions' AppRoles were kept";
        }
        VaultPort vault = lookup.vault();
        String mount = Names.APPROLE_MOUNT;
        int roles = 0;
        for (MaasRegion r : regions) {
            if (r.getSpec() == null
                    || Tenancy.region(vi, r.getMetadata().getNamespace(), r.getSpec())
                            .isPresent()) {
                continue;
            }
            if (vault.removeRoleWithSecretIds(mount, Names.roleName(r))) {
                roles++;
            }
        }
        return "deletionPolicy Delete: removed " + roles + " region AppRole(s) and their secret-ids; the policy "
                + Names.policyName(vi) + " (the Vault admin's) and MAAS's secrets in Vault were kept";
    }
}
