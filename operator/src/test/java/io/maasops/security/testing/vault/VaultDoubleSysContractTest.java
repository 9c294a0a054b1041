package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract tests of the double against docs/reference/vault-api.md §1–§5 and §9. */
class VaultDoubleSysContractTest {
    VaultDouble vault;
    RawVaultClient http;
    String root;

    @BeforeEach
    void start() {
        vault = VaultDouble.start();
        http = new RawVaultClient(vault);
        root = vault.rootToken();
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void envelopeHasEveryKeyInOrderAndExactContentType_s1_1() {
        var r = http.get("auth/token/lookup-self", root);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        List<String> keys = new ArrayList<>();
        r.json().fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .containsExactly(
                        "request_id",
                        "lease_id",
                        "renewable",
                        "lease_duration",
                        "data",
                        "wrap_info",
                        "warnings",
                        "auth");
    }

    @Test
    void healthReportsJsonForEveryStatusAndSealStatusIsAlways200_s2() {
        var ok = http.get("sys/health", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("sealed").asBoolean()).isFalse();
        assertThat(ok.json().has("cluster_name")).isTrue();
        vault.seal();
        var sealed = http.get("sys/health", null);
        assertThat(sealed.status()).isEqualTo(503);
        assertThat(sealed.json().get("sealed").asBoolean()).isTrue();
        assertThat(sealed.json().get("initialized").asBoolean()).isTrue();
        assertThat(sealed.json().has("cluster_name")).isFalse();
        assertThat(http.get("sys/health?sealedcode=299", null).status()).isEqualTo(299);
        assertThat(http.get("sys/health?sealedcode=abc", null).body()).isEqualTo("{\"errors\":[]}");
        assertThat(http.send("HEAD", "sys/health", null, null, Map.of()).body()).isEmpty();
        var ss = http.get("sys/seal-status", null);
        assertThat(ss.status()).isEqualTo(200);
        assertThat(ss.json().get("sealed").asBoolean()).isTrue();
        assertThat(ss.json().get("t").asInt()).isEqualTo(1);
    }

    @Test
    void everyOtherEndpointAnswers503WhileSealed_s2_3() {
        vault.enableAppRole("approle");
        vault.seal();
        for (var r : List.of(
                http.get("auth/token/lookup-self", root),
                http.list("sys/policies/acl", root),
                http.post("auth/approle/login", null, "{\"role_id\":\"x\",\"secret_id\":\"y\"}"),
                http.post("sys/wrapping/unwrap", "hvs.nothing", null),
                http.get("sys/mounts", root),
                http.get("secret/data/x", root))) {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("{\"errors\":[\"Vault is sealed\"]}");
        }
    }

    @Test
    void sealAndUnsealOverHttp_s2_3() {
        assertThat(http.post("sys/seal", vault.createToken(List.of(), Duration.ZERO), null)
                        .status())
                .isEqualTo(403);
        assertThat(http.post("sys/seal", root, null).status()).isEqualTo(204);
        assertThat(vault.isSealed()).isTrue();
        assertThat(http.post("sys/unseal", null, "{\"key\":\"wrong\"}").status())
                .isEqualTo(400);
        var r = http.post("sys/unseal", null, "{\"key\":\"" + vault.unsealKey() + "\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("sealed").asBoolean()).isFalse();
        assertThat(http.get("auth/token/lookup-self", root).status()).isEqualTo(200); // tokens survive a seal
    }

    @Test
    void enablingAuthTwiceIs400PathInUseAndNeedsSudo_s3() {
        assertThat(http.post("sys/auth/approle", root, "{\"type\":\"approle\"}").status())
                .isEqualTo(204);
        var again = http.post("sys/auth/approle", root, "{\"type\":\"approle\"}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("errors").get(0).asText()).isEqualTo("path is already in use at approle/");
        var list = http.get("sys/auth", root).json();
        assertThat(list.get("data").get("approle/").get("type").asText()).isEqualTo("approle");
        assertThat(list.get("approle/").get("type").asText()).isEqualTo("approle"); // top-level injection §1.2
        assertThat(list.get("data").has("token/")).isTrue();
        vault.putPolicy("nosudo", "path \"sys/auth/*\" { capabilities = [\"create\",\"update\",\"read\"] }");
        String t = vault.createToken(List.of("nosudo"), Duration.ZERO);
        assertThat(http.post("sys/auth/other", t, "{\"type\":\"approle\"}").status())
                .isEqualTo(403);
        vault.putPolicy("sudo", "path \"sys/auth/*\" { capabilities = [\"create\",\"update\",\"sudo\"] }");
        String s = vault.createToken(List.of("sudo"), Duration.ZERO);
        assertThat(http.post("sys/auth/other", s, "{\"type\":\"approle\"}").status())
                .isEqualTo(204);
        assertThat(http.post("sys/auth/tok", root, "{\"type\":\"token\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("token credential backend cannot be instantiated");
    }

    @Test
    void mountsKvV2AliasAndConflict_s4() {
        assertThat(http.post("sys/mounts/secret", root, "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}")
                        .status())
                .isEqualTo(204);
        assertThat(http.post("sys/mounts/old", root, "{\"type\":\"kv-v1\"}").status())
                .isEqualTo(204);
        JsonNode m = http.get("sys/mounts", root).json();
        assertThat(m.get("data").get("secret/").get("options").get("version").asText())
                .isEqualTo("2");
        assertThat(m.get("secret/").get("type").asText()).isEqualTo("kv");
        assertThat(m.get("data").get("old/").get("options").get("version").asText())
                .isEqualTo("1");
        var again = http.post("sys/mounts/secret", root, "{\"type\":\"kv-v2\"}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("errors").get(0).asText()).isEqualTo("path is already in use at secret/");
        assertThat(http.post("sys/mounts/t", root, "{\"type\":\"transit\",\"options\":{\"version\":\"2\"}}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("secrets engine \"transit\" does not allow setting a version");
        var tune = http.get("sys/mounts/secret/tune", root).json();
        assertThat(tune.get("max_lease_ttl").asLong()).isEqualTo(2764800);
        assertThat(tune.get("data").get("options").get("version").asText()).isEqualTo("2");
        assertThat(vault.mounts()).containsEntry("secret/", "kv-v2").containsEntry("old/", "kv-v1");
    }

    @Test
    void policiesCrud_s5_1() {
        assertThat(http.post(
                                "sys/policies/acl/app",
                                root,
                                "{\"policy\":\"path \\\"secret/*\\\" { capabilities = [\\\"read\\\"] }\"}")
                        .status())
                .isEqualTo(204);
        var read = http.get("sys/policies/acl/app", root).json();
        assertThat(read.get("data").get("name").asText()).isEqualTo("app");
        assertThat(read.get("data").get("policy").asText()).contains("secret/*");
        assertThat(http.list("sys/policies/acl", root)
                        .json()
                        .get("data")
                        .get("keys")
                        .toString())
                .isEqualTo("[\"app\",\"default\",\"root\"]");
        var upper = http.post(
                "sys/policies/acl/UP", root, "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}");
        assertThat(upper.status()).isEqualTo(200);
        assertThat(upper.json().get("warnings").get(0).asText()).isEqualTo("policy name was converted to up");
        var bad = http.post(
                "sys/policies/acl/bad", root, "{\"policy\":\"path \\\"x\\\" { capabilities = [\\\"foo\\\"] }\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).asText())
                .isEqualTo("failed to parse policy: path \"x\": invalid capability \"foo\"");
        assertThat(http.post("sys/policies/acl/root", root, "{\"policy\":\"path \\\"a\\\" {}\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("cannot update \"root\" policy");
        assertThat(http.post("sys/policies/acl/e", root, "{}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("'policy' parameter not supplied or empty");
        assertThat(http.delete("sys/policies/acl/app", root).status()).isEqualTo(204);
        assertThat(http.delete("sys/policies/acl/app", root).status()).isEqualTo(204);
        var missing = http.get("sys/policies/acl/app", root);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"errors\":[]}");
        assertThat(http.delete("sys/policies/acl/default", root)
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("cannot delete default policy");
    }

    @Test
    void aclPrecedenceDenyAndDefaultPolicy_s5_2() {
        vault.enableKvV2("secret");
        vault.putPolicy("p1", """
                path "secret/data/*" { capabilities = ["read"] }
                path "secret/data/team/+/x" { capabilities = ["create", "update"] }
                path "secret/data/exact" { capabilities = ["deny"] }
                """);
        vault.putPolicy(
                "p2",
                "path \"secret/data/open\" { capabilities = [\"read\", \"create\"] }\n"
                        + "path \"secret/data/*\" { capabilities = [\"deny\"] }");
        String a = vault.createToken(List.of("p1"), Duration.ZERO);
        assertThat(http.get("secret/data/anything", a).status()).isEqualTo(404); // allowed, missing
        assertThat(http.post("secret/data/team/b/x", a, "{\"data\":{\"k\":\"v\"}}")
                        .status())
                .isEqualTo(200);
        assertThat(http.post("secret/data/other", a, "{\"data\":{\"k\":\"v\"}}").status())
                .isEqualTo(403);
        var denied = http.get("secret/data/exact", a);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains("permission denied");
        // deny merges per identical pattern only: secret/data/* becomes deny, the exact "open" rule still allows
        String b = vault.createToken(List.of("p1", "p2"), Duration.ZERO);
        assertThat(http.get("secret/data/anything", b).status()).isEqualTo(403);
        assertThat(http.post("secret/data/open", b, "{\"data\":{\"k\":\"v\"}}").status())
                .isEqualTo(200);
        // default policy: lookup-self yes, sys/mounts no
        assertThat(http.get("auth/token/lookup-self", a).status()).isEqualTo(200);
        assertThat(http.get("sys/mounts", a).status()).isEqualTo(403);
        // missing route with a root token
        assertThat(http.get("nomount/data/x", root).json().get("errors").get(0).asText())
                .isEqualTo("no handler for route \"nomount/data/x\". route entry not found.");
    }

    @Test
    void tokenLookupRenewAndExpiry_s9() {
        var root = http.get("auth/token/lookup-self", this.root).json().get("data");
        assertThat(root.get("policies").toString()).isEqualTo("[\"root\"]");
        assertThat(root.get("ttl").asLong()).isZero();
        assertThat(root.get("expire_time").isNull()).isTrue();
        String t = vault.createToken(List.of("p"), Duration.ofMinutes(5));
        var d = http.get("auth/token/lookup-self", t).json().get("data");
        assertThat(d.get("ttl").asLong()).isEqualTo(300);
        assertThat(d.get("policies").toString()).isEqualTo("[\"default\",\"p\"]");
        vault.advance(Duration.ofMinutes(4));
        var renewed =
                http.post("auth/token/renew-self", t, "{\"increment\":\"10m\"}").json();
        assertThat(renewed.get("auth").get("lease_duration").asLong()).isEqualTo(600);
        assertThat(renewed.get("auth").get("client_token").asText()).isEqualTo(t);
        vault.advance(Duration.ofMinutes(11));
        var expired = http.get("auth/token/lookup-self", t);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.body()).contains("permission denied").contains("invalid token");
        assertThat(http.get("auth/token/lookup-self", null).status()).isEqualTo(403);
    }

    @Test
    void tokenCreateNumUsesAndBoundCidrs_s6_1_s9() {
        var created = http.post("auth/token/create", root, "{\"policies\":[\"p\"],\"ttl\":\"1h\",\"num_uses\":2}")
                .json()
                .get("auth");
        String t = created.get("client_token").asText();
        assertThat(created.get("policies").toString()).isEqualTo("[\"default\",\"p\"]");
        assertThat(created.get("lease_duration").asLong()).isEqualTo(3600);
        assertThat(http.get("auth/token/lookup-self", t)
                        .json()
                        .get("data")
                        .get("num_uses")
                        .asInt())
                .isEqualTo(1);
        assertThat(http.get("auth/token/lookup-self", t).status()).isEqualTo(200); // second and last use
        assertThat(http.get("auth/token/lookup-self", t).status()).isEqualTo(403);
        // a role's token_bound_cidrs: the double sees 127.0.0.1, so a 10/8-bound token is refused on use
        http.post("sys/auth/approle", root, "{\"type\":\"approle\"}");
        http.post("auth/approle/role/b", root, "{\"token_bound_cidrs\":[\"10.0.0.0/8\"]}");
        String roleId = http.get("auth/approle/role/b/role-id", root)
                .json()
                .get("data")
                .get("role_id")
                .asText();
        String sid = http.post("auth/approle/role/b/secret-id", root, "{}")
                .json()
                .get("data")
                .get("secret_id")
                .asText();
        String bound = http.post(
                        "auth/approle/login", null, "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"" + sid + "\"}")
                .json()
                .get("auth")
                .get("client_token")
                .asText();
        assertThat(http.get("auth/token/lookup-self", bound).status()).isEqualTo(403);
        assertThat(http.post("auth/token/revoke-self", root, null).status()).isEqualTo(204);
        assertThat(http.get("auth/token/lookup-self", root).status()).isEqualTo(403);
    }

    @Test
    void kubernetesLogin_s9() {
        vault.enableKubernetesAuth("kubernetes", "op", "jwt-abc", List.of("ops"), Duration.ofHours(1));
        var ok = http.post("auth/kubernetes/login", null, "{\"role\":\"op\",\"jwt\":\"jwt-abc\"}")
                .json();
        assertThat(ok.get("auth").get("policies").toString()).isEqualTo("[\"default\",\"ops\"]");
        assertThat(ok.get("auth").get("metadata").get("role").asText()).isEqualTo("op");
        assertThat(ok.get("auth").get("lease_duration").asLong()).isEqualTo(3600);
        assertThat(http.post("auth/kubernetes/login", null, "{\"role\":\"op\",\"jwt\":\"nope\"}")
                        .status())
                .isEqualTo(403);
        assertThat(http.post("auth/kubernetes/login", null, "{\"role\":\"x\",\"jwt\":\"j\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("invalid role name \"x\"");
        assertThat(http.post("auth/kubernetes/login", null, "{\"jwt\":\"j\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("missing role");
        assertThat(vault.loginCount()).isEqualTo(1);
    }

    @Test
    void requestLogRecordsMethodPathStatusAndWrites() {
        vault.clearRequests();
        http.get("sys/health", null);
        http.list("sys/policies/acl", root);
        http.post("sys/mounts/secret", root, "{\"type\":\"kv-v2\"}");
        assertThat(vault.requests())
                .containsExactly(
                        new VaultDouble.Request("GET", "/v1/sys/health", 200, false, null),
                        new VaultDouble.Request("LIST", "/v1/sys/policies/acl", 200, false, null),
                        new VaultDouble.Request(
                                "POST",
                                "/v1/sys/mounts/secret",
                                204,
                                true,
                                null,
                                Reply.JSON.createObjectNode().put("type", "kv-v2")));
    }
}
