package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The API server's ServiceAccount tokens, as kube-apiserver issues (TokenRequest, a projected volume) and
 * checks them: RS256 JWTs signed with the server's own key, claims {@code iss}, {@code sub}
 * ({@code system:serviceaccount:<ns>:<name>}), {@code aud}, {@code exp}/{@code iat}/{@code nbf} and
 * {@code kubernetes.io.{namespace,serviceaccount}}. A token authenticates only with a valid signature,
 * unexpired, and for one of the audiences asked for (the API server's own when none is asked):
 * what TokenReview answers and what a bearer token on a request must pass.
 */
final class ServiceAccountTokens {

    /** kube-apiserver's default --service-account-issuer and --api-audiences. */
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    static final List<String> API_AUDIENCES = List.of(ISSUER);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair key;
    private final String keyId = UUID.randomUUID().toString();

    /** Who a token authenticates as; {@code audiences}: the token's audiences that were asked for. */
    record Identity(String namespace, String name, String uid, List<String> audiences) {
        String username() {
            return "system:serviceaccount:" + namespace + ":" + name;
        }
    }

    ServiceAccountTokens() {
        key = SigningKey.PAIR;
    }

    /**
     * One RSA key per JVM, made once: generating a 2048-bit key for every API double took 6 % of the test
     * suite's CPU. Doubles still refuse each other's tokens: a token's {@code kid} must be this double's own.
     */
    private static final class SigningKey {
        static final KeyPair PAIR = generate();

        private static KeyPair generate() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String uid(String namespace, String name) {
        return UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    String issue(String namespace, String name, List<String> audiences, Duration ttl) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("kid", keyId);
        ObjectNode claims = JSON.createObjectNode();
        ArrayNode aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        claims.put("exp", now + ttl.toSeconds())
                .put("iat", now)
                .put("iss", ISSUER)
                .put("jti", UUID.randomUUID().toString())
                .put("nbf", now)
                .put("sub", "system:serviceaccount:" + namespace + ":" + name);
        ObjectNode k8s = claims.putObject("kubernetes.io").put("namespace", namespace);
        k8s.putObject("serviceaccount").put("name", name).put("uid", uid(namespace, name));
        String signingInput = part(header) + "." + part(claims);
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The identity of a token this server issued, if its signature verifies, it has not expired, and its
     * audiences meet {@code wanted}; otherwise why not (kube-apiserver's authenticator error).
     */
    Result authenticate(String token, List<String> wanted) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Result.refused("invalid bearer token");
        }
        JsonNode claims;
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key.getPublic());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Result.refused("invalid bearer token");
            }
            // another double's token (same JVM-wide key): kube-apiserver would not know its signing key
            if (!keyId.equals(JSON.readTree(Base64.getUrlDecoder().decode(parts[0]))
                    .path("kid")
                    .asText())) {
                return Result.refused("invalid bearer token");
            }
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return Result.refused("invalid bearer token");
        }
        if (Instant.now().getEpochSecond() >= claims.path("exp").asLong()) {
            return Result.refused("invalid bearer token, service account token has expired");
        }
        List<String> audiences = new ArrayList<>();
        claims.path("aud").forEach(a -> audiences.add(a.asText()));
        List<String> met = audiences.stream().filter(wanted::contains).toList();
        if (met.isEmpty()) {
            return Result.refused("invalid bearer token, token audiences " + quoted(audiences)
                    + " is invalid for the target audiences " + quoted(wanted));
        }
        JsonNode k8s = claims.path("kubernetes.io");
        return new Result(
                Optional.of(new Identity(
                        k8s.path("namespace").asText(),
                        k8s.path("serviceaccount").path("name").asText(),
                        k8s.path("serviceaccount").path("uid").asText(),
                        met)),
                "");
    }

    /** kube-apiserver's TokenReview create (pkg/registry/authentication/tokenreview): the review, with status. */
    ObjectNode review(JsonNode review) {
        List<String> wanted = new ArrayList<>();
        review.path("spec").path("audiences").forEach(a -> wanted.add(a.asText()));
        Result r = authenticate(review.path("spec").path("token").asText(), wanted.isEmpty() ? API_AUDIENCES : wanted);
        ObjectNode out = review.deepCopy();
        out.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
        out.putObject("metadata").putNull("creationTimestamp");
        ObjectNode status =
                out.putObject("status").put("authenticated", r.identity().isPresent());
        if (!r.error().isEmpty()) {
            status.put("error", r.error());
        }
        r.identity().ifPresent(id -> {
            ObjectNode user =
                    status.putObject("user").put("username", id.username()).put("uid", id.uid());
            ArrayNode groups = user.putArray("groups");
            groups.add("system:serviceaccounts")
                    .add("system:serviceaccounts:" + id.namespace())
                    .add("system:authenticated");
            ArrayNode auds = status.putArray("audiences");
            id.audiences().forEach(auds::add);
        });
        return out;
    }

    record Result(Optional<Identity> identity, String error) {
        static Result refused(String why) {
            return new Result(Optional.empty(), "[" + why + "]");
        }
    }

    private static String part(JsonNode node) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's %q of a []string: ["a" "b"]. */
    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(" ", "[", "]"));
    }
}
