package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What Vault's Kubernetes auth asks the Kubernetes API (vault-plugin-auth-kubernetes token_review.go): a
 * TokenReview created with the reviewer's JWT as bearer (the client's own JWT when none is configured),
 * over TLS verified with kubernetes_ca_cert. The answer is the reviewed ServiceAccount, or why not, in the
 * plugin's words (each ends as 403 "permission denied" for the client).
 */
final class KubernetesTokenReview {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reviewed ServiceAccount (from status.user.username {@code system:serviceaccount:<ns>:<name>}). */
    record Reviewed(String namespace, String name, String uid) {}

    /** The HTTP status of the review request and its outcome: the account, or the plugin's error text. */
    record Answer(int httpStatus, Optional<Reviewed> account, String error) {}

    private KubernetesTokenReview() {}

    static Answer review(DoubleState.K8sConfig config, String jwt, List<String> audiences) {
        ObjectNode body = JSON.createObjectNode()
                .put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview");
        ObjectNode spec = body.putObject("spec").put("token", jwt);
        audiences.forEach(spec.putArray("audiences")::add);
        String bearer = config.tokenReviewerJwt().isEmpty() ? jwt : config.tokenReviewerJwt();
        HttpResponse<String> resp;
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(config.caPem()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            resp = client.send(
                    HttpRequest.newBuilder(URI.create(config.host().replaceAll("/+$", "")
                                    + "/apis/authentication.k8s.io/v1/tokenreviews"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            return new Answer(0, Optional.empty(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, Optional.empty(), e.toString());
        }
        if (resp.statusCode() == 401) {
            return new Answer(
                    401,
                    Optional.empty(),
                    "lookup failed: service account unauthorized; this could mean it has been deleted or recreated"
                            + " with a new token");
        }
        if (resp.statusCode() < 200 || resp.statusCode() > 206) {
            return new Answer(resp.statusCode(), Optional.empty(), resp.body().strip());
        }
        JsonNode status;
        try {
            status = JSON.readTree(resp.body()).path("status");
        } catch (java.io.IOException e) {
            return new Answer(resp.statusCode(), Optional.empty(), e.toString());
        }
        if (!status.path("error").asText("").isEmpty()) {
            return new Answer(
                    resp.statusCode(),
                    Optional.empty(),
                    "lookup failed: " + status.path("error").asText());
        }
        if (!status.path("authenticated").asBoolean(false)) {
            return new Answer(resp.statusCode(), Optional.empty(), "lookup failed: service account jwt not valid");
        }
        if (!audiences.isEmpty()) {
            boolean met = false;
            for (JsonNode a : status.path("audiences")) {
                met |= audiences.contains(a.asText());
            }
            if (!met) {
                return new Answer(
                        resp.statusCode(),
                        Optional.empty(),
                        "lookup failed: service account jwt valid for audience(s) " + status.path("audiences")
                                + ", but wanted " + audiences);
            }
        }
        String[] parts = status.path("user").path("username").asText("").split(":", -1);
        if (parts.length != 4) {
            return new Answer(resp.statusCode(), Optional.empty(), "lookup failed: unexpected username format");
        }
        if (!parts[0].equals("system") || !parts[1].equals("serviceaccount")) {
            return new Answer(
                    resp.statusCode(), Optional.empty(), "lookup failed: username returned is not a service account");
        }
        return new Answer(
                resp.statusCode(),
                Optional.of(new Reviewed(
                        parts[2], parts[3], status.path("user").path("uid").asText(""))),
                "");
    }

    private static SSLContext trusting(String caPem)
            throws java.security.GeneralSecurityException, java.io.IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (var cert : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
            ks.setCertificateEntry("ca-" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
