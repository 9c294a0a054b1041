package io.maasops.security.concern.vaultsetup;

import io.maasops.security.api.v1alpha1.PolicyStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.contract.Names;
import io.maasops.security.port.VaultSys;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import io.maasops.security.vault.MaasPolicy;
import java.util.Optional;

/** The last step of {@link VaultSetup}: the regions' Vault policy, as status.policy and the PolicyReady condition. */
final class RegionPolicyCheck {

    private RegionPolicyCheck() {}

    /**
     * The regions' policy is the Vault admin's (the operator's own policy cannot write policies): it
     * must exist and be exactly MAAS's minimal policy for spec.secrets, and must not be one of the
     * operator's own policies (regions would inherit the operator's rights).
     */
    static ConditionValue check(VaultIntegration vi, VaultIntegrationStatus status, VaultSys vault) {
        String name = Names.policyName(vi);
        String path = vi.getSpec().getSecrets().getMount() + "/data/"
                + vi.getSpec().getSecrets().getPath() + "/*";
        String wanted = MaasPolicy.render(
                vi.getSpec().getSecrets().getMount(), vi.getSpec().getSecrets().getPath());
        PolicyStatus ps = new PolicyStatus();
        ps.setName(name);
        ps.setExpected(wanted);
        status.setPolicy(ps);
        if (vault.lookupSelf().policies().stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
            ps.setState(null);
            return ConditionValue.isFalse(
                    VaultSetup.POLICY_READY,
                    Reason.POLICY_IS_OPERATORS_OWN.value(),
                    "spec.policyName " + name
                            + " is one of the operator's own Vault policies: every region (and whoever holds a region's secret-id) would get the"
                            + " operator's rights. Name a policy that holds only MAAS's minimal policy");
        }
        Optional<String> current = vault.readPolicy(name);
        if (current.isEmpty()) {
            ps.setState("Missing");
            return ConditionValue.isFalse(
                    VaultSetup.POLICY_READY,
                    Reason.POLICY_MISSING.value(),
                    "Vault policy " + name + " does not exist. The Vault admin"
                            + " creates it with MAAS's minimal policy for " + path + ": kubectl get vaultintegration "
                            + vi.getMetadata().getName()
                            + " -o jsonpath='{.status.policy.expected}' | vault policy write " + name + " -");
        }
        if (!MaasPolicy.sameRules(current.get(), wanted)) {
            ps.setState("Differs");
            return ConditionValue.isFalse(
                    VaultSetup.POLICY_READY,
                    Reason.POLICY_DIFFERS.value(),
                    "Vault policy " + name + " is not MAAS's minimal policy for "
                            + path
                            + " (regions would get other rights than MAAS needs). The Vault admin restores it from status.policy.expected,"
                            + " or sets spec.policyName to a policy of this deployment's own");
        }
        ps.setState("Matches");
        return ConditionValue.isTrue(
                VaultSetup.POLICY_READY,
                Reason.MATCHES.value(),
                "policy " + name + " grants MAAS's minimal access to " + path);
    }
}
