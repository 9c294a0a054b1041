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

/** Contract tests of the double against docs/reference/vault-api.md §6 (AppRole) and §7 (response wrapping). */
class VaultDoubleAppRoleContractTest {
    VaultDouble vault;
    RawVaultClient http;
    String root;

    @BeforeEach
    void start() {
        vault = VaultDouble.start();
        http = new RawVaultClient(vault);
        root = vault.rootToken();
        assertThat(http.post("sys/auth/approle", root, "{\"type\":\"approle\"}").status())
                .isEqualTo(204);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private String roleId(String role) {
        return http.get("auth/approle/role/" + role + "/role-id", root)
                .json()
                .get("data")
                .get("role_id")
                .asText();
    }

    @Test
    void roleCrudAndReadShape_s6_1() {
        assertThat(http.list("auth/approle/role", root).body()).isEqualTo("{\"errors\":[]}");
        var create = http.post(
                "auth/approle/role/App",
                root,
                "{\"token_policies\":[\"b\",\"a\"],\"token_ttl\":\"5m\",\"token_max_ttl\":1800,\"secret_id_ttl\":0,"
                        + "\"token_bound_cidrs\":\"127.0.0.1/32,10.0.0.0/8\"}");
        assertThat(create.status()).isEqualTo(204);
        JsonNode d = http.get("auth/approle/role/app", root).json().get("data");
        // stored as given (tokenutil.ParseTokenFields); only logins sanitise
        assertThat(d.get("token_policies").toString()).isEqualTo("[\"b\",\"a\"]");
        assertThat(d.get("token_ttl").asLong()).isEqualTo(300);
        assertThat(d.get("token_max_ttl").asLong()).isEqualTo(1800);
        assertThat(d.get("token_bound_cidrs").toString()).isEqualTo("[\"127.0.0.1/32\",\"10.0.0.0/8\"]");
        assertThat(d.get("token_type").asText()).isEqualTo("default");
        assertThat(d.get("bind_secret_id").asBoolean()).isTrue();
        assertThat(http.list("auth/approle/role", root)
                        .json()
                        .get("data")
                        .get("keys")
                        .toString())
                .isEqualTo("[\"app\"]");
        var bad = http.post("auth/approle/role/app", root, "{\"token_ttl\":3600,\"token_max_ttl\":60}");
        assertThat(bad.json().get("errors").get(0).asText())
                .isEqualTo("'token_ttl' cannot be greater than 'token_max_ttl'");
        assertThat(http.post("auth/approle/role/app", root, "{\"token_type\":\"x\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("invalid 'token_type' value \"x\"");
        assertThat(http.delete("auth/approle/role/app", root).status()).isEqualTo(204);
        assertThat(http.delete("auth/approle/role/app", root).status()).isEqualTo(204);
        assertThat(http.get("auth/approle/role/app", root).body()).isEqualTo("{\"errors\":[]}");
        assertThat(http.get("auth/approle/role/app/role-id", root).status()).isEqualTo(404);
    }

    @Test
    void secretIdLifecycleAndMisses_s6_3() {
        http.post("auth/approle/role/app", root, "{\"token_policies\":\"p\"}");
        assertThat(http.list("auth/approle/role/app/secret-id", root).status()).isEqualTo(404);
        var created = http.post("auth/approle/role/app/secret-id", root, "{\"metadata\":\"{\\\"tag\\\":\\\"x\\\"}\"}")
                .json()
                .get("data");
        String secretId = created.get("secret_id").asText();
        String accessor = created.get("secret_id_accessor").asText();
        assertThat(created.get("secret_id_ttl").asLong()).isZero();
        assertThat(http.list("auth/approle/role/app/secret-id", root)
                        .json()
                        .get("data")
                        .get("keys")
                        .get(0)
                        .asText())
                .isEqualTo(accessor);
        var lookup = http.post(
                "auth/approle/role/app/secret-id-accessor/lookup",
                root,
                "{\"secret_id_accessor\":\"" + accessor + "\"}");
        assertThat(lookup.json().get("data").get("metadata").get("tag").asText())
                .isEqualTo("x");
        assertThat(lookup.json().get("data").get("expiration_time").asText()).isEqualTo("0001-01-01T00:00:00Z");
        var miss =
                http.post("auth/approle/role/app/secret-id-accessor/lookup", root, "{\"secret_id_accessor\":\"abc\"}");
        assertThat(miss.status()).isEqualTo(404);
        assertThat(miss.json().get("data").get("error").asText())
                .isEqualTo("failed to find accessor entry for secret_id_accessor: \"abc\"");
        assertThat(http.post("auth/approle/role/app/secret-id/lookup", root, "{\"secret_id\":\"nope\"}")
                        .status())
                .isEqualTo(204);
        var destroyMiss =
                http.post("auth/approle/role/app/secret-id-accessor/destroy", root, "{\"secret_id_accessor\":\"abc\"}");
        assertThat(destroyMiss.status()).isEqualTo(500);
        assertThat(destroyMiss.json().get("errors").get(0).asText())
                .isEqualTo("1 error occurred:\n\t* failed to find accessor entry for secret_id_accessor: \"abc\"\n\n");
        var missingRole = http.post("auth/approle/role/nope/secret-id", root, "{}");
        assertThat(missingRole.status()).isEqualTo(404);
        assertThat(missingRole.json().get("errors").get(0).asText()).isEqualTo("role \"nope\" does not exist");
        var login = http.post(
                "auth/approle/login",
                null,
                "{\"role_id\":\"" + roleId("app") + "\",\"secret_id\":\"" + secretId + "\"}");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("auth").get("metadata").get("role_name").asText())
                .isEqualTo("app");
        assertThat(login.json().get("auth").get("metadata").get("tag").asText()).isEqualTo("x");
        assertThat(http.post(
                                "auth/approle/role/app/secret-id-accessor/destroy",
                                root,
                                "{\"secret_id_accessor\":\"" + accessor + "\"}")
                        .status())
                .isEqualTo(204);
        assertThat(vault.secretIdAccessors("approle", "app")).isEmpty();
    }

    @Test
    void loginShapeUsesAndCidr_s6_4() {
        http.post(
                "auth/approle/role/app",
                root,
                "{\"token_policies\":[\"Zed\",\"alpha\"],\"token_ttl\":\"5m\",\"secret_id_num_uses\":2}");
        String secretId = http.post("auth/approle/role/app/secret-id", root, "{}")
                .json()
                .get("data")
                .get("secret_id")
                .asText();
        String body = "{\"role_id\":\"" + roleId("app") + "\",\"secret_id\":\"" + secretId + "\"}";
        var first = http.post("auth/approle/login", null, body);
        JsonNode auth = first.json().get("auth");
        assertThat(first.json().get("data").isNull()).isTrue();
        assertThat(auth.get("policies").toString()).isEqualTo("[\"alpha\",\"default\",\"zed\"]");
        assertThat(auth.get("token_policies").toString()).isEqualTo("[\"alpha\",\"default\",\"zed\"]");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(300);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(auth.get("client_token").asText()).startsWith("hvs.");
        List<String> keys = new ArrayList<>();
        auth.fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .contains(
                        "client_token",
                        "accessor",
                        "metadata",
                        "entity_id",
                        "token_type",
                        "orphan",
                        "mfa_requirement",
                        "num_uses");
        assertThat(http.post("auth/approle/login", null, body).status()).isEqualTo(200);
        var third = http.post("auth/approle/login", null, body);
        assertThat(third.status()).isEqualTo(400);
        assertThat(third.json().get("errors").get(0).asText()).isEqualTo("invalid role or secret ID");
        assertThat(http.post("auth/approle/login", null, "{}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("missing role_id");
        assertThat(http.post("auth/approle/login", null, "{\"role_id\":\"" + roleId("app") + "\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("missing secret_id");
        // CIDR binding: the double sees 127.0.0.1
        http.post("auth/approle/role/bound", root, "{\"secret_id_bound_cidrs\":[\"10.0.0.0/8\"]}");
        String s2 = http.post("auth/approle/role/bound/secret-id", root, "{}")
                .json()
                .get("data")
                .get("secret_id")
                .asText();
        var cidr = http.post(
                "auth/approle/login", null, "{\"role_id\":\"" + roleId("bound") + "\",\"secret_id\":\"" + s2 + "\"}");
        assertThat(cidr.status()).isEqualTo(400);
        assertThat(cidr.json().get("errors").get(0).asText())
                .startsWith("source address \"127.0.0.1\" unauthorized by CIDR restrictions");
        assertThat(vault.loginCount()).isEqualTo(2);
    }

    @Test
    void fiveFailedLoginsLockTheRoleIdOutFor15Minutes_s6_4() {
        http.post("auth/approle/role/app", root, "{}");
        String good = http.post("auth/approle/role/app/secret-id", root, "{}")
                .json()
                .get("data")
                .get("secret_id")
                .asText();
        String rid = roleId("app");
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("auth/approle/login", null, "{\"role_id\":\"" + rid + "\",\"secret_id\":\"bad\"}")
                            .status())
                    .isEqualTo(400);
        }
        var locked =
                http.post("auth/approle/login", null, "{\"role_id\":\"" + rid + "\",\"secret_id\":\"" + good + "\"}");
        assertThat(locked.status()).isEqualTo(403);
        assertThat(locked.body()).contains("permission denied");
        vault.advance(Duration.ofMinutes(15));
        assertThat(http.post("auth/approle/login", null, "{\"role_id\":\"" + rid + "\",\"secret_id\":\"" + good + "\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void secretIdTtlExpiresWithTheClock_s6_4() {
        http.post("auth/approle/role/app", root, "{\"secret_id_ttl\":\"10m\"}");
        var created =
                http.post("auth/approle/role/app/secret-id", root, "{}").json().get("data");
        assertThat(created.get("secret_id_ttl").asLong()).isEqualTo(600);
        assertThat(http.post("auth/approle/role/app/secret-id", root, "{\"ttl\":\"1h\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("ttl cannot be longer than the role's secret_id_ttl");
        vault.advance(Duration.ofMinutes(11));
        var login = http.post(
                "auth/approle/login",
                null,
                "{\"role_id\":\"" + roleId("app") + "\",\"secret_id\":\""
                        + created.get("secret_id").asText() + "\"}");
        assertThat(login.status()).isEqualTo(400);
    }

    @Test
    void wrappedSecretIdIsSingleUseAndExpires_s6_3_s7() {
        http.post("auth/approle/role/app", root, "{}");
        var wrapped =
                http.send("POST", "auth/approle/role/app/secret-id", root, null, Map.of("X-Vault-Wrap-TTL", "5m"));
        assertThat(wrapped.status()).isEqualTo(200);
        JsonNode w = wrapped.json();
        assertThat(w.get("request_id").asText()).isEmpty();
        assertThat(w.get("data").isNull()).isTrue();
        JsonNode info = w.get("wrap_info");
        assertThat(info.get("ttl").asLong()).isEqualTo(300);
        assertThat(info.get("creation_path").asText()).isEqualTo("auth/approle/role/app/secret-id");
        String accessor = info.get("wrapped_accessor").asText();
        assertThat(vault.secretIdAccessors("approle", "app")).containsExactly(accessor);
        String token = info.get("token").asText();
        var lookup = http.post("sys/wrapping/lookup", null, "{\"token\":\"" + token + "\"}")
                .json()
                .get("data");
        assertThat(lookup.get("creation_ttl").asLong()).isEqualTo(300);
        assertThat(lookup.get("creation_path").asText()).isEqualTo("auth/approle/role/app/secret-id");
        var unwrap = http.post("sys/wrapping/unwrap", token, null);
        assertThat(unwrap.status()).isEqualTo(200);
        JsonNode inner = unwrap.json();
        assertThat(inner.get("request_id").asText()).isNotEmpty();
        assertThat(inner.get("data").get("secret_id_accessor").asText()).isEqualTo(accessor);
        assertThat(inner.get("wrap_info").isNull()).isTrue();
        var again = http.post("sys/wrapping/unwrap", token, null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).isEqualTo("{\"errors\":[\"wrapping token is not valid or does not exist\"]}");
        // TTL: a second wrapped secret-id expires with the clock
        String t2 = http.send("POST", "auth/approle/role/app/secret-id", root, null, Map.of("X-Vault-Wrap-TTL", "60"))
                .json()
                .get("wrap_info")
                .get("token")
                .asText();
        vault.advance(Duration.ofSeconds(61));
        assertThat(http.post("sys/wrapping/unwrap", root, "{\"token\":\"" + t2 + "\"}")
                        .status())
                .isEqualTo(400);
        assertThat(http.post("sys/wrapping/lookup", null, "{\"token\":\"" + t2 + "\"}")
                        .status())
                .isEqualTo(400);
        assertThat(http.post("sys/wrapping/unwrap", root, "{\"token\":\"\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("error validating wrapping token: empty token in request body");
        assertThat(http.send("POST", "auth/approle/role/app/secret-id", root, null, Map.of("X-Vault-Wrap-TTL", "-5"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void wrapEndpointAndRewrap_s7() {
        assertThat(http.post("sys/wrapping/wrap", root, "{\"a\":\"b\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("endpoint requires response wrapping to be used");
        String t = http.send("POST", "sys/wrapping/wrap", root, "{\"a\":\"b\"}", Map.of("X-Vault-Wrap-TTL", "2m"))
                .json()
                .get("wrap_info")
                .get("token")
                .asText();
        JsonNode re = http.post("sys/wrapping/rewrap", root, "{\"token\":\"" + t + "\"}")
                .json()
                .get("wrap_info");
        assertThat(re.get("creation_path").asText()).isEqualTo("sys/wrapping/wrap");
        assertThat(http.post("sys/wrapping/unwrap", t, null).status()).isEqualTo(400);
        assertThat(http.post("sys/wrapping/unwrap", re.get("token").asText(), null)
                        .json()
                        .get("data")
                        .get("a")
                        .asText())
                .isEqualTo("b");
    }
}
