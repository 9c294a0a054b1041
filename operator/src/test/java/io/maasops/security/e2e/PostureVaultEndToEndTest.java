package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.AppRoleAudit;
import io.maasops.security.api.v1alpha1.AppRoleStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Posture checks 2 and 3 against what Vault and the controllers hold (docs/posture.md): a secret-id made by hand
 * on a region's role, the recorded secret-id destroyed behind the operator's back, a region whose regiond.conf was
 * configured by hand with another region's role. Each fails exactly its check, is fixed, and passes again. The
 * audit runs every second here (--secret-id-audit-interval), every 10 minutes by default.
 */
class PostureVaultEndToEndTest extends EndToEndTest {

    static final Duration AUDIT = Duration.ofSeconds(1);

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension()
            .withRetries(new RetryDelays(
                    OperatorExtension.TEST_RETRIES.floor(),
                    OperatorExtension.TEST_RETRIES.cap(),
                    OperatorExtension.TEST_RETRIES.missingReference(),
                    OperatorExtension.TEST_RETRIES.configFilesFirst(),
                    AUDIT));

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    OperatorExtension operator() {
        return OPERATOR;
    }

    Map<String, PostureCheckStatus> posture() {
        var vi = k8s().resources(VaultIntegration.class).withName("maas").get();
        if (vi == null || vi.getStatus() == null || vi.getStatus().getPosture() == null) {
            return Map.of();
        }
        return vi.getStatus().getPosture().stream().collect(Collectors.toMap(PostureCheckStatus::getCheck, c -> c));
    }

    PostureCheckStatus awaitCheck(String check, PostureResult result, String reason, String... messageParts) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            PostureCheckStatus c = posture().get(check);
            assertThat(c).as(check).isNotNull();
            assertThat(c.getResult()).as(check + ": " + c.getMessage()).isEqualTo(result);
            assertThat(c.getReason()).as(check).isEqualTo(reason);
            for (String part : messageParts) {
                assertThat(c.getMessage()).as(check).contains(part);
            }
        });
        return posture().get(check);
    }

    AppRoleStatus appRole(String region) {
        MaasRegion r = k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(region)
                .get();
        return r == null || r.getStatus() == null || r.getStatus().getAppRole() == null
                ? new AppRoleStatus()
                : r.getStatus().getAppRole();
    }

    /** Waits until an audit after the region was configured found regiond.conf naming its own role, nothing foreign. */
    void awaitAudited(String region) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            AppRoleAudit audit = appRole(region).getAudit();
            assertThat(audit).isNotNull();
            assertThat(audit.getRegiondConfRole()).isEqualTo(AppRoleAudit.OWN);
            assertThat(audit.getSecretIdLive()).isTrue();
            assertThat(audit.getForeignSecretIds()).isZero();
        });
    }

    JsonNode vaultPost(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(testbed.vault().address() + "/v1/" + path))
                        .header("X-Vault-Token", testbed.vault().rootToken())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(200, 204);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    void destroy(String role, String accessor) throws Exception {
        vaultPost(
                "auth/approle/role/" + role + "/secret-id-accessor/destroy",
                JSON.writeValueAsString(Map.of("secret_id_accessor", accessor)));
    }

    void requestRotation(String region, String value) {
        k8s().resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(region)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION + "\":\"" + value
                                + "\"}}}");
    }

    @Test
    void aSecretIdMadeByHandOnARegionsRoleFailsSecretIdsRecordedUntilDestroyed() throws Exception {
        apply(1);
        String region = MaasTestbed.hostname(0);
        awaitAudited(region);
        awaitCheck("SecretIdsRecorded", PostureResult.Pass, "Recorded");
        String role = appRole(region).getRoleName();

        String foreign = vaultPost("auth/approle/role/" + role + "/secret-id", "{}")
                .path("data")
                .path("secret_id_accessor")
                .asText();
        var failed = awaitCheck(
                "SecretIdsRecorded",
                PostureResult.Fail,
                "SecretIdsNotRecorded",
                ns() + "/" + region + ": 1 secret-id(s) on role " + role + " the operator did not issue");
        assertThat(failed.getMessage()).doesNotContain(foreign);
        assertThat(posture().get("RegionsConfigured").getResult()).isEqualTo(PostureResult.Pass);

        destroy(role, foreign); // the fix: the Vault admin destroys it
        awaitCheck("SecretIdsRecorded", PostureResult.Pass, "Recorded");
    }

    @Test
    void theRecordedSecretIdDestroyedBehindTheOperatorsBackFailsUntilANewOneIsIssued() throws Exception {
        apply(1);
        String region = MaasTestbed.hostname(0);
        awaitAudited(region);
        AppRoleStatus before = appRole(region);

        destroy(before.getRoleName(), before.getSecretIdAccessor());
        var failed = awaitCheck(
                "SecretIdsRecorded",
                PostureResult.Fail,
                "SecretIdsNotRecorded",
                ns() + "/" + region + ": the recorded secret-id is no longer in Vault");
        assertThat(failed.getMessage()).doesNotContain(before.getSecretIdAccessor());
        assertThat(posture().get("RegionsConfigured").getResult()).isEqualTo(PostureResult.Pass);

        requestRotation(region, "after-destroy"); // the fix the message gives
        awaitCheck("SecretIdsRecorded", PostureResult.Pass, "Recorded");
        assertThat(appRole(region).getSecretIdAccessor()).isNotEqualTo(before.getSecretIdAccessor());
    }

    @Test
    void aRegionConfiguredByHandWithAnotherRegionsRoleFailsRegionsConfiguredUntilReconfigured() {
        apply(2);
        String a = MaasTestbed.hostname(0);
        String b = MaasTestbed.hostname(1);
        awaitAudited(a);
        awaitAudited(b);
        awaitCheck("RegionsConfigured", PostureResult.Pass, "AllConfigured");

        // an administrator copies region b's Vault settings into region a's regiond.conf
        Map<String, Object> bConf = testbed.host(b).regiondConf();
        testbed.host(a)
                .editRegiondConfByHand(Map.of(
                        "vault_approle_id", bConf.get("vault_approle_id"),
                        "vault_secret_id", bConf.get("vault_secret_id")));
        var failed = awaitCheck(
                "RegionsConfigured",
                PostureResult.Fail,
                "SharedAppRole",
                "regiond.conf of " + ns() + "/" + a + " names the AppRole of " + ns() + "/" + b);
        assertThat(failed.getMessage()).doesNotContain(appRole(b).getRoleId());
        assertThat(posture().get("SecretIdsRecorded").getResult()).isEqualTo(PostureResult.Pass);

        requestRotation(a, "own-role-again"); // the fix the message gives: the operator configures a again
        awaitCheck("RegionsConfigured", PostureResult.Pass, "AllConfigured");
        assertThat(testbed.host(a).regiondConf().get("vault_approle_id"))
                .isEqualTo(appRole(a).getRoleId());
    }
}
