package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The double's HCL parser and ACL matching against docs/reference/vault-api.md §5.2 and docs/reference/vault-acl-parameters.md §3. */
class AclTest {

    private static Acl acl(String... policies) {
        return new Acl(List.of(policies).stream().map(HclPolicy::parse).toList(), false);
    }

    @Test
    void exactRuleWinsOverGlob() {
        Acl a = acl("""
                path "secret/*" { capabilities = ["read"] }
                path "secret/foo" { capabilities = ["update"] }
                """);
        assertThat(a.allows("secret/foo", "read", false)).isFalse();
        assertThat(a.allows("secret/foo", "update", false)).isTrue();
        assertThat(a.allows("secret/foobar", "read", false)).isTrue();
    }

    @Test
    void plusMatchesOneSegmentAndPriorityPrefersLaterWildcard() {
        Acl a = acl("""
                path "secret/+/teamb" { capabilities = ["read"] }
                path "secret/*" { capabilities = ["list"] }
                path "secret/data/*" { capabilities = ["create"] }
                """);
        assertThat(a.allows("secret/x/teamb", "read", false)).isTrue();
        assertThat(a.allows("secret/x/y/teamb", "read", false)).isFalse();
        assertThat(a.allows("secret/data/teamb", "create", false)).isTrue(); // "*" later than "+"
        assertThat(a.allows("secret/data/teamb", "read", false)).isFalse();
        assertThat(a.allows("secret/other", "list", false)).isTrue();
    }

    @Test
    void globPrefixIsCharacterBased() {
        Acl a = acl("path \"secret/foo*\" { capabilities = [\"read\"] }");
        assertThat(a.allows("secret/foobar", "read", false)).isTrue();
        assertThat(a.allows("secret/fo", "read", false)).isFalse();
    }

    @Test
    void denyMergesPerIdenticalPatternOnly() {
        Acl a = acl(
                "path \"secret/*\" { capabilities = [\"deny\"] }", "path \"secret/foo\" { capabilities = [\"read\"] }");
        assertThat(a.allows("secret/foo", "read", false)).isTrue();
        assertThat(a.allows("secret/bar", "read", false)).isFalse();
        Acl b = acl(
                "path \"secret/foo\" { capabilities = [\"deny\"] }",
                "path \"secret/foo\" { capabilities = [\"read\"] }");
        assertThat(b.allows("secret/foo", "read", false)).isFalse();
    }

    @Test
    void sudoIsSeparateAndListTriesThePathWithoutSlash() {
        Acl a = acl("""
                path "sys/auth/*" { capabilities = ["update"] }
                path "secret/metadata/maas" { capabilities = ["list"] }
                """);
        assertThat(a.allows("sys/auth/approle", "update", true)).isFalse();
        assertThat(a.allows("sys/auth/approle", "update", false)).isTrue();
        assertThat(a.allows("secret/metadata/maas/", "list", false)).isTrue();
        assertThat(acl().allows("anything", "read", false)).isFalse();
        assertThat(new Acl(List.of(), true).allows("anything", "sudo", true)).isTrue();
    }

    @Test
    void parserAcceptsCommentsLegacyFormAndBase64AndRejectsBadInput() {
        HclPolicy p = HclPolicy.parse("""
                # comment
                // another
                /* block */
                path "a" { policy = "read" }
                path "b" {
                  capabilities = ["create", "read"]
                  allowed_parameters = { "x" = [] }
                }
                """);
        assertThat(p.rules().get("a")).containsExactlyInAnyOrder("read", "list");
        assertThat(p.rules().get("b")).containsExactly("create", "read");
        String b64 =
                java.util.Base64.getEncoder().encodeToString("path \"c\" { capabilities = [\"read\"] }".getBytes());
        assertThat(HclPolicy.parse(b64).rules()).containsKey("c");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x\" { capabilities = [\"foo\"] }"))
                .hasMessage("path \"x\": invalid capability \"foo\"");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x/+*\" { capabilities = [\"read\"] }"))
                .hasMessageContaining("'+*' is forbidden");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x\" { capabilities = [\"read\"]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parameterValuesKeepHclTypesAndKeysAreLowercased() {
        HclPolicy p = HclPolicy.parse("""
                path "a" {
                  capabilities = ["update"]
                  allowed_parameters = {
                    "Token_Policies" = ["x", 1, 0x10, 010, -2, 1.5, true, false, ["n", 2], { version = "2", inner = { k = "v" } }]
                    empty = []
                    obj = { k = "v" }
                  }
                  denied_parameters { "UPPER" = [] }
                  required_parameters = ["Must"]
                  min_wrapping_ttl = 1
                  max_wrapping_ttl = "15m"
                }
                """);
        HclPolicy.PathRule r = p.paths().get(0);
        assertThat(r.allowed().keySet()).containsExactly("token_policies", "empty", "obj");
        assertThat(r.allowed().get("token_policies"))
                .containsExactly(
                        "x",
                        1L,
                        16L,
                        8L,
                        -2L,
                        1.5,
                        true,
                        false,
                        List.of("n", 2L),
                        Map.of("version", "2", "inner", new ParameterValues.HclObjectList(List.of(Map.of("k", "v")))));
        assertThat(r.allowed().get("empty")).isEmpty();
        assertThat(r.allowed().get("obj")).containsExactly(Map.of("k", "v"));
        assertThat(r.denied()).containsOnlyKeys("upper");
        assertThat(r.required()).containsExactly("Must");
        assertThat(r.minWrappingTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.maxWrappingTtl()).isEqualTo(Duration.ofMinutes(15));
        HclPolicy.PathRule none = HclPolicy.parse("path \"b\" { capabilities = [\"read\"] }")
                .paths()
                .get(0);
        assertThat(none.allowed()).isNull();
        assertThat(none.denied()).isNull();
    }

    @Test
    void denyBlocksDropTheirParametersAndLegacyWriteHasNoPatch() {
        HclPolicy.PathRule deny = HclPolicy.parse("""
                path "a" {
                  capabilities = ["deny", "not-checked-after-deny"]
                  allowed_parameters = { x = [] }
                  min_wrapping_ttl = "not a duration"
                }
                """).paths().get(0);
        assertThat(deny.capabilities()).containsExactly("deny");
        assertThat(deny.allowed()).isNull();
        assertThat(HclPolicy.parse("path \"w\" { policy = \"write\" }").rules().get("w"))
                .containsExactlyInAnyOrder("create", "read", "update", "delete", "list");
    }

    @Test
    void parserRefusesWhatVaultRefuses() {
        assertThatThrownBy(() ->
                        HclPolicy.parse("path \"x\" {\n capabilities = [\"read\"]\n allowed_parameter = { a = [] }\n}"))
                .hasMessage("1 error occurred:\n\t* path \"x\": invalid key \"allowed_parameter\" on line 3\n\n");
        assertThatThrownBy(() -> HclPolicy.parse("name = \"n\"\nfoo = 1"))
                .hasMessage("1 error occurred:\n\t* invalid key \"foo\" on line 2\n\n");
        assertThatThrownBy(
                        () -> HclPolicy.parse(
                                "path \"x\" { capabilities = [\"read\"]\n min_wrapping_ttl = \"60s\"\n max_wrapping_ttl = 30 }"))
                .hasMessage("max_wrapping_ttl cannot be less than min_wrapping_ttl");
        assertThatThrownBy(
                        () -> HclPolicy.parse("path \"x\" { capabilities = [\"read\"]\n min_wrapping_ttl = \"soon\" }"))
                .hasMessageStartingWith("error parsing min_wrapping_ttl: ");
        assertThatThrownBy(() -> HclPolicy.parse(
                        "path \"x\" { capabilities = [\"read\"]\n allowed_parameters = { a = \"b\" } }"))
                .hasMessageContaining("unknown slice type");
        assertThatThrownBy(() -> HclPolicy.parse(
                        "path \"x\" { capabilities = [\"read\"]\n allowed_parameters = { a = [bare] } }"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listFallsBackToTheGlobRulesOfThePathWithoutSlash() {
        Acl a = acl(
                "path \"auth/m/role/+/secret-id\" { capabilities = [\"list\", \"update\"]\n denied_parameters = { \"*\" = [] } }");
        assertThat(a.allows("auth/m/role/r/secret-id/", "list", false, Map.of("x", "1"), null))
                .isTrue();
        assertThat(a.allows("auth/m/role/r/secret-id", "update", false, Map.of(), null))
                .isTrue();
        assertThat(a.allows("auth/m/role/r/secret-id", "update", false, Map.of("x", "1"), null))
                .isFalse();
        assertThat(a.allows("auth/m/role/r/secret-id/", "update", false, Map.of(), null))
                .isFalse();
    }
}
