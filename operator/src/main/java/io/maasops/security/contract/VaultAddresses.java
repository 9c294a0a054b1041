package io.maasops.security.contract;

import io.maasops.security.api.v1alpha1.VaultConnection;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import java.util.Optional;

/** The cluster admin's rule for plain-http Vault addresses (spec.vault.allowInsecureHttp). */
public final class VaultAddresses {

    private VaultAddresses() {}

    /** Why an http:// address may not be used: spec.vault.allowInsecureHttp is not set. */
    public static Optional<String> insecureHttpRefused(VaultConnection vault) {
        if (Boolean.TRUE.equals(vault.getAllowInsecureHttp())) {
            return Optional.empty();
        }
        for (String field : new String[] {"address", "regionAddress"}) {
            String a = field.equals("address") ? vault.getAddress() : vault.getRegionAddress();
            if (a != null && a.regionMatches(true, 0, "http://", 0, 7)) {
                return Optional.of(
                        "spec.vault." + field + " uses http: the operator's Vault token and the regions' secret-ids"
                                + " would travel unencrypted. Use https, or set spec.vault.allowInsecureHttp for a lab");
            }
        }
        return Optional.empty();
    }

    /** Which of the addresses is plain http (allowed by spec.vault.allowInsecureHttp), for the InsecureTransport condition. */
    public static Optional<String> plainHttpInUse(VaultIntegration vi) {
        var vault = vi.getSpec().getVault();
        boolean op = vault.getAddress() != null && vault.getAddress().regionMatches(true, 0, "http://", 0, 7);
        String ra = vault.getRegionAddress() == null || vault.getRegionAddress().isEmpty()
                ? vault.getAddress()
                : vault.getRegionAddress();
        boolean regions = ra != null && ra.regionMatches(true, 0, "http://", 0, 7);
        if (!op && !regions) {
            return Optional.empty();
        }
        return Optional.of((op && regions
                        ? "the operator and the regions reach"
                        : op ? "the operator reaches" : "the regions reach")
                + " Vault over plain http (spec.vault.allowInsecureHttp): tokens and secret-ids travel unencrypted");
    }
}
