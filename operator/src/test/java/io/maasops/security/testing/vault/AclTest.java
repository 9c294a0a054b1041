package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The double's HCL parser and ACL matching against vault-api.md §5.2. */
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
        Acl a = acl("path \"secret/*\" { capabilities = [\"deny\"] }", "path \"secret/foo\" { capabilities = [\"read\"] }");
        assertThat(a.allows("secret/foo", "read", false)).isTrue();
        assertThat(a.allows("secret/bar", "read", false)).isFalse();
        Acl b = acl("path \"secret/foo\" { capabilities = [\"deny\"] }", "path \"secret/foo\" { capabilities = [\"read\"] }");
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
        String b64 = java.util.Base64.getEncoder().encodeToString("path \"c\" { capabilities = [\"read\"] }".getBytes());
        assertThat(HclPolicy.parse(b64).rules()).containsKey("c");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x\" { capabilities = [\"foo\"] }"))
                .hasMessage("path \"x\": invalid capability \"foo\"");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x/+*\" { capabilities = [\"read\"] }"))
                .hasMessageContaining("'+*' is forbidden");
        assertThatThrownBy(() -> HclPolicy.parse("path \"x\" { capabilities = [\"read\"]")).isInstanceOf(IllegalArgumentException.class);
    }
}
