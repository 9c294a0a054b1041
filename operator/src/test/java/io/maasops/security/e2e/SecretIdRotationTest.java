package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flow 3 end to end: a failure injected at each rotation step leaves the region able to log in to
 * Vault with the credentials in its regiond.conf; a clean rotation restarts it and destroys the old
 * secret-id.
 */
class SecretIdRotationTest extends EndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    String role() {
        return "maas_" + ns() + "_region-a";
    }

    MaasRegion region() {
        return k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName("region-a")
                .get();
    }

    Optional<Condition> condition(String type) {
        var r = region();
        return r == null || r.getStatus() == null
                ? Optional.empty()
                : Conditions.find(r.getStatus().getConditions(), type);
    }

    void requestRotation(String value) {
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName("region-a")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "\":\"" + value
                                + "\"}}}");
    }

    /** The region's own credentials (regiond.conf) log in to Vault, as MAAS does at start-up. */
    void assertRegionCanLogIn(RegionHostDouble host) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> conf = host.regiondConf();
            String body = JSON.writeValueAsString(
                    Map.of("role_id", conf.get("vault_approle_id"), "secret_id", conf.get("vault_secret_id")));
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(testbed.vault().address() + "/v1/auth/approle/login"))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode())
                    .as("AppRole login with regiond.conf's credentials")
                    .isEqualTo(200);
        });
    }

    void awaitFailedAt(String step, String request) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(region().getStatus().getAppRole().getRotationRequest()).isEqualTo(request);
            var c = condition("SecretIdRotation");
            assertThat(c).get().extracting(Condition::getReason).isEqualTo("RotationFailed");
            assertThat(c.get().getMessage()).contains("failed at step " + step + ":");
            assertThat(condition("VaultConfigured"))
                    .get()
                    .extracting(Condition::getStatus)
                    .isEqualTo("True");
        });
    }

    @Test
    void aFailureAtEachStepLeavesWorkingCredentialsThenARotationCompletes() {
        testbed = MaasTestbed.start(1);
        testbed.applySecrets(k8s(), ns());
        k8s().resource(testbed.integration("maas", ns())).inNamespace(ns()).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
        RegionHostDouble host = testbed.host("region-a");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> condition(Conditions.READY)
                        .map(c -> c.getStatus().equals("True"))
                        .orElse(false));
        String original = region().getStatus().getAppRole().getSecretIdAccessor();
        int restarts = host.restartCount();

        // 1. Vault refuses the new secret-id
        testbed.vault().faults().failNthRequest("/v1/auth/approle/role/" + role() + "/secret-id", 1);
        requestRotation("1");
        awaitFailedAt("create-secret-id", "1");
        assertRegionCanLogIn(host);
        assertThat(testbed.vault().secretIdAccessors("approle", role())).containsExactly(original);

        // 2. MAAS's configure fails (nothing written to regiond.conf): the new secret-id is destroyed
        host.failCommand("maas config-vault configure", "CommandError: Unable to unwrap Secret ID with given token.\n");
        requestRotation("2");
        awaitFailedAt("configure", "2");
        assertThat(condition("SecretIdRotation").get().getMessage())
                .contains("Unable to unwrap Secret ID with given token.");
        assertRegionCanLogIn(host);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(testbed.vault().secretIdAccessors("approle", role()))
                        .containsExactly(original));
        host.stopFailing("maas config-vault configure");

        // 3. the service does not restart: regiond.conf has the new secret-id, the running service the old
        host.failCommand("snap restart maas", "error: cannot perform the following tasks:\n- restart of [maas]\n");
        requestRotation("3");
        awaitFailedAt("restart", "3");
        assertRegionCanLogIn(host);
        assertThat(testbed.vault().secretIdAccessors("approle", role())).contains(original);
        assertThat(region().getStatus().getAppRole().getSecretIdAccessor()).isEqualTo(original);
        host.stopFailing("snap restart maas");

        // 4. restarted, but MAAS's status cannot confirm it: the confirm step fails, and as long as the CLI does not
        // answer the region has not come back (it holds the rolling rotation's place)
        host.failCommand("maas config-vault status", "CommandError: could not connect to the database\n");
        requestRotation("4");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(region().getStatus().getAppRole().getRotationRequest()).isEqualTo("4");
            var c = condition("SecretIdRotation").orElseThrow();
            assertThat(c.getReason()).isIn("RotationFailed", "RegionDidNotComeBack");
            assertThat(c.getMessage()).contains("could not connect to the database");
            assertThat(region().getStatus().getAppRole().getRestartingSince()).isNotNull();
            assertThat(condition("VaultConfigured"))
                    .get()
                    .extracting(Condition::getStatus)
                    .isEqualTo("True");
        });
        assertRegionCanLogIn(host);
        assertThat(testbed.vault().secretIdAccessors("approle", role())).contains(original);
        host.stopFailing("maas config-vault status");

        // 5. nothing fails: configured, restarted, confirmed; only the new secret-id is left
        requestRotation("5");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var appRole = region().getStatus().getAppRole();
            assertThat(appRole.getRotationRequest()).isEqualTo("5");
            assertThat(condition("SecretIdRotation"))
                    .get()
                    .extracting(Condition::getReason)
                    .isEqualTo("Rotated");
            assertThat(appRole.getSecretIdAccessor()).isNotEqualTo(original);
            assertThat(appRole.getPendingSecretIdAccessor()).isNull();
            assertThat(appRole.getRotatedAt()).isNotNull();
            assertThat(testbed.vault().secretIdAccessors("approle", role()))
                    .containsExactly(appRole.getSecretIdAccessor());
        });
        assertRegionCanLogIn(host);
        assertThat(host.restartCount()).isGreaterThan(restarts);
        assertThat(condition(Conditions.READY))
                .get()
                .extracting(Condition::getStatus)
                .isEqualTo("True");
    }

    @Test
    void rotatesWhenThePeriodElapses() {
        testbed = MaasTestbed.start(1);
        testbed.applySecrets(k8s(), ns());
        VaultIntegration vi = testbed.integration("maas", ns());
        vi.getSpec().getRotation().setSecretIdRotationPeriod("1h");
        k8s().resource(vi).inNamespace(ns()).create();
        k8s().resource(testbed.region("region-a", "maas")).inNamespace(ns()).create();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> condition(Conditions.READY)
                        .map(c -> c.getStatus().equals("True"))
                        .orElse(false));
        String original = region().getStatus().getAppRole().getSecretIdAccessor();
        OPERATOR.clock().advance(Duration.ofMinutes(61));
        try {
            OPERATOR.nudge(VaultIntegration.class, "maas"); // the operator would wake up by its own requeue
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var appRole = region().getStatus().getAppRole();
                assertThat(appRole.getSecretIdAccessor()).isNotEqualTo(original);
                assertThat(testbed.vault().secretIdAccessors("approle", role()))
                        .containsExactly(appRole.getSecretIdAccessor());
                assertThat(condition("SecretIdRotation"))
                        .get()
                        .extracting(Condition::getMessage)
                        .asString()
                        .contains("rotation period 3600s elapsed");
            });
        } finally {
            OPERATOR.clock().advance(Duration.ofMinutes(-61));
        }
        assertRegionCanLogIn(testbed.host("region-a"));
    }
}
