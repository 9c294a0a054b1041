package io.maasops.security.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.maasops.security.testing.maas.MaasApiDouble;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MAAS API key never shows up in exception messages, toString(), stack traces or the double's log. */
@Timeout(60)
class SecretsNeverLeakTest {

    private static List<String> partsOf(String key) {
        return List.of(key.split(":"));
    }

    private static String everything(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        StringBuilder sb = new StringBuilder(sw.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    @Test
    void apiKeyNeverAppearsInErrorsOrTheRequestLog() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        List<String> texts = new ArrayList<>();
        try (MaasApiDouble maas = MaasApiDouble.start()) {
            String good = maas.apiKey();
            String[] p = good.split(":");
            String wrong = p[0] + ":" + p[1] + ":Wr0ngS3cretValue";
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));

            MaasApiClient goodClient = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(good))
                    .build();
            goodClient.listNotifications();
            texts.add(everything(catchThrowable(() -> goodClient.getNotification(12345))));
            texts.add(everything(catchThrowable(() ->
                    goodClient.createNotification(NotificationRequest.forAdmins("x".repeat(41), "info", "m", null)))));

            MaasApiClient wrongClient = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(wrong))
                    .build();
            Throwable unauthorized = catchThrowable(wrongClient::whoami);
            assertThat(((MaasApiException) unauthorized).kind()).isEqualTo(MaasApiException.Kind.UNAUTHORIZED);
            texts.add(everything(unauthorized));

            int closed;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            MaasApiClient unreachable = MaasApiClient.builder(
                            URI.create("http://127.0.0.1:" + closed + "/MAAS"), MaasApiKey.parse(good))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            texts.add(everything(catchThrowable(unreachable::version)));

            texts.add(everything(catchThrowable(() -> MaasApiKey.parse(good + ":extra"))));
            texts.add(everything(catchThrowable(() -> MaasApiKey.parse(p[0] + "::" + p[2]))));
            texts.add(MaasApiKey.parse(good).toString());
            texts.add(String.valueOf(goodClient));
            texts.add(maas.requestLogText());
            texts.add(maas.requestLog().toString());

            System.out.flush();
            System.err.flush();
            texts.add(console.toString(StandardCharsets.UTF_8));

            assertThat(maas.requestLog()).hasSizeGreaterThanOrEqualTo(4);
            List<String> secrets = new ArrayList<>(partsOf(good));
            secrets.add("Wr0ngS3cretValue");
            for (String text : texts) {
                for (String s : secrets) {
                    assertThat(text).doesNotContain(s);
                }
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
