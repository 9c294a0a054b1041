package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.migration.SecretMigration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.region.RegionHostDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must hold after any fault once the operator has converged (issue 11): every region Ready,
 * exactly one AppRole per region, as many secret-id accessors in Vault as regions, no secret value
 * in any captured output, event or status, and the migration ran exactly once (or, where nobody
 * approved one, never).
 */
final class Invariants {

    private Invariants() {}

    static boolean allReady(KubernetesClient k8s, String ns, MaasTestbed testbed) {
        for (RegionHostDouble h : testbed.hosts()) {
            if (!ready(k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .withName(h.hostname())
                    .get())) {
                return false;
            }
        }
        return ready(k8s.resources(VaultIntegration.class)
                .inNamespace(ns)
                .withName("maas")
                .get());
    }

    private static boolean ready(
            io.fabric8.kubernetes.client.CustomResource<?, ? extends io.maasops.security.api.v1alpha1.ResourceStatus>
                    r) {
        return r != null
                && r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY)
                && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
    }

    /** Roles and accessors: one role per region, nothing else under this namespace's prefix; one accessor each. */
    static void vaultMatchesRegions(String ns, MaasTestbed testbed) {
        String prefix = "maas_" + ns + "_";
        Set<String> expected = new TreeSet<>();
        testbed.hosts().forEach(h -> expected.add(prefix + h.hostname()));
        Set<String> roles = new TreeSet<>(testbed.vault().roleNames("approle"));
        roles.removeIf(r -> !r.startsWith(prefix));
        assertThat(roles).as("exactly one role per region").isEqualTo(expected);
        int accessors = 0;
        for (String role : roles) {
            int n = testbed.vault().secretIdAccessors("approle", role).size();
            assertThat(n).as("secret-id accessors of " + role).isEqualTo(1);
            accessors += n;
        }
        assertThat(accessors)
                .as("secret-id accessors in Vault = regions")
                .isEqualTo(testbed.hosts().size());
    }

    /** Every secret value the run produced, as SecretLeakTest collects them. */
    static List<String> secrets(MaasTestbed testbed) {
        List<String> secrets = new ArrayList<>(testbed.vault().everIssuedSecrets());
        for (RegionHostDouble h : testbed.hosts()) {
            Object id = h.regiondConf().get("vault_secret_id");
            if (id != null) {
                secrets.add(String.valueOf(id));
            }
        }
        // MAAS's own secrets: its database rows, in Vault once migrated (testbed: mount secret, path maas)
        secrets.add(testbed.maas().rpcSharedSecret());
        testbed.maas().dbSecrets().values().forEach(v -> secretValues(v, secrets));
        for (String path : testbed.maas().vaultSecretRows().keySet()) {
            testbed.vault().kvData("secret", "maas/" + path).ifPresent(v -> secretValues(v, secrets));
        }
        // regiond.conf's DB password (after migration MAAS moves it to Vault and blanks it in the file)
        secrets.add(RegionHostDouble.DATABASE_PASSWORD);
        secrets.add(testbed.api().apiKey());
        secrets.add(testbed.api().apiKey().split(":")[2]);
        secrets.add(testbed.clientPrivateKey().split("\n")[2].trim());
        return secrets;
    }

    /** The secret fields of one MAAS secret (not certificates, not empty fixture values). */
    private static void secretValues(Map<String, Object> value, List<String> into) {
        for (String key : List.of("secret", "power_pass", "key")) {
            Object v = value.get(key);
            if (v != null && !v.toString().isBlank()) {
                into.add(v.toString());
            }
        }
    }

    static void noSecretLeaked(KubernetesClient k8s, String ns, MaasTestbed testbed, String capturedOutput) {
        StringBuilder everything = new StringBuilder(capturedOutput);
        // events about the cluster-scoped VaultIntegration are in "default"
        for (String where : List.of(ns, "default")) {
            for (Event e : k8s.v1().events().inNamespace(where).list().getItems()) {
                everything.append('\n').append(e.getReason()).append(' ').append(e.getMessage());
            }
        }
        for (var type : List.of(VaultIntegration.class, MaasRegion.class, RoleBinding.class)) {
            k8s.resources(type)
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .forEach(r -> everything.append('\n').append(Serialization.asJson(r.getStatus())));
        }
        String all = everything.toString();
        for (String s : secrets(testbed)) {
            assertThat(s).isNotBlank();
            assertThat(all.contains(s))
                    .as("a secret value leaked into output, an event or a status")
                    .isFalse();
        }
    }

    // ------------------------------------------------------------------------------ migration

    /**
     * "Migration ran exactly once": MAAS reports its secrets in Vault and none is left in its
     * database; each of them reached Vault by exactly one successful write (a second migration
     * would write them again; a run that failed half-way leaves its moved rows moved, as MAAS 3.7+
     * does, so the next run writes only the rest); no `maas config-vault migrate` was sent after the
     * one that moved them (MAAS would refuse it with "Secrets are already migrated to Vault.": the
     * operator asks `config-vault status` first); and the VaultIntegration reports it done and verified.
     */
    static void migrationRanExactlyOnce(KubernetesClient k8s, String ns, MaasTestbed testbed, MigrationLedger ledger) {
        assertThat(testbed.maas().vaultEnabled())
                .as("MAAS reports its secrets in Vault")
                .isTrue();
        assertThat(testbed.maas().dbSecrets())
                .as("MAAS secrets left in its database")
                .isEmpty();
        VaultIntegration vi = k8s.resources(VaultIntegration.class)
                .inNamespace(ns)
                .withName("maas")
                .get();
        String prefix = "/v1/" + vi.getSpec().getSecrets().getMount() + "/data/"
                + vi.getSpec().getSecrets().getPath() + "/";
        Set<String> moved = testbed.maas().vaultSecretRows().keySet();
        assertThat(moved).as("secrets MAAS moved").isNotEmpty();
        var requests = testbed.vault().requests();
        for (String path : moved) {
            long writes = requests.stream()
                    .filter(r -> r.write()
                            && r.status() >= 200
                            && r.status() < 300
                            && r.path().equals(prefix + path))
                    .count();
            assertThat(writes)
                    .as("successful writes of MAAS secret " + path + " to Vault")
                    .isEqualTo(1);
        }
        assertThat(ledger.commandsWhenMigrated())
                .as("the migrate that moved the secrets was seen")
                .isPositive();
        assertThat(ledger.migrateCommands())
                .as("`maas config-vault migrate` sent (none after the one that moved the secrets)")
                .isEqualTo(ledger.commandsWhenMigrated());
        MigrationStatus m = vi.getStatus().getMigration();
        assertThat(m).isNotNull();
        assertThat(m.getPhase()).as("status.migration.phase").isEqualTo(MigrationPhase.Succeeded);
        assertThat(m.getVerifiedPaths()).as("status.migration.verifiedPaths").isNotEmpty();
        assertThat(Conditions.isTrue(vi.getStatus().getConditions(), SecretMigration.SECRETS_MIGRATED))
                .as("SecretsMigrated")
                .isTrue();
    }

    /** Nobody approved a migration: no migrate was sent, MAAS's secrets are where they were, nothing reports one. */
    static void noMigration(KubernetesClient k8s, String ns, MaasTestbed testbed) {
        assertThat(MigrationLedger.migrateCommands(testbed))
                .as("`maas config-vault migrate` sent")
                .isZero();
        assertThat(testbed.maas().vaultEnabled())
                .as("MAAS reports its secrets in Vault")
                .isFalse();
        assertThat(testbed.maas().vaultSecretRows()).as("secrets MAAS moved").isEmpty();
        assertThat(testbed.vault().requests())
                .as("writes under MAAS's secrets path")
                .noneMatch(r -> r.write() && r.path().contains("/data/maas/global/"));
        MigrationStatus m = k8s.resources(VaultIntegration.class)
                .inNamespace(ns)
                .withName("maas")
                .get()
                .getStatus()
                .getMigration();
        assertThat(m == null ? null : m.getPhase()).as("status.migration.phase").isIn(null, MigrationPhase.Pending);
    }
}
