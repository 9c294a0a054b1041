package io.maasops.security.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MAAS's minimal policy (docs/reference/maas-internals.md §1.5) and the values that must never reach it. */
class MaasPolicyTest {

    @Test
    void rendersTheDocumentedThreeRules() {
        assertThat(MaasPolicy.render("secret", "maas")).isEqualTo("""
                path "secret/metadata/maas/" {
                  capabilities = ["list"]
                }

                path "secret/metadata/maas/*" {
                  capabilities = ["read", "update", "delete", "list"]
                }

                path "secret/data/maas/*" {
                  capabilities = ["read", "create", "update", "delete"]
                }
                """);
    }

    @Test
    void nestedMountAndPathAreFine() {
        assertThat(MaasPolicy.render("kv/prod", "maas/region-1.a_b"))
                .contains("path \"kv/prod/data/maas/region-1.a_b/*\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "*", "maas*", "ma+as", "+", "..", "maas/..", "../x", ".", "a//b", "/maas", "maas/", "ma as",
                "maas\t", "ma\"as", "ma'as", "ma\nas", "maas}", "ma{s", "ma#s", "mäas", "a\\b"
            })
    void rejectsUnsafePaths(String bad) {
        assertThatThrownBy(() -> MaasPolicy.render("secret", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path");
        assertThatThrownBy(() -> MaasPolicy.render(bad, "maas"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mount");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> MaasPolicy.render(null, "maas")).isInstanceOf(IllegalArgumentException.class);
    }
}
