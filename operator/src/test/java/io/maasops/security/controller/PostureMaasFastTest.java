package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.Annotations;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiKey;
import io.maasops.security.maas.PostureNotifier;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble.StoredNotification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The posture's use of the deployment's own MAAS API (spec.posture.maasApi), with the VaultIntegration controller
 * against an in-memory Vault and the MAAS API double over HTTP on 127.0.0.1: what it measures, the notification for
 * administrators (appear, change in place, Vault sealed, removed), and that no namespaced resource reaches the key.
 */
class PostureMaasFastTest {

    final FakePorts ports = new FakePorts();
    final MutableClock clock = MutableClock.startingNow();
    final VaultIntegrationController controller = new VaultIntegrationController(
            ports,
            new OperatorMetrics(new SimpleMeterRegistry()),
            clock,
            RetryDelays.DEFAULTS,
            new SharedRegions(Set.of()));
    final MaasApiDouble maas;
    VaultIntegration last;
    int requests;

    PostureMaasFastTest() throws Exception {
        maas = MaasApiDouble.start();
        ports.deploymentConnector = (key, url, apiKey, ca) ->
                MaasApiClient.builder(url, MaasApiKey.parse(apiKey.reveal())).build();
        ports.secret(FakePorts.OPERATOR_NAMESPACE, "maas-posture", "api-key", maas.apiKey());
    }

    @AfterEach
    void close() {
        maas.close();
    }

    VaultIntegration integration(boolean notify) {
        VaultIntegration vi = Serialization.unmarshal("""
        apiVersion: security.maasops.io/v1alpha1
        kind: VaultIntegration
        metadata: {name: maas, generation: 1}
        spec:
          tenancy: {allowedNamespaces: [tenant], allowInsecureMaasApi: true, allowAdministratorBindings: true}
          vault:
            address: https://vault.example:8200
            auth: {tokenSecretRef: {name: vault-token, key: token}}
          posture:
            notifyAdministrators: %s
            checkInterval: 1m
            maasApi:
              url: %s
              apiKeySecretRef: {name: maas-posture, key: api-key}
        """.formatted(notify, maas.baseUrl()), VaultIntegration.class);
        return vi;
    }

    /** One reconcile on the last status, as a new reconcile-requested-at asks (Vault and MAAS at once). */
    void reconcile(VaultIntegration vi, List<MaasRegion> regions, List<RoleBinding> bindings) {
        if (last != null) {
            vi.setStatus(last.getStatus());
            vi.getMetadata()
                    .setAnnotations(new java.util.HashMap<>(
                            java.util.Map.of(Annotations.RECONCILE_REQUESTED_AT, "request-" + ++requests)));
        }
        var session = controller.recorder().open(vi, (r, s) -> {
            VaultIntegration copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, regions, bindings);
        last = session.latest();
    }

    void reconcile(VaultIntegration vi) {
        reconcile(vi, List.of(), List.of());
    }

    PostureCheckStatus check(String name) {
        return last.getStatus().getPosture().stream()
                .filter(c -> c.getCheck().equals(name))
                .findFirst()
                .orElseThrow();
    }

    Optional<StoredNotification> notification() {
        return maas.notificationByIdent(PostureNotifier.ident("maas"));
    }

    @Test
    void theNotificationAppearsChangesInPlaceSaysVaultIsSealedAndGoesWhenTurnedOff() {
        VaultIntegration vi = integration(true);
        reconcile(vi);
        // MAAS's own users are not administrators anybody declares; the key's user is the operator's
        assertThat(last.getStatus().getPostureMaas().getAdministrators()).containsExactly("admin");
        assertThat(last.getStatus().getPostureMaas().getApiUser()).isEqualTo("admin");
        assertThat(check("Access").getResult()).isEqualTo(PostureResult.Pass);
        StoredNotification first = notification().orElseThrow();
        assertThat(first.admins()).isTrue();
        assertThat(first.users()).isFalse();
        assertThat(first.category()).isEqualTo("warning");
        assertThat(first.message()).isEqualTo(PostureNotifier.FAILING_MESSAGE);
        assertThat(first.context().get("failing").toString())
                .contains("SecretsInVault")
                .doesNotContain("Access");
        assertThat(last.getStatus().getPostureMaas().getNotificationId()).isEqualTo(first.id());

        // an administrator nobody declared: Access fails by name, the notification changes in place
        maas.addUser("eve", true);
        reconcile(vi);
        assertThat(check("Access").getResult()).isEqualTo(PostureResult.Fail);
        assertThat(check("Access").getReason()).isEqualTo("UndeclaredAdministrators");
        assertThat(check("Access").getMessage()).contains("declares: eve");
        StoredNotification changed = notification().orElseThrow();
        assertThat(changed.id()).isEqualTo(first.id());
        assertThat(changed.context().get("failing").toString()).contains("Access (UndeclaredAdministrators)");

        // Vault sealed: the same notification, worded for Vault
        ports.vault.sealed();
        reconcile(vi);
        assertThat(check("Vault").getResult()).isEqualTo(PostureResult.Fail);
        StoredNotification sealed = notification().orElseThrow();
        assertThat(sealed.id()).isEqualTo(first.id());
        assertThat(sealed.category()).isEqualTo("error");
        assertThat(sealed.message()).isEqualTo(PostureNotifier.VAULT_MESSAGE);
        assertThat(sealed.context().get("vault").toString()).contains("sealed", "vault operator unseal");

        // fixed: Vault unsealed, eve no longer an administrator; Access passes, the notification follows
        ports.vault.healthy();
        maas.setSuperuser("eve", false);
        reconcile(vi);
        assertThat(check("Access").getResult()).isEqualTo(PostureResult.Pass);
        assertThat(check("Vault").getResult()).isEqualTo(PostureResult.Pass);
        StoredNotification back = notification().orElseThrow();
        assertThat(back.id()).isEqualTo(first.id());
        assertThat(back.category()).isEqualTo("warning");
        assertThat(back.context().get("failing").toString()).isEqualTo("SecretsInVault (AwaitingApproval)");

        // a notification the operator's own user dismissed is still found by its recorded id
        maas.dismissAs("admin", first.id());
        maas.addUser("mallory", true);
        reconcile(vi);
        assertThat(notification().orElseThrow().context().get("failing").toString())
                .contains("Access");
        assertThat(maas.notifications()).hasSize(1);

        // turned off: removed
        VaultIntegration off = integration(false);
        off.getMetadata().setGeneration(2L);
        reconcile(off);
        assertThat(notification()).isEmpty();
        assertThat(last.getStatus().getPostureMaas().getNotificationId()).isNull();
        assertThat(ports.events).noneMatch(e -> e.contains(maas.apiKey()));
    }

    @Test
    void theNotificationGoesWithTheDeletedIntegrationAndMaasDownDoesNotBlockIt() {
        VaultIntegration vi = integration(true);
        reconcile(vi);
        assertThat(notification()).isPresent();
        var posture = new io.maasops.security.concern.posture.MaasPosture(ports);

        assertThat(posture.removeNotification(last)).contains("its MAAS notification for administrators was removed");
        assertThat(notification()).isEmpty();

        // MAAS unreachable: said, not thrown (the finalizer is not held for it), and no key in the text
        reconcile(vi);
        assertThat(notification()).isPresent();
        maas.close();
        assertThat(posture.removeNotification(last))
                .get()
                .asString()
                .startsWith("its MAAS notification "
                        + last.getStatus().getPostureMaas().getNotificationId() + " was left in MAAS: ")
                .doesNotContain(maas.apiKey());
    }

    @Test
    void maasReminderSettingIsReadWithTheKeyAndAskedAgainOnlyWhenDue() throws Exception {
        VaultIntegration vi = integration(false);
        reconcile(vi);
        assertThat(last.getStatus().getPostureMaas().getCertificateReminders()).isFalse();
        assertThat(last.getStatus().getPostureMaas().getCertificateReminderDays())
                .isEqualTo(30);
        MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(maas.apiKey()))
                .build()
                .setConfig("tls_cert_expiration_notification_enabled", "true");
        int before = maas.requestLog().size();
        // not due, not requested: MAAS is not asked
        vi.setStatus(last.getStatus());
        var session = controller.recorder().open(vi, (r, s) -> {
            VaultIntegration copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, List.of(), List.of());
        assertThat(maas.requestLog()).hasSize(before);
        clock.advance(Duration.ofMinutes(1));
        vi.setStatus(session.latest().getStatus());
        session = controller.recorder().open(vi, (r, s) -> {
            VaultIntegration copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        controller.reconcile(session, List.of(), List.of());
        assertThat(session.latest().getStatus().getPostureMaas().getCertificateReminders())
                .isTrue();
    }

    @Test
    void aWrongKeyIsReportedWithoutTheKey() {
        ports.secret(FakePorts.OPERATOR_NAMESPACE, "maas-posture", "api-key", "aaa:bbb:ccc");
        reconcile(integration(true));
        assertThat(check("Access").getReason()).isEqualTo("MaasApiUnauthorized");
        assertThat(check("Access").getMessage()).contains("401").doesNotContain("ccc");
        assertThat(notification()).isEmpty();
    }

    @Test
    void anHttpUrlNeedsTheAdminsAllowance() {
        VaultIntegration vi = integration(true);
        vi.getSpec().getTenancy().setAllowInsecureMaasApi(false);
        reconcile(vi);
        assertThat(check("Access").getReason()).isEqualTo("InsecureMaasApiNotAllowed");
        assertThat(maas.requestLog()).isEmpty();
        assertThat(ports.deploymentMaasConnections).isEmpty();
    }

    /**
     * What a namespace author with create rights in an allowed namespace can write: a MaasRegion whose spec.api
     * names a Secret of the same name as the cluster admin's, at their own MAAS URL, and an Administrator binding.
     * The operator reads that name only in the tenant's namespace (for the region), never the admin's Secret, and
     * the admin's key reaches only spec.posture.maasApi.url; without spec.posture, no request carries it at all.
     */
    @Test
    void noNamespacedResourceMakesTheOperatorUseTheKeyOrPostANotification() throws Exception {
        try (MaasApiDouble tenantMaas = MaasApiDouble.start()) {
            MaasRegion region = Serialization.unmarshal("""
            apiVersion: security.maasops.io/v1alpha1
            kind: MaasRegion
            metadata: {name: region-a, namespace: tenant, generation: 1}
            spec:
              vaultIntegrationRef: {name: maas}
              hostname: region-a
              api:
                url: %s
                apiKeySecretRef: {name: maas-posture, key: api-key}
              access:
                pod: {name: maas-0}
            """.formatted(tenantMaas.baseUrl()), MaasRegion.class);
            RoleBinding binding = Serialization.unmarshal("""
            apiVersion: security.maasops.io/v1alpha1
            kind: RoleBinding
            metadata: {name: admins, namespace: tenant, generation: 1}
            spec:
              maasRegionRef: {name: region-a}
              role: Administrator
              subjects: [{kind: User, name: admin}]
            """, RoleBinding.class);
            VaultIntegration noPosture = integration(true);
            noPosture.getSpec().setPosture(null);
            reconcile(noPosture, List.of(region), List.of(binding));
            assertThat(ports.deploymentMaasConnections).isEmpty();
            assertThat(maas.requestLog()).isEmpty();
            assertThat(tenantMaas.requestLog()).noneMatch(r -> "admin".equals(r.username()));
            assertThat(ports.secretReads).doesNotContain(FakePorts.OPERATOR_NAMESPACE + "/maas-posture");

            reconcile(integration(true), List.of(region), List.of(binding));
            assertThat(ports.deploymentMaasConnections).containsOnly("VaultIntegration/maas " + maas.baseUrl());
            assertThat(tenantMaas.requestLog()).isEmpty();
            assertThat(maas.notifications()).hasSize(1);
            assertThat(tenantMaas.notifications()).isEmpty();
        }
    }
}
