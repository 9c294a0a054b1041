package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract tests of the double's parameter constraints against docs/reference/vault-acl-parameters.md: evaluation order and
 * req.Data (§2, §5), value matching (§6.1), the two modes of §6.2 (OpenBao and Vault ≤ 1.20; Vault ≥ 1.21),
 * merging (§4), logins that would yield root (§7), and a least-privilege operator policy on a dedicated AppRole mount.
 */
class VaultDoubleAclParametersContractTest {
    static final String DENIED = "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}";
    static final String FORM = "application/x-www-form-urlencoded";

    VaultDouble vault;
    RawVaultClient http;
    String root;

    @BeforeEach
    void start() {
        vault = VaultDouble.start();
        http = new RawVaultClient(vault);
        root = vault.rootToken();
        vault.enableKvV1("kv");
        vault.enableAppRole("approle");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    /** A token holding exactly these policies (plus default), each given as HCL. */
    private String tokenWith(String... hcl) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hcl.length; i++) {
            vault.putPolicy("p" + i, hcl[i]);
            names.add("p" + i);
        }
        return vault.createToken(names, Duration.ofHours(1));
    }

    /** JSON with ' for " so the tables stay readable. */
    private static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private int post(String path, String token, String json) {
        return http.post(path, token, j(json)).status();
    }

    private RawVaultClient.Response form(String path, String token, String body) {
        return http.send("POST", path, token, body, Map.of("Content-Type", FORM));
    }

    private RawVaultClient.Response wrapped(String method, String path, String token, String json, String ttl) {
        return http.send(method, path, token, json == null ? null : j(json), Map.of("X-Vault-Wrap-TTL", ttl));
    }

    // ------------------------------------------------------------------ §6.2 both modes

    static final String GLOB = "allowed_parameters = { token_policies = [\"maas-*\"] }";
    static final String EXACT = "allowed_parameters = { token_policies = [\"maas-a\"] }";
    static final String NESTED = "allowed_parameters = { token_policies = [\"maas-a\", [\"maas-a\"]] }";
    static final String DENY_ROOT = "denied_parameters = { token_policies = [\"root\"] }";

    /** One row: the constraint on auth/approle/role/+, the JSON value of token_policies, and the status per mode. */
    record Row(String constraint, String value, int wholeValue, int perElement) {
        @Override
        public String toString() {
            return constraint.replaceAll("\\s+", " ") + " ← " + value;
        }
    }

    static final List<Row> TABLE = List.of(
            // §6.2: a glob allowlist on a comma-list field is bypassable in every version
            new Row(GLOB, "\"maas-a,root\"", 204, 204),
            new Row(GLOB, "\"maas-a,vault-admin\"", 204, 204),
            new Row(GLOB, "[\"maas-a\",\"root\"]", 403, 403),
            new Row(GLOB, "[\"maas-a\",\"maas-b\"]", 403, 204),
            // exact allowlist: safe in every version
            new Row(EXACT, "\"maas-a\"", 204, 204),
            new Row(EXACT, "\"maas-a,root\"", 403, 403),
            new Row(EXACT, "\"MAAS-A\"", 403, 403),
            new Row(EXACT, "\"maas-a \"", 403, 204), // ≥ 1.21 trims the comma pieces
            new Row(EXACT, "\"\"", 403, 204),
            new Row(EXACT, "null", 403, 403),
            new Row(EXACT, "[\"maas-a\"]", 403, 204),
            new Row(EXACT, "[]", 403, 204),
            new Row(NESTED, "[\"maas-a\"]", 204, 204),
            // value denylists: bypassable on OpenBao / ≤ 1.20; ≥ 1.21 splits but does not fold case
            new Row(DENY_ROOT, "\"root\"", 403, 403),
            new Row(DENY_ROOT, "\"x,root\"", 204, 403),
            new Row(DENY_ROOT, "[\"x\",\"root\"]", 204, 403),
            new Row(DENY_ROOT, "\"ROOT\"", 204, 204),
            new Row(DENY_ROOT, "\" root\"", 204, 403));

    static Stream<Arguments> tableRows() {
        return TABLE.stream()
                .flatMap(r -> Stream.of(
                        Arguments.of(r, ParameterMatching.WHOLE_VALUE),
                        Arguments.of(r, ParameterMatching.PER_ELEMENT)));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("tableRows")
    void tokenPoliciesTable_s1_5_s1_6(Row row, ParameterMatching mode) {
        vault.parameterMatching(mode);
        String t = tokenWith(
                "path \"auth/approle/role/+\" { capabilities = [\"create\", \"update\"]\n" + row.constraint() + "\n}");
        var r = http.post("auth/approle/role/r", t, "{\"token_policies\":" + row.value() + "}");
        int expected = mode == ParameterMatching.WHOLE_VALUE ? row.wholeValue() : row.perElement();
        assertThat(r.status()).isEqualTo(expected);
        if (expected == 403) {
            assertThat(r.body()).isEqualTo(DENIED);
            assertThat(vault.roleNames("approle")).isEmpty();
        }
    }

    @Test
    void globBypassStoresRootButLoginCannotYieldRoot_s1_5_s2() {
        String t = tokenWith(
                "path \"auth/approle/role/+\" { capabilities = [\"create\", \"update\", \"read\"]\n" + GLOB + "\n}"
                        + "path \"auth/approle/role/+/role-id\" { capabilities = [\"read\"] }\n"
                        + "path \"auth/approle/role/+/secret-id\" { capabilities = [\"update\"] }\n");
        assertThat(post("auth/approle/role/r", t, "{'token_policies':'maas-a,root'}"))
                .isEqualTo(204);
        assertThat(http.get("auth/approle/role/r", t)
                        .json()
                        .at("/data/token_policies")
                        .toString())
                .isEqualTo("[\"maas-a\",\"root\"]");
        var login = login("approle", "r", t);
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body()).isEqualTo("{\"errors\":[\"auth methods cannot create root tokens\"]}");
    }

    private RawVaultClient.Response login(String mount, String role, String token) {
        String roleId = http.get("auth/" + mount + "/role/" + role + "/role-id", token)
                .json()
                .at("/data/role_id")
                .asText();
        String secretId = http.post("auth/" + mount + "/role/" + role + "/secret-id", token, "")
                .json()
                .at("/data/secret_id")
                .asText();
        return http.post(
                "auth/" + mount + "/login",
                null,
                "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"" + secretId + "\"}");
    }

    // ------------------------------------------------------------------ §7 logins

    @Test
    void loginsSanitisePoliciesAndRefuseRootAndResponseWrapping_s2() {
        assertThat(post("auth/approle/role/mixed", root, "{'token_policies':'MAAS-Region, other ,,maas-region'}"))
                .isEqualTo(204);
        assertThat(http.get("auth/approle/role/mixed", root)
                        .json()
                        .at("/data/token_policies")
                        .toString())
                .as("stored as sent: split and trimmed only")
                .isEqualTo("[\"MAAS-Region\",\"other\",\"\",\"maas-region\"]");
        var ok = login("approle", "mixed", root);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/auth/policies").toString()).isEqualTo("[\"default\",\"maas-region\",\"other\"]");

        assertThat(post(
                        "auth/approle/role/nodefault",
                        root,
                        "{'token_policies':['b','a'],'token_no_default_policy':true}"))
                .isEqualTo(204);
        assertThat(login("approle", "nodefault", root)
                        .json()
                        .at("/auth/token_policies")
                        .toString())
                .isEqualTo("[\"a\",\"b\"]");

        for (String p : List.of("x,ROOT", "root", " Root ")) {
            assertThat(post("auth/approle/role/rooty", root, "{'token_policies':'" + p + "'}"))
                    .isEqualTo(204);
            var refused = login("approle", "rooty", root);
            assertThat(refused.status()).as(p).isEqualTo(400);
            assertThat(refused.body()).isEqualTo("{\"errors\":[\"auth methods cannot create root tokens\"]}");
        }
        assertThat(post("auth/approle/role/legacy", root, "{'policies':'x,Root'}"))
                .isEqualTo(204);
        assertThat(http.get("auth/approle/role/legacy", root)
                        .json()
                        .at("/data/token_policies")
                        .toString())
                .as("legacy policies go through ParsePolicies")
                .isEqualTo("[\"root\"]");
        assertThat(login("approle", "legacy", root).status()).isEqualTo(400);

        assertThat(post("auth/approle/role/rw", root, "{'token_policies':'Response-Wrapping'}"))
                .isEqualTo(204);
        var rw = login("approle", "rw", root);
        assertThat(rw.status()).isEqualTo(400);
        assertThat(rw.body()).isEqualTo("{\"errors\":[\"cannot assign policy \\\"response-wrapping\\\"\"]}");
        assertThat(vault.loginCount()).as("only the two good logins").isEqualTo(2);

        vault.enableKubernetesAuth("kubernetes", "op", "jwt-1", List.of("a", "ROOT"), Duration.ofMinutes(5));
        var k8s = http.post("auth/kubernetes/login", null, "{\"role\":\"op\",\"jwt\":\"jwt-1\"}");
        assertThat(k8s.status()).isEqualTo(400);
        assertThat(k8s.body()).isEqualTo("{\"errors\":[\"auth methods cannot create root tokens\"]}");
        vault.enableKubernetesAuth("kubernetes", "op2", "jwt-2", List.of("B", "a "), Duration.ofMinutes(5));
        assertThat(http.post("auth/kubernetes/login", null, "{\"role\":\"op2\",\"jwt\":\"jwt-2\"}")
                        .json()
                        .at("/auth/policies")
                        .toString())
                .isEqualTo("[\"a\",\"b\",\"default\"]");
    }

    // ------------------------------------------------------------------ §6.1 value types

    @Test
    void jsonNumbersNeverMatchListedValuesButStringsAndBoolsDo_s1_4() {
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update"]
                  allowed_parameters = {
                    "n"    = [0]
                    "s"    = ["0"]
                    "f"    = [1.5]
                    "b"    = [true]
                    "fb"   = [false, "false"]
                    "m"    = [{ version = "2" }]
                    "any"  = []
                  }
                }
                """);
        assertThat(post("kv/a", t, "{'n':0}")).as("json.Number vs HCL int").isEqualTo(403);
        assertThat(post("kv/a", t, "{'n':'0'}")).as("string vs HCL int").isEqualTo(403);
        assertThat(post("kv/a", t, "{'s':0}")).as("json.Number vs string").isEqualTo(403);
        assertThat(post("kv/a", t, "{'s':'0'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'f':1.5}")).as("json.Number vs HCL float").isEqualTo(403);
        assertThat(post("kv/a", t, "{'b':true}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'b':'true'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'b':false}")).isEqualTo(403);
        assertThat(form("kv/a", t, "b=true").status())
                .as("form values are strings")
                .isEqualTo(403);
        assertThat(form("kv/a", t, "fb=false").status()).isEqualTo(204);
        assertThat(post("kv/a", t, "{'fb':false}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'m':{'version':'2'}}"))
                .as("maps by deep equality")
                .isEqualTo(204);
        assertThat(post("kv/a", t, "{'m':{'version':2}}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'m':{'version':'2','x':'y'}}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'m':null}")).as("nil only matches nil").isEqualTo(403);
        assertThat(post("kv/a", t, "{'any':null}"))
                .as("an empty list matches every value")
                .isEqualTo(204);
        assertThat(post("kv/a", t, "{'any':{'deep':[1,{'x':true}]}}")).isEqualTo(204);
    }

    @Test
    void globbedStringsMatchOnlyAtTheEndsAndBelowTwoCharactersIsLiteral_s1_4() {
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update"]
                  allowed_parameters = {
                    "star" = ["*"]
                    "two"  = ["**"]
                    "in"   = ["*mid*"]
                    "suf"  = ["*-end"]
                    "pre"  = ["start-*"]
                    "lit"  = ["a*b"]
                  }
                }
                """);
        assertThat(post("kv/a", t, "{'star':'anything'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'star':'*'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'two':'anything'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'in':'a-mid-b'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'in':'a-MID-b'}")).as("case-sensitive").isEqualTo(403);
        assertThat(post("kv/a", t, "{'suf':'x-end'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'suf':'x-end-'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'pre':'start-x'}")).isEqualTo(204);
        assertThat(post("kv/a", t, "{'pre':'x-start-'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'lit':'axxb'}"))
                .as("a '*' in the middle is literal")
                .isEqualTo(403);
        assertThat(post("kv/a", t, "{'lit':'a*b'}")).isEqualTo(204);
    }

    @ParameterizedTest
    @EnumSource(ParameterMatching.class)
    void parameterNamesAreCaseInsensitiveValuesCaseSensitive_s1_3(ParameterMatching mode) {
        vault.parameterMatching(mode);
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update"]
                  allowed_parameters = { "Token_Policies" = ["maas-a"], "other" = [] }
                  denied_parameters = { "SECRET" = [] }
                }
                """);
        assertThat(post("kv/a", t, "{'token_policies':'maas-a'}"))
                .as("HCL keys lowercased at parse")
                .isEqualTo(204);
        assertThat(post("kv/a", t, "{'TOKEN_POLICIES':'maas-a'}"))
                .as("request keys lowercased at check")
                .isEqualTo(204);
        assertThat(post("kv/a", t, "{'TOKEN_POLICIES':'root'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'token_policies':'Maas-A'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'Secret':'x'}")).isEqualTo(403);
        assertThat(post("kv/a", t, "{'other':1,'unlisted':1}"))
                .as("a whitelist without '*'")
                .isEqualTo(403);
        String denyOnly = tokenWith(
                "path \"kv/*\" { capabilities = [\"create\", \"update\"]\n denied_parameters = { \"secret\" = [\"x\"] } }");
        assertThat(post("kv/d", denyOnly, "{'SECRET':'x'}"))
                .as("denied names are case-insensitive too")
                .isEqualTo(403);
        assertThat(post("kv/d", denyOnly, "{'SECRET':'X'}")).isEqualTo(204);
        assertThat(post("kv/d", denyOnly, "{'other':'x'}")).isEqualTo(204);
    }

    // ------------------------------------------------------------------ §5 algorithm, §2 req.Data

    @Test
    void requiredRunsFirstSoEmptyBodiesAndPlainReadsFail_s1_3() {
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update", "read", "list", "delete"]
                  required_parameters = ["Must"]
                  allowed_parameters = { "must" = [], "x" = ["a"] }
                }
                """);
        assertThat(post("kv/r", t, "{}"))
                .as("required before the empty-data shortcut")
                .isEqualTo(403);
        assertThat(post("kv/r", t, "{'x':'a'}")).isEqualTo(403);
        assertThat(post("kv/r", t, "{'MUST':1}"))
                .as("the request key must be lowercase")
                .isEqualTo(403);
        assertThat(post("kv/r", t, "{'must':1,'x':'a'}")).isEqualTo(204);
        assertThat(post("kv/r", t, "{'must':1,'x':'b'}"))
                .as("allowed still applies")
                .isEqualTo(403);
        assertThat(http.get("kv/r", t).status()).as("GET is a checked read").isEqualTo(403);
        assertThat(http.get("kv/r?must=1", t).status()).isEqualTo(200);
        assertThat(http.list("kv/", t).status())
                .as("LIST is never parameter-checked")
                .isEqualTo(200);
        assertThat(http.delete("kv/r", t).status())
                .as("DELETE is never parameter-checked")
                .isEqualTo(204);
    }

    @Test
    void emptyDataIsAllowedAndDeniedStarRefusesAnyParameter_s1_3() {
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update", "read"]
                  allowed_parameters = { "x" = ["a"] }
                  denied_parameters = { "*" = ["ignored"] }
                }
                """);
        assertThat(post("kv/e", t, "{}")).isEqualTo(204);
        assertThat(http.post("kv/e", t, "").status()).isEqualTo(204);
        assertThat(post("kv/e", t, "{'x':'a'}"))
                .as("denied '*' wins over allowed; its list is ignored")
                .isEqualTo(403);
        assertThat(post("kv/e", t, "{'ignored':'ignored'}")).isEqualTo(403);
        assertThat(http.get("kv/e", t).status()).isEqualTo(200);
        assertThat(http.get("kv/e?x=a", t).status()).isEqualTo(403);
    }

    @Test
    void allowedStarOnlyAllowsEverythingAndStarWithKeysStillChecksNamedKeys_s1_3() {
        String t = tokenWith("""
                path "kv/star" { capabilities = ["create", "update"]
                  allowed_parameters = { "*" = ["x"] } }
                path "kv/mixed" { capabilities = ["create", "update"]
                  allowed_parameters = { "*" = [], "x" = ["a"] } }
                """);
        assertThat(post("kv/star", t, "{'anything':'goes','x':1}")).isEqualTo(204);
        assertThat(post("kv/mixed", t, "{'anything':'goes','x':'a'}")).isEqualTo(204);
        assertThat(post("kv/mixed", t, "{'anything':'goes','x':'b'}")).isEqualTo(403);
    }

    @Test
    void postUsesOnlyTheBodyGetAndDeleteAndListUseTheQuery_s1_1() {
        String t = tokenWith("""
                path "kv/*" {
                  capabilities = ["create", "update", "read", "list", "delete"]
                  allowed_parameters = { "x" = ["a"], "list" = [] }
                }
                """);
        assertThat(post("kv/q?evil=1", t, "{'x':'a'}"))
                .as("the query of a POST never reaches req.Data")
                .isEqualTo(204);
        assertThat(http.send("PUT", "kv/q?evil=1", t, "{}", Map.of()).status()).isEqualTo(204);
        assertThat(http.get("kv/q?x=a", t).status()).isEqualTo(200);
        assertThat(http.get("kv/q?x=b", t).status()).isEqualTo(403);
        assertThat(http.get("kv/q?x=a&x=a", t).status())
                .as("a repeated query key is a []string: never equal")
                .isEqualTo(403);
        assertThat(http.get("kv/q?list=false", t).status())
                .as("list=false stays in the data of a read")
                .isEqualTo(200);
        assertThat(http.get("kv/q?y=1", t).status()).isEqualTo(403);
        assertThat(http.list("kv/?y=1", t).status()).isEqualTo(200);
        assertThat(http.send("LIST", "kv/?y=1", t, null, Map.of()).status()).isEqualTo(200);
        assertThat(http.send("DELETE", "kv/q?y=1", t, null, Map.of()).status()).isEqualTo(204);
    }

    @ParameterizedTest
    @EnumSource(ParameterMatching.class)
    void formBodiesJoinRepeatedKeysWithCommas_s1_1(ParameterMatching mode) {
        vault.parameterMatching(mode);
        String t = tokenWith(
                "path \"auth/approle/role/+\" { capabilities = [\"create\", \"update\", \"read\"]\n" + EXACT + "\n}");
        assertThat(form("auth/approle/role/f", t, "token_policies=maas-a&token_policies=root")
                        .status())
                .isEqualTo(403);
        assertThat(form("auth/approle/role/f", t, "token_policies=maas-a&token_policies=maas-a")
                        .status())
                .as("joined to 'maas-a,maas-a'")
                .isEqualTo(mode == ParameterMatching.WHOLE_VALUE ? 403 : 204);
        assertThat(form("auth/approle/role/f", t, "token_policies=maas-a").status())
                .isEqualTo(204);
        assertThat(http.get("auth/approle/role/f", root)
                        .json()
                        .at("/data/token_policies")
                        .toString())
                .isEqualTo("[\"maas-a\"]");
        assertThat(http.send(
                                "POST",
                                "auth/approle/role/f",
                                t,
                                " {\"token_policies\":[\"maas-a\"]}",
                                Map.of("Content-Type", FORM))
                        .status())
                .as("a form Content-Type with a JSON-looking body is JSON")
                .isEqualTo(mode == ParameterMatching.WHOLE_VALUE ? 403 : 204);
        var bad = form("auth/approle/role/f", t, "token_policies=%zz");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"errors\":[\"error parsing form data\"]}");
    }

    // ------------------------------------------------------------------ wrapping TTL bounds

    @Test
    void wrappingTtlBoundsApplyToEveryOperationOfTheRule_s1_7() {
        String t = tokenWith("""
                path "kv/w*" {
                  capabilities = ["create", "update", "read", "list", "delete"]
                  min_wrapping_ttl = "1s"
                  max_wrapping_ttl = 900
                }
                """);
        assertThat(post("kv/w1", t, "{}"))
                .as("no X-Vault-Wrap-TTL: req.WrapInfo == nil")
                .isEqualTo(403);
        assertThat(wrapped("POST", "kv/w1", t, "{'k':'v'}", "60").status()).isEqualTo(204);
        assertThat(wrapped("POST", "kv/w1", t, "{}", "15m").status()).isEqualTo(204);
        assertThat(wrapped("POST", "kv/w1", t, "{}", "901").status()).isEqualTo(403);
        assertThat(http.get("kv/w1", t).status()).isEqualTo(403);
        var read = wrapped("GET", "kv/w1", t, null, "30s");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().at("/wrap_info/ttl").asLong()).isEqualTo(30);
        assertThat(wrapped("POST", "kv/w/x", t, "{}", "60").status()).isEqualTo(204);
        assertThat(http.list("kv/w", t).status()).as("LIST too").isEqualTo(403);
        var list = wrapped("LIST", "kv/w", t, null, "30s");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().at("/wrap_info/ttl").asLong()).isEqualTo(30);
        assertThat(http.delete("kv/w1", t).status()).as("DELETE too").isEqualTo(403);
        assertThat(wrapped("DELETE", "kv/w1", t, null, "30s").status()).isEqualTo(204);

        String maxOnly =
                tokenWith("path \"kv/*\" { capabilities = [\"create\", \"update\"]\n max_wrapping_ttl = \"1m\" }");
        assertThat(post("kv/x", maxOnly, "{}"))
                .as("a max alone also needs the header")
                .isEqualTo(403);
        assertThat(wrapped("POST", "kv/x", maxOnly, "{}", "1m").status()).isEqualTo(204);
        assertThat(wrapped("POST", "kv/x", maxOnly, "{}", "1m1s").status()).isEqualTo(403);
        String minOnly =
                tokenWith("path \"kv/*\" { capabilities = [\"create\", \"update\"]\n min_wrapping_ttl = \"1m\" }");
        assertThat(post("kv/x", minOnly, "{}")).isEqualTo(403);
        assertThat(wrapped("POST", "kv/x", minOnly, "{}", "59").status()).isEqualTo(403);
        assertThat(wrapped("POST", "kv/x", minOnly, "{}", "24h").status()).isEqualTo(204);
    }

    // ------------------------------------------------------------------ §4 merging

    @Test
    void identicalPatternsMergeCapabilitiesAndParameterLists_s1_7() {
        String t = tokenWith("""
                path "kv/m" { capabilities = ["create"]
                  allowed_parameters = { "x" = ["a"], "y" = ["1"] }
                  denied_parameters = { "d" = ["a"] }
                  required_parameters = ["x"] }
                """, """
                path "kv/m" { capabilities = ["update", "read"]
                  allowed_parameters = { "x" = ["b"], "y" = [], "d" = [], "z" = ["z"] }
                  denied_parameters = { "d" = ["b"] }
                  required_parameters = ["y", "x"] }
                """);
        assertThat(post("kv/m", t, "{'x':'a','y':'anything'}"))
                .as("create from p0, lists concatenated, [] wins")
                .isEqualTo(204);
        assertThat(post("kv/m", t, "{'x':'b','y':'2','z':'z'}"))
                .as("update from p1")
                .isEqualTo(204);
        assertThat(post("kv/m", t, "{'x':'c','y':'1'}")).isEqualTo(403);
        assertThat(post("kv/m", t, "{'x':'a'}"))
                .as("required lists are unioned")
                .isEqualTo(403);
        assertThat(post("kv/m", t, "{'x':'a','y':'1','d':'a'}"))
                .as("denied lists are concatenated")
                .isEqualTo(403);
        assertThat(post("kv/m", t, "{'x':'a','y':'1','d':'b'}")).isEqualTo(403);
        assertThat(post("kv/m", t, "{'x':'a','y':'1','d':'c'}")).isEqualTo(204);
        assertThat(post("kv/m", t, "{'x':'a','y':'1','w':'w'}"))
                .as("still a whitelist")
                .isEqualTo(403);
    }

    @Test
    void aBlockWithoutParametersKeepsTheWhitelistAndStarOpensIt_s1_7() {
        String whitelist =
                "path \"kv/m\" { capabilities = [\"create\", \"update\"]\n allowed_parameters = { \"x\" = [] } }";
        String plain = "path \"kv/m\" { capabilities = [\"create\", \"update\"] }";
        String star = "path \"kv/m\" { capabilities = [\"create\", \"update\"]\n allowed_parameters = { \"*\" = [] } }";
        assertThat(post("kv/m", tokenWith(whitelist, plain), "{'y':1}")).isEqualTo(403);
        assertThat(post("kv/m", tokenWith(plain, whitelist), "{'y':1}")).isEqualTo(403);
        assertThat(post("kv/m", tokenWith(whitelist, star), "{'y':1}")).isEqualTo(204);
        assertThat(post("kv/m", tokenWith(whitelist + "\n" + star), "{'y':1}"))
                .as("the same pattern twice in one policy")
                .isEqualTo(204);
    }

    @Test
    void denyOnTheSamePatternWinsOnlyThere_s1_7() {
        String t = tokenWith(
                "path \"kv/d\" { capabilities = [\"create\", \"update\", \"read\"] }\npath \"kv/*\" { capabilities = [\"deny\"] }",
                "path \"kv/d\" { policy = \"deny\" }\npath \"kv/e\" { capabilities = [\"create\", \"update\"] }");
        assertThat(post("kv/d", t, "{}")).isEqualTo(403);
        assertThat(http.get("kv/d", t).status()).isEqualTo(403);
        assertThat(post("kv/e", t, "{}"))
                .as("deny on kv/* does not beat the exact kv/e")
                .isEqualTo(204);
        assertThat(post("kv/f", t, "{}")).isEqualTo(403);
    }

    @Test
    void differentPatternsDoNotMergeTheHighestPriorityRuleDecides_s1_7() {
        String t = tokenWith("""
                path "kv/exact" { capabilities = ["create", "update"]
                  allowed_parameters = { "x" = ["a"] } }
                path "kv/*" { capabilities = ["create", "update"] }
                """);
        assertThat(post("kv/exact", t, "{'x':'b'}")).isEqualTo(403);
        assertThat(post("kv/other", t, "{'x':'b'}")).isEqualTo(204);
    }

    @Test
    void wrappingTtlsMergeToTheLesserNonZeroValue_s1_7() {
        String t = tokenWith(
                "path \"kv/t\" { capabilities = [\"create\", \"update\"]\n min_wrapping_ttl = \"10s\"\n max_wrapping_ttl = \"60s\" }",
                "path \"kv/t\" { capabilities = [\"create\", \"update\"]\n min_wrapping_ttl = \"30s\"\n max_wrapping_ttl = \"120s\" }",
                "path \"kv/t\" { capabilities = [\"create\", \"update\"] }");
        assertThat(wrapped("POST", "kv/t", t, "{}", "9").status()).isEqualTo(403);
        assertThat(wrapped("POST", "kv/t", t, "{}", "10").status())
                .as("merged min = 10s")
                .isEqualTo(204);
        assertThat(wrapped("POST", "kv/t", t, "{}", "60").status()).isEqualTo(204);
        assertThat(wrapped("POST", "kv/t", t, "{}", "61").status())
                .as("merged max = 60s")
                .isEqualTo(403);
        String crossed = tokenWith(
                "path \"kv/t\" { capabilities = [\"create\", \"update\"]\n max_wrapping_ttl = \"20s\" }",
                "path \"kv/t\" { capabilities = [\"create\", \"update\"]\n min_wrapping_ttl = \"30s\" }");
        for (String ttl : List.of("10", "20", "25", "30", "40")) {
            assertThat(wrapped("POST", "kv/t", crossed, "{}", ttl).status())
                    .as("max < min after a merge: " + ttl)
                    .isEqualTo(403);
        }
    }

    @Test
    void policyWritesRefuseMisspelledKeysAndCrossedWrappingTtls_s1_2() {
        var typo = http.post(
                "sys/policies/acl/typo",
                root,
                "{\"policy\":\"path \\\"kv/*\\\" {\\n capabilities = [\\\"update\\\"]\\n"
                        + " allowed_parameter = { x = [] }\\n}\"}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().at("/errors/0").asText())
                .isEqualTo(
                        "failed to parse policy: 1 error occurred:\n\t* path \"kv/*\": invalid key \"allowed_parameter\" on line 3\n\n");
        var crossed = http.post(
                "sys/policies/acl/crossed",
                root,
                "{\"policy\":\"path \\\"kv/*\\\" { capabilities = [\\\"update\\\"]"
                        + " min_wrapping_ttl = 60, max_wrapping_ttl = 30 }\"}");
        assertThat(crossed.body())
                .isEqualTo(
                        "{\"errors\":[\"failed to parse policy: max_wrapping_ttl cannot be less than min_wrapping_ttl\"]}");
        assertThat(vault.policy("typo")).isEmpty();
        assertThat(vault.policy("crossed")).isEmpty();
    }

    // ------------------------------------------------------------------ a least-privilege operator policy

    /**
     * A least-privilege operator policy ("Design A") on a dedicated AppRole mount approle-maas, KV mount maas-kv and approved
     * policy maas-region (role writes pinned by allowed/denied parameters, secret-ids minted only wrapped).
     */
    static final String DESIGN_A = """
            path "auth/approle-maas/role/+" {
              capabilities = ["create", "update", "read", "delete"]
              allowed_parameters = {
                "token_policies"        = ["maas-region"]
                "token_ttl"             = []
                "token_max_ttl"         = []
                "secret_id_ttl"         = []
                "secret_id_num_uses"    = []
                "secret_id_bound_cidrs" = []
                "token_bound_cidrs"     = []
              }
              denied_parameters = {
                "policies"                = []
                "token_no_default_policy" = []
                "token_type"              = []
                "token_period"            = []
                "period"                  = []
                "token_explicit_max_ttl"  = []
                "token_num_uses"          = []
                "bind_secret_id"          = []
                "bound_cidr_list"         = []
                "local_secret_ids"        = []
                "role_id"                 = []
              }
            }
            path "auth/approle-maas/role" {
              capabilities = ["list"]
            }
            path "auth/approle-maas/role/+/role-id" {
              capabilities = ["read"]
            }
            path "auth/approle-maas/role/+/secret-id" {
              capabilities = ["update", "list"]
              denied_parameters = {
                "*" = []
              }
            }
            path "auth/approle-maas/role/+/secret-id-accessor/destroy" {
              capabilities = ["update"]
              allowed_parameters = {
                "secret_id_accessor" = []
              }
            }
            path "sys/auth/approle-maas" {
              capabilities = ["create", "update", "sudo"]
              allowed_parameters = {
                "type"        = ["approle"]
                "description" = []
              }
            }
            path "sys/mounts/maas-kv" {
              capabilities = ["create", "update"]
              allowed_parameters = {
                "type"        = ["kv-v2"]
                "description" = []
              }
            }
            """;

    static final String ROLE = "auth/approle-maas/role/maas_ns_r1";
    static final String GOOD_ROLE =
            "{'token_policies':'maas-region','token_ttl':'1h','token_max_ttl':7200,'secret_id_ttl':0,"
                    + "'secret_id_num_uses':0,'secret_id_bound_cidrs':['127.0.0.1/32'],'token_bound_cidrs':'127.0.0.1/32'}";

    /** One request Design A must refuse. */
    record Refused(String why, String method, String path, String json) {
        @Override
        public String toString() {
            return why;
        }
    }

    static final List<Refused> DESIGN_A_REFUSED = List.of(
            new Refused("token_policies with root appended", "POST", ROLE, "{'token_policies':'maas-region,root'}"),
            new Refused(
                    "token_policies as a list with root", "POST", ROLE, "{'token_policies':['maas-region','root']}"),
            new Refused("token_policies upper case", "POST", ROLE, "{'token_policies':'MAAS-REGION'}"),
            new Refused("token_policies glob", "POST", ROLE, "{'token_policies':'maas-*'}"),
            new Refused("another policy", "POST", ROLE, "{'token_policies':'vault-admin'}"),
            new Refused("legacy policies", "POST", ROLE, "{'policies':'maas-region'}"),
            new Refused(
                    "token_no_default_policy",
                    "POST",
                    ROLE,
                    "{'token_policies':'maas-region','token_no_default_policy':true}"),
            new Refused("token_type", "POST", ROLE, "{'token_type':'batch'}"),
            new Refused("token_period", "POST", ROLE, "{'token_period':60}"),
            new Refused("period", "POST", ROLE, "{'period':'60s'}"),
            new Refused("token_explicit_max_ttl", "POST", ROLE, "{'token_explicit_max_ttl':60}"),
            new Refused("token_num_uses", "POST", ROLE, "{'token_num_uses':1}"),
            new Refused(
                    "custom role_id at creation", "POST", ROLE, "{'token_policies':'maas-region','role_id':'mine'}"),
            new Refused(
                    "bind_secret_id", "POST", ROLE, "{'bind_secret_id':false,'secret_id_bound_cidrs':'127.0.0.1/32'}"),
            new Refused("bound_cidr_list", "POST", ROLE, "{'bound_cidr_list':'0.0.0.0/0'}"),
            new Refused("local_secret_ids", "POST", ROLE, "{'local_secret_ids':true}"),
            new Refused("an unknown key", "POST", ROLE, "{'token_policies':'maas-region','x':1}"),
            new Refused("the upper-case key of a denied field", "POST", ROLE, "{'TOKEN_TYPE':'batch'}"),
            new Refused(
                    "secret-id with metadata",
                    "POST",
                    ROLE + "/secret-id",
                    "{'metadata':'{\\'role_name\\':\\'other\\'}'}"),
            new Refused("secret-id with cidr_list", "POST", ROLE + "/secret-id", "{'cidr_list':'0.0.0.0/0'}"),
            new Refused(
                    "secret-id with token_bound_cidrs",
                    "POST",
                    ROLE + "/secret-id",
                    "{'token_bound_cidrs':'127.0.0.1/32'}"),
            new Refused(
                    "secret-id with ttl and num_uses (the migration pre-flight)",
                    "POST",
                    ROLE + "/secret-id",
                    "{'ttl':60,'num_uses':2}"),
            new Refused("custom-secret-id", "POST", ROLE + "/custom-secret-id", "{'secret_id':'chosen'}"),
            new Refused("custom role_id afterwards", "POST", ROLE + "/role-id", "{'role_id':'mine'}"),
            new Refused("role policies sub-endpoint", "POST", ROLE + "/policies", "{'token_policies':'root'}"),
            new Refused("role period sub-endpoint", "POST", ROLE + "/period", "{'period':60}"),
            new Refused(
                    "role bind-secret-id sub-endpoint", "POST", ROLE + "/bind-secret-id", "{'bind_secret_id':false}"),
            new Refused("secret-id lookup", "POST", ROLE + "/secret-id/lookup", "{'secret_id':'x'}"),
            new Refused(
                    "secret-id-accessor lookup",
                    "POST",
                    ROLE + "/secret-id-accessor/lookup",
                    "{'secret_id_accessor':'x'}"),
            new Refused(
                    "secret-id-accessor destroy with another key",
                    "POST",
                    ROLE + "/secret-id-accessor/destroy",
                    "{'secret_id_accessor':'x','secret_id':'y'}"),
            new Refused("tidy", "POST", "auth/approle-maas/tidy/secret-id", "{}"),
            new Refused(
                    "a role on another AppRole mount",
                    "POST",
                    "auth/approle/role/maas_ns_r1",
                    "{'token_policies':'maas-region'}"),
            new Refused(
                    "write an ACL policy",
                    "POST",
                    "sys/policies/acl/maas-region",
                    "{'policy':'path \\'*\\' { capabilities = [\\'sudo\\'] }'}"),
            new Refused(
                    "write the operator's own policy",
                    "POST",
                    "sys/policies/acl/p0",
                    "{'policy':'path \\'*\\' { capabilities = [\\'read\\'] }'}"),
            new Refused("delete an ACL policy", "DELETE", "sys/policies/acl/maas-region", null),
            new Refused(
                    "tune the AppRole mount", "POST", "sys/auth/approle-maas/tune", "{'default_lease_ttl':'87600h'}"),
            new Refused("tune the KV mount", "POST", "sys/mounts/maas-kv/tune", "{'max_versions':1}"),
            new Refused(
                    "mount another auth type at the AppRole path",
                    "POST",
                    "sys/auth/approle-maas",
                    "{'type':'kubernetes'}"),
            new Refused(
                    "mount with config",
                    "POST",
                    "sys/auth/approle-maas",
                    "{'type':'approle','config':{'listing_visibility':'unauth'}}"),
            new Refused("disable the AppRole mount", "DELETE", "sys/auth/approle-maas", null),
            new Refused(
                    "mount kv with options", "POST", "sys/mounts/maas-kv", "{'type':'kv','options':{'version':'2'}}"),
            new Refused("identity entity", "POST", "identity/entity", "{'name':'x','policies':'root'}"),
            new Refused("identity group", "POST", "identity/group", "{'name':'g','policies':'root'}"),
            new Refused("token create", "POST", "auth/token/create", "{'policies':['maas-region']}"),
            new Refused("read a MAAS secret", "GET", "maas-kv/data/maas/x", null),
            new Refused("write a MAAS secret", "POST", "maas-kv/data/maas/x", "{'data':{'k':'v'}}"));

    static Stream<Refused> designARefused() {
        return DESIGN_A_REFUSED.stream();
    }

    private String designAOperator(String... extraPolicies) {
        List<String> hcl = new ArrayList<>(List.of(DESIGN_A));
        hcl.addAll(List.of(extraPolicies));
        String t = tokenWith(hcl.toArray(String[]::new));
        assertThat(post("sys/auth/approle-maas", t, "{'type':'approle','description':'MAAS regions'}"))
                .isEqualTo(204);
        assertThat(post("sys/mounts/maas-kv", t, "{'type':'kv-v2'}")).isEqualTo(204);
        assertThat(post(ROLE, t, GOOD_ROLE)).isEqualTo(204);
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designARefused")
    void designARefusesEveryEscalation_s3_2(Refused r) {
        String t = designAOperator();
        String before = http.get(ROLE, root).body();
        var resp = http.send(r.method(), r.path(), t, r.json() == null ? null : j(r.json()), Map.of());
        assertThat(resp.status()).as(r.why()).isEqualTo(403);
        assertThat(resp.body()).isEqualTo(DENIED);
        assertThat(http.get(ROLE, root).body().replaceAll("\"request_id\":\"[^\"]*\"", ""))
                .isEqualTo(before.replaceAll("\"request_id\":\"[^\"]*\"", ""));
        assertThat(vault.policy("maas-region")).isEmpty();
        assertThat(vault.secretIdAccessors("approle-maas", "maas_ns_r1")).isEmpty();
    }

    @Test
    void designAAllowsWhatTheOperatorNeeds_s3_2() {
        String t = designAOperator();
        assertThat(post(ROLE, t, GOOD_ROLE)).as("update").isEqualTo(204);
        assertThat(post(ROLE, t, "{}")).isEqualTo(204);
        var role = http.get(ROLE, t);
        assertThat(role.status()).isEqualTo(200);
        assertThat(role.json().at("/data/token_policies").toString()).isEqualTo("[\"maas-region\"]");
        assertThat(http.list("auth/approle-maas/role", t)
                        .json()
                        .at("/data/keys")
                        .toString())
                .isEqualTo("[\"maas_ns_r1\"]");
        String roleId =
                http.get(ROLE + "/role-id", t).json().at("/data/role_id").asText();
        assertThat(roleId).isNotEmpty();

        var mint = http.send("POST", ROLE + "/secret-id", t, null, Map.of("X-Vault-Wrap-TTL", "60"));
        assertThat(mint.status()).isEqualTo(200);
        JsonNode wrapInfo = mint.json().get("wrap_info");
        String accessor = wrapInfo.get("wrapped_accessor").asText();
        assertThat(http.list(ROLE + "/secret-id", t).json().at("/data/keys").toString())
                .isEqualTo("[\"" + accessor + "\"]");

        // Residual risk: the default policy lets the operator unwrap what it minted; the login is still only
        // maas-region.
        var unwrapped = http.send(
                "POST",
                "sys/wrapping/unwrap",
                t,
                "{\"token\":\"" + wrapInfo.get("token").asText() + "\"}",
                Map.of());
        String secretId = unwrapped.json().at("/data/secret_id").asText();
        var login = http.post(
                "auth/approle-maas/login", null, "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"" + secretId + "\"}");
        assertThat(login.json().at("/auth/policies").toString()).isEqualTo("[\"default\",\"maas-region\"]");

        assertThat(post(ROLE + "/secret-id-accessor/destroy", t, "{'secret_id_accessor':'" + accessor + "'}"))
                .isEqualTo(204);
        assertThat(vault.secretIdAccessors("approle-maas", "maas_ns_r1")).isEmpty();
        assertThat(http.delete(ROLE + "?token_policies=root", t).status())
                .as("DELETE is not parameter-checked")
                .isEqualTo(204);
        assertThat(vault.roleNames("approle-maas")).isEmpty();
        assertThat(post(ROLE, t, "{'token_ttl':60}"))
                .as("a role without token_policies gets only default")
                .isEqualTo(204);
    }

    @Test
    void designAOnVault121AcceptsTheArrayFormOfTheApprovedPolicyOnly_s3_5() {
        vault.parameterMatching(ParameterMatching.PER_ELEMENT);
        String t = designAOperator();
        assertThat(post(ROLE, t, "{'token_policies':['maas-region']}")).isEqualTo(204);
        assertThat(post(ROLE, t, "{'token_policies':['maas-region','root']}")).isEqualTo(403);
        assertThat(post(ROLE, t, "{'token_policies':'maas-region,root'}")).isEqualTo(403);
        assertThat(post(ROLE, t, "{'token_policies':'MAAS-REGION'}")).isEqualTo(403);
        vault.parameterMatching(ParameterMatching.WHOLE_VALUE);
        assertThat(post(ROLE, t, "{'token_policies':['maas-region']}"))
                .as("OpenBao / Vault ≤ 1.20")
                .isEqualTo(403);
    }

    // ------------------------------------------------------------------ the pre-flight variant of rule (4)

    /** Rule (4) replaced by a whitelist of exactly ttl and num_uses; the denied keys keep a merged "*" from opening them. */
    static final String RULE_4_PREFLIGHT = """
            path "auth/approle-maas/role/+/secret-id" {
              capabilities = ["update", "list"]
              allowed_parameters = {
                "ttl"      = []
                "num_uses" = []
              }
              denied_parameters = {
                "metadata"          = []
                "cidr_list"         = []
                "token_bound_cidrs" = []
              }
            }
            """;

    private static String designAWithRule4(String rule4) {
        int start = DESIGN_A.indexOf("path \"auth/approle-maas/role/+/secret-id\" {");
        int end = DESIGN_A.indexOf("path \"auth/approle-maas/role/+/secret-id-accessor/destroy\"");
        return DESIGN_A.substring(0, start) + rule4 + DESIGN_A.substring(end);
    }

    @ParameterizedTest
    @EnumSource(ParameterMatching.class)
    void aTtlAndNumUsesWhitelistAllowsThePreflightAndNothingElse_s3_2(ParameterMatching mode) {
        vault.parameterMatching(mode);
        String t = tokenWith(designAWithRule4(RULE_4_PREFLIGHT));
        assertThat(post("sys/auth/approle-maas", t, "{'type':'approle'}")).isEqualTo(204);
        assertThat(post(ROLE, t, "{'token_policies':'maas-region','secret_id_ttl':120,'secret_id_num_uses':5}"))
                .isEqualTo(204);
        var preflight = http.post(ROLE + "/secret-id", t, j("{'ttl':60,'num_uses':2}"));
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.json().at("/data/secret_id_num_uses").asInt()).isEqualTo(2);
        assertThat(http.send("POST", ROLE + "/secret-id", t, null, Map.of("X-Vault-Wrap-TTL", "60"))
                        .status())
                .isEqualTo(200);
        assertThat(post(ROLE + "/secret-id", t, "{'ttl':600}"))
                .as("the role's limits still apply")
                .isEqualTo(400);
        assertThat(post(ROLE + "/secret-id", t, "{'num_uses':0}")).isEqualTo(400);
        for (String body : List.of(
                "{'metadata':'{}'}",
                "{'cidr_list':'0.0.0.0/0'}",
                "{'token_bound_cidrs':'127.0.0.1/32'}",
                "{'ttl':60,'secret_id':'x'}",
                "{'TTL':60,'Metadata':'a=b'}")) {
            assertThat(post(ROLE + "/secret-id", t, body)).as(body).isEqualTo(403);
        }
        assertThat(http.list(ROLE + "/secret-id", t).status()).isEqualTo(200);
    }

    @Test
    void aMergedStarOpensAWhitelistButNotItsDeniedKeys_s1_7_s3_5() {
        String openEverything =
                "path \"auth/approle-maas/role/+/secret-id\" { capabilities = [\"update\"]\n allowed_parameters = { \"*\" = [] } }";
        String whitelistOnly = """
                path "auth/approle-maas/role/+/secret-id" {
                  capabilities = ["update", "list"]
                  allowed_parameters = { "ttl" = [], "num_uses" = [] }
                }
                """;
        vault.enableAppRole("approle-maas");
        assertThat(post(ROLE, root, "{'token_policies':'maas-region'}")).isEqualTo(204);
        assertThat(post(
                        ROLE + "/secret-id",
                        tokenWith(designAWithRule4(whitelistOnly), openEverything),
                        "{'metadata':'{}'}"))
                .as("without denied keys another policy's \"*\" opens metadata")
                .isEqualTo(200);
        assertThat(post(
                        ROLE + "/secret-id",
                        tokenWith(designAWithRule4(RULE_4_PREFLIGHT), openEverything),
                        "{'metadata':'{}'}"))
                .isEqualTo(403);
        assertThat(post(ROLE + "/secret-id", tokenWith(DESIGN_A, openEverything), "{'metadata':'{}'}"))
                .as("Design A's denied \"*\" survives the merge")
                .isEqualTo(403);
    }
}
