package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MaasApiSpec;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasController;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.SecretLookup;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.tls.CertificateReadException;
import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * MAAS's unconfigured list, told apart. MAAS lists every controller whose ControllerInfo row says {@code
 * vault_configured=False} (config_vault.py {@code _get_unconfigured_regions}, no node-type filter, 3.3 … 3.8) and a
 * rack-only controller has such a row from its registration (rpc/rackcontrollers.py) that nothing ever sets: only a
 * region marks itself configured ({@code configure}, start_up.py). A hostname no MaasRegion declares is therefore a
 * region nobody configured or a rack-only controller; the MAAS API tells which ({@code GET rackcontrollers/},
 * node_type 2), asked with the {@code spec.api} of a declared region (the first by name that has one, within its
 * tenancy). The answer only changes what the status says: MAAS refuses {@code migrate} either way, so an API that
 * lies cannot make the operator run anything.
 */
final class UnconfiguredControllers {

    private final PortFactory ports;

    UnconfiguredControllers(PortFactory ports) {
        this.ports = ports;
    }

    SecretMigration.Result blocked(
            VaultIntegration vi, MigrationStatus m, Collection<String> unconfigured, Collection<MaasRegion> regions) {
        // MAAS's words (config_vault.py): "Vault is not configured for regions: h1, h2"
        String maas = MigrationOutcome.REGIONS_UNCONFIGURED_PREFIX + String.join(", ", unconfigured);
        Set<String> declared =
                regions.stream().map(r -> r.getSpec().getHostname()).collect(Collectors.toSet());
        List<String> undeclared =
                unconfigured.stream().filter(h -> !declared.contains(h)).toList();
        if (undeclared.isEmpty()) {
            return result(m, Reason.BLOCKED, maas);
        }
        Lookup lookup = rackControllers(vi, regions);
        if (lookup.controllers() == null) {
            return result(
                    m,
                    Reason.BLOCKED,
                    maas + " (" + String.join(", ", undeclared) + ": no MaasRegion declares it; it is a region to"
                            + " configure, or a rack-only controller, which MAAS lists too; " + lookup.why() + ")");
        }
        Map<String, MaasController> racks = lookup.controllers().stream()
                .filter(MaasController::rackOnly)
                .collect(Collectors.toMap(MaasController::hostname, Function.identity(), (a, b) -> a));
        List<MaasController> rackOnly =
                undeclared.stream().filter(racks::containsKey).map(racks::get).toList();
        if (rackOnly.isEmpty()) {
            return result(m, Reason.BLOCKED, maas);
        }
        String names = rackOnly.stream().map(MaasController::hostname).collect(Collectors.joining(", "));
        String ids = rackOnly.stream().map(MaasController::systemId).collect(Collectors.joining(", "));
        return result(
                m,
                Reason.RACK_ONLY_CONTROLLER,
                maas + ". " + names
                        + (rackOnly.size() == 1 ? " is a rack-only controller" : " are rack-only controllers")
                        + " (MAAS API: node_type 2): MAAS lists every controller without Vault configuration, and only"
                        + " a region controller can mark itself configured, so `maas config-vault migrate` is refused"
                        + " for as long as MAAS knows " + (rackOnly.size() == 1 ? "it" : "them") + ". To migrate:"
                        + " stop maas-rackd there and delete the controller in MAAS (`maas $PROFILE rack-controller"
                        + " delete` " + ids + "; its DHCP and other rack services stop), let the operator migrate,"
                        + " then register it again (`maas init rack`); or install a region on it (region+rack) and"
                        + " configure Vault there");
    }

    private static SecretMigration.Result result(MigrationStatus m, Reason reason, String message) {
        MigrationSteps.phase(m, MigrationPhase.Blocked, reason, message);
        return new SecretMigration.Result(
                SecretMigration.condition(false, reason, message), SecretMigration.BLOCKED_RECHECK, true);
    }

    /** {@code controllers} null when the API could not be asked, then {@code why}. */
    private record Lookup(List<MaasController> controllers, String why) {}

    private Lookup rackControllers(VaultIntegration vi, Collection<MaasRegion> regions) {
        Optional<MaasRegion> withApi = regions.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null
                        && r.getSpec().getApi() != null)
                .min(Comparator.comparing(r -> r.getMetadata().getName()));
        if (withApi.isEmpty()) {
            return new Lookup(null, "set spec.api on a MaasRegion for the operator to tell which");
        }
        MaasRegion region = withApi.get();
        MaasApiSpec api = region.getSpec().getApi();
        String name = "MaasRegion " + region.getMetadata().getName();
        var refused = Tenancy.maasApi(vi, api);
        if (refused.isPresent()) {
            return new Lookup(
                    null, name + " spec.api is refused: " + refused.get().message());
        }
        String ns = region.getMetadata().getNamespace();
        SecretLookup key = ports.secrets()
                .read(
                        ns,
                        api.getApiKeySecretRef().getName(),
                        api.getApiKeySecretRef().getKey());
        if (!key.found()) {
            return new Lookup(null, name + " spec.api.apiKeySecretRef: " + key.message());
        }
        String ca = null;
        if (api.getCaSecretRef() != null) {
            SecretLookup caLookup = ports.secrets()
                    .read(
                            ns,
                            api.getCaSecretRef().getName(),
                            api.getCaSecretRef().getKey());
            if (!caLookup.found()) {
                return new Lookup(null, name + " spec.api.caSecretRef: " + caLookup.message());
            }
            ca = caLookup.value().reveal();
        }
        try {
            // keyed like the MaasRegion's own client, so both share one
            return new Lookup(
                    ports.maasApi(ns + "/" + region.getMetadata().getName(), URI.create(api.getUrl()), key.value(), ca)
                            .listRackControllers(),
                    null);
        } catch (MaasApiException | CertificateReadException | IllegalArgumentException e) {
            return new Lookup(null, "the MAAS API of " + name + " could not be asked: " + e.getMessage());
        }
    }
}
