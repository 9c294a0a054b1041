package io.maasops.security.concern.posture;

import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.PostureMaasStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.Subject;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Reason;
import io.maasops.security.tenancy.DeploymentMaasApi;
import io.maasops.security.tenancy.Tenancy;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The parts of checks 5 and 7 measured through the deployment's own MAAS API (spec.posture.maasApi), read from
 * status.postureMaas: MAAS's expiry-reminder setting, and MAAS's administrators against the Administrator
 * RoleBindings. What could not be measured fails with the reason why (docs/posture.md: an unmeasured
 * recommendation is not one that holds).
 */
final class MaasPostureChecks {

    static final String REMINDER_SETTING = "tls_cert_expiration_notification_enabled";

    private MaasPostureChecks() {}

    // ---- 5. the certificate: the watched ones, and MAAS's own reminder

    static Verdict certificate(Verdict certificates, VaultIntegration vi, PostureMaasStatus m) {
        if (certificates.result() == PostureResult.NotApplicable) {
            return certificates;
        }
        Verdict reminders = reminders(vi, m);
        if (certificates.result() == PostureResult.Fail) {
            return reminders.result() == PostureResult.Fail
                    ? Verdict.fail(certificates.reason(), certificates.message() + "; " + reminders.message())
                    : certificates;
        }
        if (reminders.result() == PostureResult.Fail) {
            return reminders;
        }
        return Verdict.pass(certificates.reason(), certificates.message() + "; " + reminders.message());
    }

    static Verdict reminders(VaultIntegration vi, PostureMaasStatus m) {
        Optional<Verdict> unmeasured = notMeasured(vi, m, "MAAS's certificate expiry reminder setting");
        if (unmeasured.isPresent()) {
            return unmeasured.get();
        }
        if (Boolean.TRUE.equals(m.getCertificateReminders())) {
            return Verdict.pass(
                    "RemindersOn",
                    "MAAS reminds its administrators " + Objects.toString(m.getCertificateReminderDays(), "?")
                            + " days before its certificate expires (" + REMINDER_SETTING + ")");
        }
        return Verdict.fail(
                "MaasRemindersOff",
                "MAAS's own certificate expiry reminder is off (" + REMINDER_SETTING + " is false): turn it on with"
                        + " `maas $PROFILE maas set-config name=" + REMINDER_SETTING + " value=true`");
    }

    // ---- 7. access: MAAS's administrators, each declared

    static Verdict access(Verdict synced, VaultIntegration vi, PostureMaasStatus m, Collection<RoleBinding> bindings) {
        Optional<Verdict> unmeasured = notMeasured(vi, m, "MAAS's administrators");
        if (synced.result() == PostureResult.Fail) {
            String more = unmeasured.map(Verdict::message).orElseGet(() -> undeclaredText(vi, m, bindings));
            return Verdict.fail(synced.reason(), synced.message() + (more.isEmpty() ? "" : "; " + more));
        }
        if (unmeasured.isPresent()) {
            return unmeasured.get();
        }
        List<String> undeclared = undeclared(vi, m, bindings);
        if (!undeclared.isEmpty()) {
            return Verdict.fail("UndeclaredAdministrators", undeclaredText(vi, m, bindings));
        }
        String own = m.getApiUser() != null && m.getAdministrators().contains(m.getApiUser())
                ? "; " + m.getApiUser() + " is the operator's own MAAS user (spec.posture.maasApi)"
                : "";
        return Verdict.pass(
                bindings.isEmpty() ? "AllDeclared" : Reason.IN_SYNC.value(),
                "every MAAS administrator is declared by an Administrator RoleBinding" + own
                        + (bindings.isEmpty()
                                ? ""
                                : "; every RoleBinding (" + bindings.size() + ") is synced to MAAS"));
    }

    private static String undeclaredText(VaultIntegration vi, PostureMaasStatus m, Collection<RoleBinding> bindings) {
        List<String> undeclared = undeclared(vi, m, bindings);
        return undeclared.isEmpty()
                ? ""
                : "MAAS administrators no Administrator RoleBinding declares: " + String.join(", ", undeclared)
                        + " (declare them with a RoleBinding of role Administrator, or take their administrator"
                        + " rights away in MAAS)";
    }

    /** MAAS's superusers that no allowed Administrator binding names, the operator's own user aside. */
    static List<String> undeclared(VaultIntegration vi, PostureMaasStatus m, Collection<RoleBinding> bindings) {
        if (m == null || m.getAdministrators() == null) {
            return List.of();
        }
        Set<String> declared = declaredAdministrators(vi, bindings);
        return m.getAdministrators().stream()
                .filter(u -> !declared.contains(u) && !u.equals(m.getApiUser()))
                .sorted()
                .toList();
    }

    /**
     * Subjects of Administrator bindings the tenancy allows: a binding the cluster admin did not allow
     * (allowAdministratorBindings, its namespace) declares nobody, so a namespace author cannot hide an
     * administrator by naming it.
     */
    static Set<String> declaredAdministrators(VaultIntegration vi, Collection<RoleBinding> bindings) {
        return bindings.stream()
                .filter(b -> b.getSpec() != null && b.getSpec().getRole() == MaasRole.Administrator)
                .filter(b -> Tenancy.roleBinding(vi, b.getMetadata().getNamespace(), MaasRole.Administrator)
                        .isEmpty())
                .flatMap(b -> b.getSpec().getSubjects().stream())
                .map(Subject::getName)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Why MAAS's answer is missing, as a failing verdict; empty when it is there. */
    static Optional<Verdict> notMeasured(VaultIntegration vi, PostureMaasStatus m, String what) {
        boolean configured = vi.getSpec() != null
                && vi.getSpec().getPosture() != null
                && vi.getSpec().getPosture().getMaasApi() != null;
        if (!configured) {
            return Optional.of(Verdict.fail(
                    DeploymentMaasApi.NOT_CONFIGURED,
                    "spec.posture.maasApi is not set: the operator cannot read " + what
                            + " (give it a MAAS API key of its own: docs/posture.md)"));
        }
        if (m == null || m.getCheckedAt() == null) {
            return Optional.of(Verdict.fail("NotChecked", "MAAS has not been asked yet"));
        }
        if (m.getReason() != null) {
            return Optional.of(
                    Verdict.fail(m.getReason(), "MAAS could not be asked for " + what + ": " + m.getMessage()));
        }
        return Optional.empty();
    }
}
