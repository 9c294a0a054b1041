package io.maasops.security.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteTextTest {

    @Test
    void shortPlainTextIsKeptAsItIs() {
        assertThat(RemoteText.excerpt("Secrets are already migrated to Vault."))
                .isEqualTo("Secrets are already migrated to Vault.");
        assertThat(RemoteText.excerpt("{\"ident\": [\"Notification with this Ident already exists.\"]}"))
                .isEqualTo("{\"ident\": [\"Notification with this Ident already exists.\"]}");
        assertThat(RemoteText.excerpt(null)).isEmpty();
        assertThat(RemoteText.excerpt("  \n\t ")).isEmpty();
    }

    @Test
    void maasDocumentedMessagesFitWhole() {
        // docs/reference/maas-internals.md §1.4: the longest fixed messages of `maas config-vault migrate`
        String restart = "Unable to migrate as one or more regions didn't restart when politely asked. Please shut down"
                + " these regions before starting the migration process again.";
        String local = "Vault is not configured for the current region. Please use `sudo maas config-vault configure`"
                + " command on all regions before migrating.";
        assertThat(RemoteText.excerpt(restart)).isEqualTo(restart);
        assertThat(RemoteText.excerpt(local)).isEqualTo(local);
    }

    @Test
    void controlCharactersNonAsciiAndTagsAreRemovedAndWhitespaceCollapsed() {
        assertThat(RemoteText.excerpt("<html><body><h1>502 Bad\tGateway</h1>\r\n<p>nginx</p></body></html>"))
                .isEqualTo("502 Bad Gateway nginx");
        assertThat(RemoteText.excerpt("a\u0000b\u001bc\u007fd é 😀 <!-- x -->e"))
                .isEqualTo("a?b?c?d ? ? e");
        assertThat(RemoteText.excerpt("1 < 2 and 3 > 2")).isEqualTo("1 < 2 and 3 > 2");
        assertThat(RemoteText.excerpt("open <script never closed")).isEqualTo("open");
    }

    @Test
    void longTextKeepsWholeWordsFromItsBeginningAndEndWithinTheCap() {
        String e = RemoteText.excerpt("word ".repeat(100), 60);
        assertThat(e).hasSizeLessThanOrEqualTo(60).matches("word( word)* \\.\\.\\. word( word)*");
        assertThat(RemoteText.excerpt("x".repeat(500), 40)).isEqualTo("...");
        assertThat(RemoteText.excerpt("word ".repeat(20), 20)).isEqualTo("word word word...");
    }

    @Test
    void theCauseAtTheEndOfALongPythonErrorSurvives() {
        // hvac's text for an unreachable Vault, as MAAS prints it (docs/reference/maas-internals.md §1.2 item 7)
        String hvac = "HTTPConnectionPool(host='vault.example.internal', port=8200): Max retries exceeded with url:"
                + " /v1/sys/wrapping/unwrap (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at"
                + " 0x7f2b1c0d5e80>: Failed to establish a new connection: [Errno 111] Connection refused'))";
        String e = RemoteText.excerpt(hvac);
        assertThat(e)
                .hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT)
                .startsWith("HTTPConnectionPool(host='vault.example.internal', port=8200): Max retries exceeded")
                .contains(" ... ")
                .endsWith("[Errno 111] Connection refused'))");
    }

    @Test
    void aSecretAtEitherCutIsKeptWholeOrDropped() {
        String secret = "hvs.CAESIJ0123456789abcdefghijklmnopqrstu";
        for (int k = 0; k <= 200; k++) {
            // the secret walks from the beginning to the end, across the head's cut and the tail's
            String text = "z ".repeat(k) + "token=" + secret + " was refused" + " w".repeat(200 - k);
            String e = RemoteText.excerpt(text, 80);
            assertThat(e).hasSizeLessThanOrEqualTo(80);
            if (!e.contains(secret)) {
                for (int i = 4; i <= secret.length(); i++) {
                    assertThat(e)
                            .as("k %d", k)
                            .doesNotContain(secret.substring(0, i))
                            .doesNotContain(secret.substring(secret.length() - i));
                }
            }
        }
    }

    @Test
    void tenKilobytesOfHostileTextBecomeOneShortPrintableLine() {
        StringBuilder hostile = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            hostile.append("<div style=\"x\">\u0007secret\u0000data ").append(i).append("\n\r\u2028</div>");
        }
        assertThat(hostile.length()).isGreaterThan(10_000);
        String e = RemoteText.excerpt(hostile.toString());
        assertThat(e)
                .hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT)
                .matches("[\\x20-\\x7E]*")
                .contains(" ... ");
    }
}
