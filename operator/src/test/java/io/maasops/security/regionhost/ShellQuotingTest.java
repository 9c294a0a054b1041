package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.region.ShellWords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuotingTest {
    @Test
    void safeWordsStayBare() {
        assertThat(ShellQuoting.quote("config-vault")).isEqualTo("config-vault");
        assertThat(ShellQuoting.quote("/etc/maas/regiond.conf")).isEqualTo("/etc/maas/regiond.conf");
        assertThat(ShellQuoting.quote("root:maas")).isEqualTo("root:maas");
        assertThat(ShellQuoting.quote("--mount")).isEqualTo("--mount");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuoting.quote("%a %u")).isEqualTo("'%a %u'");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("$(id)")).isEqualTo("'$(id)'");
        assertThat(ShellQuoting.quote("~root")).isEqualTo("'~root'");
        assertThat(ShellQuoting.quote("a\nb")).isEqualTo("'a\nb'");
    }

    @Test
    void joinQuotesEachWord() {
        assertThat(ShellQuoting.join(List.of("stat", "-c", "%a %u %g %U %G", "--", "/etc/maas/regiond.conf")))
                .isEqualTo("stat -c '%a %u %g %U %G' -- /etc/maas/regiond.conf");
    }

    @Test
    void nulAndEmptyVectorsAreRefused() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuoting.join(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every hostile value splits back into exactly one identical word under POSIX rules. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "'",
                "''",
                "a'b",
                "\"",
                "; rm -rf /",
                "$(id)",
                "`id`",
                "${HOME}",
                "a\nb",
                "\\",
                "\\'",
                "&& true",
                "| cat",
                "> /tmp/x",
                "*",
                "?",
                "[a]",
                "~",
                "#c",
                " leading",
                "trailing ",
                "\t",
                "'\"'\"'",
                "s.xyz-hvs.CAESIJ+/=="
            })
    void roundTripsThroughPosixWordSplitting(String hostile) throws Exception {
        List<String> argv = List.of("printf", "%s\\0", hostile, "x");
        assertThat(ShellWords.split(ShellQuoting.join(argv))).containsExactlyElementsOf(argv);
    }
}
