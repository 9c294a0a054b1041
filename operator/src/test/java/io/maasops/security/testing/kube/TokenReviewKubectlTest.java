package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API double's TokenReview and ServiceAccount tokens through the real kubectl (v1.32): a reviewer bound to
 * system:auth-delegator gets kube-apiserver's answer (authenticated, username, audiences), one without the grant
 * gets RBAC's 403, and a token for another audience does not authenticate requests (401).
 */
class TokenReviewKubectlTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static KubeApiDouble api;
    static Path kubectl;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kubectl = Kubectl.required("the double's TokenReview is NOT tested with it");
        api = KubeApiDouble.start();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    record Result(int exit, String out, String err) {}

    Result kubectl(String token, String... args) throws IOException, InterruptedException {
        Path config = api.writeKubeconfig(Files.createTempFile(dir, "kubeconfig", ""), token);
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + config));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", dir.toString()); // kubectl's discovery cache
        pb.environment().remove("KUBECONFIG");
        Path out = Files.createTempFile(dir, "out", "");
        Path err = Files.createTempFile(dir, "err", "");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl did not finish within 60 s");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    Path review(String token, String audience) throws IOException {
        return Files.writeString(
                Files.createTempFile(dir, "review", ".json"),
                JSON.createObjectNode()
                        .put("apiVersion", "authentication.k8s.io/v1")
                        .put("kind", "TokenReview")
                        .set(
                                "spec",
                                JSON.createObjectNode()
                                        .put("token", token)
                                        .set("audiences", JSON.createArrayNode().add(audience)))
                        .toString());
    }

    @Test
    void aReviewerWithTheGrantReviewsOneWithoutIsForbiddenAndAnotherAudienceIsUnauthorized() throws Exception {
        api.bindServiceAccount("vault", "vault-auth", KubeApiDouble.AUTH_DELEGATOR);
        String reviewer = api.serviceAccountToken(
                "vault", "vault-auth", List.of(KubeApiDouble.API_AUDIENCE), Duration.ofHours(1));
        String unbound =
                api.serviceAccountToken("vault", "nobody", List.of(KubeApiDouble.API_AUDIENCE), Duration.ofHours(1));
        String projected = api.serviceAccountToken(
                "maas-security", "maas-security-operator", List.of("vault"), Duration.ofHours(1));

        Result ok = kubectl(
                reviewer,
                "create",
                "--validate=false",
                "-o",
                "json",
                "-f",
                review(projected, "vault").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode status = JSON.readTree(ok.out()).path("status");
        assertThat(status.path("authenticated").asBoolean()).isTrue();
        assertThat(status.path("user").path("username").asText())
                .isEqualTo("system:serviceaccount:maas-security:maas-security-operator");
        assertThat(status.path("audiences").toString()).isEqualTo("[\"vault\"]");

        Result otherAudience = kubectl(
                reviewer,
                "create",
                "--validate=false",
                "-o",
                "json",
                "-f",
                review(projected, "api").toString());
        assertThat(otherAudience.exit()).as(otherAudience.err()).isZero();
        JsonNode refused = JSON.readTree(otherAudience.out()).path("status");
        assertThat(refused.path("authenticated").asBoolean()).isFalse();
        assertThat(refused.path("error").asText()).contains("token audiences");

        Result forbidden = kubectl(
                unbound,
                "create",
                "--validate=false",
                "-f",
                review(projected, "vault").toString());
        assertThat(forbidden.exit()).isNotZero();
        assertThat(forbidden.err())
                .startsWith("Error from server (Forbidden): error when creating")
                .contains("tokenreviews.authentication.k8s.io is forbidden: User"
                        + " \"system:serviceaccount:vault:nobody\" cannot create resource \"tokenreviews\" in API group"
                        + " \"authentication.k8s.io\" at the cluster scope");

        // the projected token is for Vault: the API server does not take it as a bearer token
        Result unauthorized = kubectl(projected, "get", "namespaces");
        assertThat(unauthorized.exit()).isNotZero();
        assertThat(unauthorized.err()).contains("Unauthorized");
    }

    @Test
    void aTokenAnotherApiServerIssuedIsUnauthorized() throws Exception {
        try (KubeApiDouble other = KubeApiDouble.start()) {
            other.bindServiceAccount("vault", "vault-auth", KubeApiDouble.AUTH_DELEGATOR);
            String foreign = other.serviceAccountToken(
                    "vault", "vault-auth", List.of(KubeApiDouble.API_AUDIENCE), Duration.ofHours(1));
            api.bindServiceAccount("vault", "vault-auth", KubeApiDouble.AUTH_DELEGATOR);

            Result unauthorized = kubectl(foreign, "get", "namespaces");

            assertThat(unauthorized.exit()).isNotZero();
            assertThat(unauthorized.err()).contains("Unauthorized");
            String own = api.serviceAccountToken(
                    "vault", "vault-auth", List.of(KubeApiDouble.API_AUDIENCE), Duration.ofHours(1));
            Result ok = kubectl(
                    own,
                    "create",
                    "--validate=false",
                    "-f",
                    review(own, KubeApiDouble.API_AUDIENCE).toString());
            assertThat(ok.exit()).as(ok.err()).isZero();
        }
    }
}
