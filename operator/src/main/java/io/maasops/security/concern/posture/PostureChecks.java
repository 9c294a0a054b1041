package io.maasops.security.concern.posture;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.contract.VaultAddresses;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The seven checks of {@link Posture}, each a pure function of recorded status. */
final class PostureChecks {

    private PostureChecks() {}

    // ---- 1. secrets in Vault

    static Verdict secretsInVault(VaultIntegrationStatus status) {
        Optional<Condition> migrated = Conditions.find(status.getConditions(), ConditionType.SECRETS_MIGRATED.value());
        if (migrated.isPresent() && Conditions.TRUE.equals(migrated.get().getStatus())) {
            return Verdict.pass(
                    migrated.get().getReason(),
                    "MAAS reports its secrets in Vault: " + migrated.get().getMessage());
        }
        return migrated.map(c -> Verdict.fail(
                        c.getReason(),
                        "MAAS's secrets are still in its database: " + c.getMessage()
                                + " (spec.migration decides when the operator migrates them)"))
                .orElse(Verdict.fail("NotChecked", "the secret migration has not been checked yet"));
    }

    // ---- 2. every region configured, each with its own role, nothing blocking

    static Verdict regionsConfigured(VaultIntegrationStatus status, List<MaasRegion> regions) {
        Map<String, List<String>> byRole = new TreeMap<>();
        for (MaasRegion r : regions) {
            AppRoleStatus role = r.getStatus() == null ? null : r.getStatus().getAppRole();
            if (role != null && role.getRoleName() != null) {
                byRole.computeIfAbsent(role.getRoleName(), k -> new ArrayList<>())
                        .add(Posture.name(r));
            }
        }
        List<String> shared = byRole.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> "AppRole " + e.getKey() + " is used by " + String.join(", ", e.getValue()))
                .toList();
        List<String> notOwn = new ArrayList<>();
        boolean sharing = !shared.isEmpty() | AuditFindings.notOwn(regions, notOwn);
        if (!shared.isEmpty() || !notOwn.isEmpty()) {
            List<String> all = new ArrayList<>(shared);
            all.addAll(notOwn);
            return Verdict.fail(
                    sharing ? "SharedAppRole" : "NotOwnAppRole",
                    String.join("; ", all) + ": give each region controller a role of its own" + AuditFindings.FIX);
        }
        Optional<Condition> configured =
                Conditions.find(status.getConditions(), ConditionType.REGIONS_CONFIGURED.value());
        if (configured.isEmpty()) {
            return Verdict.fail("NotChecked", "the regions have not been checked yet");
        }
        Condition c = configured.get();
        if (Reason.NO_REGIONS.value().equals(c.getReason())) {
            return Verdict.notApplicable(c.getReason(), c.getMessage());
        }
        if (!Conditions.TRUE.equals(c.getStatus())) {
            return Verdict.fail(
                    c.getReason(), c.getMessage() + "; declare a MaasRegion for every region controller MAAS knows");
        }
        if (status.getMigration() != null && status.getMigration().getPhase() == MigrationPhase.Blocked) {
            return Verdict.fail(
                    Reason.BLOCKED.value(),
                    "the secret migration is blocked: "
                            + Objects.toString(status.getMigration().getMessage(), ""));
        }
        return Verdict.pass(
                c.getReason(),
                "every region controller MAAS knows is configured with Vault, each with its own AppRole");
    }

    // ---- 3. each region's secret-id live and recorded

    static Verdict secretIdsRecorded(List<MaasRegion> regions) {
        List<String> problems = new ArrayList<>();
        int configured = 0;
        for (MaasRegion r : regions) {
            if (r.getStatus() == null
                    || !Conditions.isTrue(r.getStatus().getConditions(), ConditionType.VAULT_CONFIGURED.value())) {
                continue;
            }
            configured++;
            AppRoleStatus role = r.getStatus().getAppRole();
            if (role == null || role.getSecretIdAccessor() == null) {
                problems.add(Posture.name(r) + ": no secret-id accessor recorded");
                continue;
            }
            if (role.getUnrecordedSecretIdSince() != null) {
                problems.add(Posture.name(r) + ": a secret-id may exist on role " + role.getRoleName()
                        + " that no status names (since " + role.getUnrecordedSecretIdSince()
                        + "); the next confirmed configure removes it");
            }
            AuditFindings.secretIdsInVault(Posture.name(r), role).ifPresent(problems::add);
            if (role.getStaleSecretIdAccessors() != null
                    && !role.getStaleSecretIdAccessors().isEmpty()) {
                problems.add(Posture.name(r) + ": "
                        + role.getStaleSecretIdAccessors().size()
                        + " old secret-id(s) not destroyed yet (Vault was unavailable; retried)");
            }
        }
        if (configured == 0) {
            return Verdict.notApplicable("NoConfiguredRegions", "no region is configured with Vault yet");
        }
        if (!problems.isEmpty()) {
            return Verdict.fail("SecretIdsNotRecorded", String.join("; ", problems));
        }
        return Verdict.pass(
                "Recorded",
                "each configured region runs with one secret-id whose accessor the operator recorded; Vault holds no"
                        + " other on its role (as last listed, see status.appRole.audit)");
    }

    // ---- 4, 5. a verdict each region's own condition holds

    static Verdict perRegion(
            List<MaasRegion> regions,
            ConditionType type,
            String noneReason,
            String noneMessage,
            String passMessage,
            String hint) {
        List<String> failing = new ArrayList<>();
        String firstReason = null;
        int checked = 0;
        for (MaasRegion r : regions) {
            Optional<Condition> c = r.getStatus() == null
                    ? Optional.empty()
                    : Conditions.find(r.getStatus().getConditions(), type.value());
            if (c.isEmpty()) {
                continue;
            }
            checked++;
            if (!Conditions.TRUE.equals(c.get().getStatus())) {
                failing.add(Posture.name(r) + ": " + c.get().getReason() + ", "
                        + c.get().getMessage());
                firstReason = firstReason == null ? c.get().getReason() : firstReason;
            }
        }
        if (!failing.isEmpty()) {
            return Verdict.fail(firstReason, String.join("; ", failing) + hint);
        }
        if (checked == 0) {
            return Verdict.notApplicable(noneReason, noneMessage);
        }
        return Verdict.pass(Reason.COMPLIANT.value(), passMessage);
    }

    // ---- 6. Vault reachable, unsealed, over verified TLS

    static Verdict vault(VaultIntegration vi, VaultIntegrationStatus status) {
        for (ConditionType type : List.of(ConditionType.VAULT_REACHABLE, ConditionType.VAULT_UNSEALED)) {
            Optional<Condition> c = Conditions.find(status.getConditions(), type.value());
            if (c.isEmpty()) {
                return Verdict.fail("NotChecked", "Vault has not been checked yet");
            }
            if (!Conditions.TRUE.equals(c.get().getStatus())) {
                return Verdict.fail(
                        c.get().getReason(), type.value() + ": " + c.get().getMessage() + "; Vault needs an operator");
            }
        }
        Optional<String> plain = vi.getSpec() == null ? Optional.empty() : VaultAddresses.plainHttpInUse(vi);
        if (plain.isPresent()) {
            return Verdict.fail(Reason.PLAIN_HTTP_ALLOWED.value(), plain.get() + "; use an https address");
        }
        return Verdict.pass(
                Reason.UNSEALED.value(), "Vault is reachable and unsealed, over https with a verified certificate");
    }

    // ---- 7. access

    static Verdict access(Collection<RoleBinding> bindings) {
        if (bindings.isEmpty()) {
            return Verdict.notApplicable(
                    "NoRoleBindings",
                    "no RoleBinding declares MAAS access; administrators nobody declared are not listed (MAAS's"
                            + " user list is read only by RoleBindings)");
        }
        List<String> notSynced = bindings.stream()
                .filter(b -> b.getStatus() == null
                        || !Conditions.isTrue(b.getStatus().getConditions(), ConditionType.SYNCED.value()))
                .sorted(Comparator.comparing(Posture::name))
                .map(b -> Posture.name(b)
                        + Conditions.find(
                                        b.getStatus() == null
                                                ? null
                                                : b.getStatus().getConditions(),
                                        ConditionType.SYNCED.value())
                                .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")")
                                .orElse(" (not synced yet)"))
                .toList();
        if (!notSynced.isEmpty()) {
            return Verdict.fail("NotSynced", "RoleBindings not synced to MAAS: " + String.join("; ", notSynced));
        }
        return Verdict.pass(
                Reason.IN_SYNC.value(),
                "every RoleBinding (" + bindings.size() + ") is synced to MAAS; administrators nobody declared are not"
                        + " listed (not measured yet)");
    }
}
