package io.maasops.security.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The run-time checks of spec.configFiles agree with the CRD patterns as the API server evaluates them
 * (RE2, here com.google.re2j, the engine cel-java uses too), and stay linear on any input.
 */
class ConfigFileValuesTest {

    private static final com.google.re2j.Pattern PATH_RE2 = com.google.re2j.Pattern.compile(Patterns.CONFIG_FILE_PATH);
    private static final com.google.re2j.Pattern MODE_RE2 = com.google.re2j.Pattern.compile(Patterns.CONFIG_FILE_MODE);

    @Test
    void pathsStrictlyInsideMaasDirectoriesOnly() {
        for (String ok : List.of(
                "/etc/maas/regiond.conf",
                "/etc/maas/rackd.conf",
                "/var/lib/maas/secret",
                "/var/snap/maas/current/regiond.conf",
                "/var/snap/maas/common/maas/secret",
                "/etc/maas/a.b.c",
                "/etc/maas/certificates/cluster@x-1_2.pem")) {
            assertThat(SafeValues.isConfigFilePath(ok)).as(ok).isTrue();
        }
        for (String bad : List.of(
                "/etc/shadow",
                "/etc/maas",
                "/etc/maas/",
                "/var/lib/maas",
                "/var/snap/maas/",
                "/etc/maas/../shadow",
                "/etc/maas/./regiond.conf",
                "/etc/maas//regiond.conf",
                "/etc/maas/regiond.conf/",
                "/etc/maas/.hidden",
                "/etc/maas/a..b",
                "/etc/maas/a.",
                "/etc/maasx/regiond.conf",
                "/etc/maas.d/x",
                "etc/maas/regiond.conf",
                "//etc/maas/regiond.conf",
                "/etc/maas/a b",
                "/etc/maas/a;b",
                "/etc/maas/a\nb",
                "/etc/maas/$(id)",
                "/etc/maas/*",
                "/etc/maas/é",
                "",
                "/var/lib/maas/" + "x".repeat(243))) {
            assertThat(SafeValues.isConfigFilePath(bad)).as(bad).isFalse();
        }
        assertThat(SafeValues.isConfigFilePath(null)).isFalse();
        assertThat(SafeValues.isConfigFilePath("/var/lib/maas/" + "x".repeat(242)))
                .as("256 characters")
                .isTrue();
    }

    @Test
    void modesWithoutBitsForOthersOrSpecialBits() {
        for (String ok : List.of("0640", "640", "0600", "0660", "0750", "0700", "0000", "0770")) {
            assertThat(SafeValues.isConfigFileMode(ok)).as(ok).isTrue();
        }
        for (String bad : List.of(
                "0666",
                "0644",
                "0641",
                "0642",
                "4750",
                "2750",
                "1640",
                "7777",
                "04750",
                "0o640",
                "rw-r-----",
                "u+rwx",
                "",
                "00640",
                "0980",
                " 0640")) {
            assertThat(SafeValues.isConfigFileMode(bad)).as(bad).isFalse();
        }
    }

    /** Random strings over the interesting alphabet: the hand-written check and the RE2 pattern agree. */
    @Test
    void javaChecksAgreeWithTheCrdPatternsUnderRe2() {
        Random random = new Random(6_9);
        List<String> inputs = new ArrayList<>();
        String[] prefixes = {"/etc/maas/", "/var/lib/maas/", "/var/snap/maas/", "/etc/maas", "/etc/", "/", ""};
        String alphabet = "ab./-_@ Z9";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(sb.toString());
        }
        for (String in : inputs) {
            assertThat(SafeValues.isConfigFilePath(in)).as(in).isEqualTo(PATH_RE2.matches(in));
        }
        for (int i = 0; i < 10_000; i++) {
            String mode = Integer.toOctalString(i);
            String padded = "0" + mode;
            assertThat(SafeValues.isConfigFileMode(mode)).as(mode).isEqualTo(MODE_RE2.matches(mode));
            assertThat(SafeValues.isConfigFileMode(padded)).as(padded).isEqualTo(MODE_RE2.matches(padded));
        }
    }

    /** The old ABSOLUTE_PATH regex overflowed the stack at ~1200 characters; this check is a loop. */
    @Test
    void anyLengthIsRefusedWithoutRecursion() {
        String long1 = "/var/lib/maas/" + "a.".repeat(2_000_000) + "b";
        assertThat(SafeValues.isConfigFilePath(long1)).isFalse();
        assertThat(SafeValues.isConfigFileMode("0".repeat(1_000_000))).isFalse();
    }
}
