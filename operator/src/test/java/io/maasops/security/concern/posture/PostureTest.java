package io.maasops.security.concern.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureMaasApi;
import io.maasops.security.api.v1alpha1.PostureMaasStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.PostureSettings;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingSpec;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.SecretKeyRef;
import io.maasops.security.api.v1alpha1.Subject;
import io.maasops.security.api.v1alpha1.TenancySettings;
import io.maasops.security.api.v1alpha1.VaultConnection;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationSpec;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Notice;
import io.maasops.security.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One failing and one passing situation per check, from status alone (the check is a pure function). */
class PostureTest {

    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-12-04T11:00:00Z");

    static Condition cond(String type, boolean ok, String reason, String message) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(ok ? "True" : "False")
                .withReason(reason)
                .withMessage(message)
                .build();
    }

    static void put(List<Condition> conditions, Condition c) {
        conditions.removeIf(x -> x.getType().equals(c.getType()));
        conditions.add(c);
    }

    static VaultIntegration integration() {
        VaultIntegration vi = new VaultIntegration();
        vi.setMetadata(new ObjectMetaBuilder().withName("maas").build());
        VaultIntegrationSpec spec = new VaultIntegrationSpec();
        VaultConnection vault = new VaultConnection();
        vault.setAddress("https://vault.example:8200");
        spec.setVault(vault);
        TenancySettings tenancy = new TenancySettings();
        tenancy.setAllowedNamespaces(List.of("ns"));
        tenancy.setAllowAdministratorBindings(true);
        spec.setTenancy(tenancy);
        PostureMaasApi api = new PostureMaasApi();
        api.setUrl("https://maas.example:5443/MAAS");
        SecretKeyRef key = new SecretKeyRef();
        key.setName("maas-posture");
        key.setKey("api-key");
        api.setApiKeySecretRef(key);
        PostureSettings posture = new PostureSettings();
        posture.setMaasApi(api);
        spec.setPosture(posture);
        vi.setSpec(spec);
        VaultIntegrationStatus s = new VaultIntegrationStatus();
        List<Condition> c = new ArrayList<>();
        c.add(cond("VaultReachable", true, "Reachable", "Vault 1.15 answers"));
        c.add(cond("VaultUnsealed", true, "Unsealed", "unsealed"));
        c.add(cond("RegionsConfigured", true, "AllConfigured", "2 of 2 configured"));
        c.add(cond("SecretsMigrated", true, "Migrated", "MAAS reports status: enabled"));
        s.setConditions(c);
        PostureMaasStatus maas = new PostureMaasStatus();
        maas.setCheckedAt("2026-12-04T09:59:00Z");
        maas.setApiUser("maasops");
        maas.setAdministrators(new ArrayList<>(List.of("admin", "maasops")));
        maas.setCertificateReminders(true);
        maas.setCertificateReminderDays(30);
        s.setPostureMaas(maas);
        vi.setStatus(s);
        return vi;
    }

    static MaasRegion region(String name) {
        MaasRegion r = new MaasRegion();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        MaasRegionStatus s = new MaasRegionStatus();
        AppRoleStatus role = new AppRoleStatus();
        role.setRoleName("maas-ns-" + name);
        role.setRoleId("id-" + name);
        role.setSecretIdAccessor("acc-" + name);
        s.setAppRole(role);
        List<Condition> c = new ArrayList<>();
        c.add(cond("VaultConfigured", true, "Configured", "configured"));
        c.add(cond("ConfigFilesSecure", true, "Compliant", "all files compliant"));
        c.add(cond("CertificateValid", true, "Valid", "valid for 200 days"));
        s.setConditions(c);
        r.setStatus(s);
        return r;
    }

    static RoleBinding binding(String name, boolean synced) {
        RoleBinding b = new RoleBinding();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        RoleBindingSpec spec = new RoleBindingSpec();
        spec.setRole(MaasRole.Administrator);
        Subject admin = new Subject();
        admin.setName("admin");
        spec.setSubjects(new ArrayList<>(List.of(admin)));
        b.setSpec(spec);
        RoleBindingStatus s = new RoleBindingStatus();
        s.setConditions(new ArrayList<>(List.of(
                synced
                        ? cond("Synced", true, "InSync", "in sync")
                        : cond("Synced", false, "PoolsNotFound", "pool rack-9 not found"))));
        b.setStatus(s);
        return b;
    }

    /** A healthy deployment with one change, evaluated; the named check's entry. */
    static PostureCheckStatus check(PostureCheck check, Consumer<Fixture> change) {
        Fixture f = new Fixture();
        change.accept(f);
        return f.evaluate().checks().stream()
                .filter(c -> c.getCheck().equals(check.value()))
                .findFirst()
                .orElseThrow();
    }

    static final class Fixture {
        final VaultIntegration vi = integration();
        final List<MaasRegion> regions = new ArrayList<>(List.of(region("r1"), region("r2")));
        final List<RoleBinding> bindings = new ArrayList<>(List.of(binding("admins", true)));

        Posture.Evaluation evaluate() {
            return Posture.evaluate(vi, vi.getStatus(), regions, bindings, T0);
        }

        List<Condition> viConditions() {
            return vi.getStatus().getConditions();
        }

        List<Condition> regionConditions(int i) {
            return regions.get(i).getStatus().getConditions();
        }
    }

    @Test
    void aHealthyDeploymentPassesEveryCheck() {
        var e = new Fixture().evaluate();
        assertThat(e.checks()).extracting(PostureCheckStatus::getResult).containsOnly(PostureResult.Pass);
        assertThat(e.checks())
                .extracting(PostureCheckStatus::getCheck)
                .containsExactly(
                        "SecretsInVault",
                        "RegionsConfigured",
                        "SecretIdsRecorded",
                        "ConfigFiles",
                        "Certificate",
                        "Vault",
                        "Access");
        assertThat(e.summary()).isEqualTo("7/7");
        assertThat(e.condition().status()).isEqualTo(Conditions.TRUE);
        assertThat(e.condition().reason()).isEqualTo("AllChecksPass");
        assertThat(e.notices()).isEmpty();
        assertThat(e.checks()).allSatisfy(c -> {
            assertThat(c.getRecommendation()).isNotBlank();
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-04T10:00:00Z");
        });
    }

    @Test
    void secretsInVaultFailsUntilMigrated() {
        var c = check(
                PostureCheck.SECRETS_IN_VAULT,
                f -> put(
                        f.viConditions(),
                        cond("SecretsMigrated", false, "AwaitingApproval", "spec.migration.mode is Manual")));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("AwaitingApproval");
        assertThat(c.getMessage()).contains("still in its database", "spec.migration.mode is Manual");
    }

    @Test
    void regionsConfiguredFailsOnASharedRole() {
        var c = check(
                PostureCheck.REGIONS_CONFIGURED,
                f -> f.regions.get(1).getStatus().getAppRole().setRoleName("maas-ns-r1"));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("SharedAppRole");
        assertThat(c.getMessage()).contains("AppRole maas-ns-r1 is used by ns/r1, ns/r2");
    }

    @Test
    void regionsConfiguredFailsOnARegionMaasReportsUnconfigured() {
        var c = check(
                PostureCheck.REGIONS_CONFIGURED,
                f -> put(
                        f.viConditions(),
                        cond(
                                "RegionsConfigured",
                                false,
                                "RegionsUnconfigured",
                                "MAAS reports region-x not configured")));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("RegionsUnconfigured");
        assertThat(c.getMessage()).contains("region-x");
    }

    @Test
    void regionsConfiguredFailsOnABlockedMigration() {
        var c = check(PostureCheck.REGIONS_CONFIGURED, f -> {
            MigrationStatus m = new MigrationStatus();
            m.setPhase(MigrationPhase.Blocked);
            m.setMessage("rack-1 is not configured");
            f.vi.getStatus().setMigration(m);
        });
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getMessage()).contains("blocked", "rack-1");
    }

    @Test
    void regionsConfiguredDoesNotApplyWithoutRegions() {
        var c = check(
                PostureCheck.REGIONS_CONFIGURED,
                f -> put(
                        f.viConditions(), cond("RegionsConfigured", false, "NoRegions", "no MaasRegion refers to it")));
        assertThat(c.getResult()).isEqualTo(PostureResult.NotApplicable);
    }

    @Test
    void secretIdsRecordedFailsOnAnUnrecordedOrStaleSecretId() {
        var unrecorded = check(
                PostureCheck.SECRET_IDS_RECORDED,
                f -> f.regions.get(0).getStatus().getAppRole().setUnrecordedSecretIdSince("2026-12-04T09:00:00Z"));
        assertThat(unrecorded.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(unrecorded.getMessage()).contains("ns/r1", "no status names");
        var stale = check(
                PostureCheck.SECRET_IDS_RECORDED,
                f -> f.regions.get(1).getStatus().getAppRole().setStaleSecretIdAccessors(List.of("accessor-7f3e")));
        assertThat(stale.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(stale.getMessage()).contains("ns/r2", "not destroyed");
        assertThat(stale.getMessage()).doesNotContain("accessor-7f3e");
        var none = check(
                PostureCheck.SECRET_IDS_RECORDED,
                f -> f.regions.get(0).getStatus().getAppRole().setSecretIdAccessor(null));
        assertThat(none.getResult()).isEqualTo(PostureResult.Fail);
    }

    @Test
    void configFilesFailsOnARegionsDrift() {
        var c = check(
                PostureCheck.CONFIG_FILES,
                f -> put(
                        f.regionConditions(1),
                        cond("ConfigFilesSecure", false, "Drift", "/var/lib/maas/secret is 0644 (audit only)")));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("Drift");
        assertThat(c.getMessage()).contains("ns/r2", "0644", "spec.configFiles.enforce");
    }

    @Test
    void certificateFailsInTheReminderWindowAndDoesNotApplyWhenNoneIsWatched() {
        var c = check(
                PostureCheck.CERTIFICATE,
                f -> put(f.regionConditions(0), cond("CertificateValid", false, "Expiring", "expires in 12 days")));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getReason()).isEqualTo("Expiring");
        var none = check(
                PostureCheck.CERTIFICATE,
                f -> f.regions.forEach(r ->
                        r.getStatus().getConditions().removeIf(x -> x.getType().equals("CertificateValid"))));
        assertThat(none.getResult()).isEqualTo(PostureResult.NotApplicable);
        assertThat(none.getMessage()).contains("spec.tls");
    }

    @Test
    void vaultFailsSealedOrOverPlainHttp() {
        var sealed = check(
                PostureCheck.VAULT,
                f -> put(f.viConditions(), cond("VaultUnsealed", false, "Sealed", "Vault is sealed")));
        assertThat(sealed.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(sealed.getReason()).isEqualTo("Sealed");
        assertThat(sealed.getMessage()).contains("needs an operator");
        var http = check(PostureCheck.VAULT, f -> {
            f.vi.getSpec().getVault().setAddress("http://vault.example:8200");
            f.vi.getSpec().getVault().setAllowInsecureHttp(true);
        });
        assertThat(http.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(http.getReason()).isEqualTo("PlainHttpAllowed");
    }

    @Test
    void accessFailsOnABindingNotSyncedAndDoesNotApplyWithoutBindings() {
        var c = check(PostureCheck.ACCESS, f -> f.bindings.add(binding("operators", false)));
        assertThat(c.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(c.getMessage()).contains("ns/operators", "PoolsNotFound").doesNotContain("ns/admins");
        // without the binding that declares it, MAAS's administrator "admin" is one nobody declared
        var none = check(PostureCheck.ACCESS, f -> f.bindings.clear());
        assertThat(none.getResult()).isEqualTo(PostureResult.Fail);
        assertThat(none.getReason()).isEqualTo("UndeclaredAdministrators");
    }

    @Test
    void aFailureNamesTheCheckInTheConditionAndSummaryAndTellsOnce() {
        Fixture f = new Fixture();
        f.vi.getStatus().setPosture(f.evaluate().checks());
        put(f.viConditions(), cond("VaultUnsealed", false, "Sealed", "Vault is sealed"));
        f.regions.forEach(
                r -> r.getStatus().getConditions().removeIf(x -> x.getType().equals("CertificateValid")));
        var e = Posture.evaluate(f.vi, f.vi.getStatus(), f.regions, f.bindings, T1);
        assertThat(e.summary()).isEqualTo("5/6");
        assertThat(e.condition().status()).isEqualTo(Conditions.FALSE);
        assertThat(e.condition().reason()).isEqualTo("ChecksFailing");
        assertThat(e.condition().message()).contains("Vault (Sealed)").doesNotContain("Certificate");
        assertThat(e.notices())
                .extracting(Notice::reason)
                .containsExactly("PostureCheckNotApplicable", "PostureCheckFailed");
        PostureCheckStatus vault = e.checks().get(5);
        assertThat(vault.getLastTransitionTime()).isEqualTo("2026-12-04T11:00:00Z");
        assertThat(e.checks().get(0).getLastTransitionTime()).isEqualTo("2026-12-04T10:00:00Z");
        // the same result again: no Event, the time kept
        f.vi.getStatus().setPosture(e.checks());
        var again = Posture.evaluate(f.vi, f.vi.getStatus(), f.regions, f.bindings, T1.plusSeconds(600));
        assertThat(again.notices()).isEmpty();
        assertThat(again.checks().get(5).getLastTransitionTime()).isEqualTo("2026-12-04T11:00:00Z");
        // recovery tells too
        f.vi.getStatus().setPosture(again.checks());
        put(f.viConditions(), cond("VaultUnsealed", true, "Unsealed", "unsealed"));
        var back = Posture.evaluate(f.vi, f.vi.getStatus(), f.regions, f.bindings, T1.plusSeconds(900));
        assertThat(back.notices()).extracting(Notice::reason).containsExactly("PostureCheckPassed");
        assertThat(back.condition().status()).isEqualTo(Conditions.TRUE);
    }

    @Test
    void aFirstEvaluationTellsOnlyWhatFails() {
        Fixture f = new Fixture();
        put(f.regionConditions(0), cond("ConfigFilesSecure", false, "Drift", "drift"));
        assertThat(f.evaluate().notices())
                .extracting(Notice::message)
                .singleElement()
                .asString()
                .startsWith("ConfigFiles fails");
    }
}
