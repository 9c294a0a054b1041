package io.maasops.security.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.maasops.security.testing.HostileServer;
import io.maasops.security.util.RemoteText;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MAAS API client against servers that misbehave on purpose (127.0.0.1 only): the URL is a namespace author's. */
@Timeout(60)
class MaasApiClientLimitsTest {

    private static MaasApiClient client(HostileServer server, Duration deadline, int maxBytes) throws Exception {
        return MaasApiClient.builder(URI.create(server.uri() + "/MAAS/"), MaasApiKey.parse("consumer:token:secret"))
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(deadline)
                .maxResponseBytes(maxBytes)
                .build();
    }

    /** Class loading of a cold JVM is not what the deadlines are about: pay for it first. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (HostileServer server = HostileServer.start(
                HostileServer.answer(200, List.of(), "{\"version\":\"3.8.0\"}".getBytes(StandardCharsets.US_ASCII)))) {
            client(server, Duration.ofSeconds(5), 1 << 20).version();
        }
    }

    @Test
    void finding8_aBodyTrickledOneBytePerSecondFailsWithinTheDeadlineAndFreesTheThread() throws Exception {
        try (HostileServer tarpit = HostileServer.start(HostileServer.trickle(Duration.ofSeconds(1), 1_000_000))) {
            MaasApiClient c = client(tarpit, Duration.ofMillis(1500), 4 << 20);
            ExecutorService reconcileThread = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<?> call = reconcileThread.submit(() -> {
                    c.listNotifications();
                    return null;
                });
                Throwable failure = catchThrowableOfType(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS))
                        .getCause();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(failure).isInstanceOfSatisfying(MaasApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MaasApiException.Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("request timed out");
                });
                assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(6)); // the machine is shared
                assertThat(reconcileThread.submit(() -> "free").get(1, TimeUnit.SECONDS))
                        .isEqualTo("free");
            } finally {
                reconcileThread.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> tarpit.hungUp() == 1);
            assertThat(tarpit.bytesSent()).isLessThan(1_000);
        }
    }

    @Test
    void finding8_anEndlessBodyIsRefusedAtTheCap() throws Exception {
        try (HostileServer endless = HostileServer.start(HostileServer.endless())) {
            MaasApiClient c = client(endless, Duration.ofSeconds(20), 100_000); // the heap is hundreds of MiB
            long start = System.nanoTime();
            MaasApiException e = catchThrowableOfType(MaasApiException.class, c::listUsers);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(e.kind()).isEqualTo(MaasApiException.Kind.INVALID_RESPONSE);
            assertThat(e.getMessage()).isEqualTo("MAAS API GET users/: answer larger than 100000 bytes refused");
            await().atMost(Duration.ofSeconds(5)).until(() -> endless.hungUp() == 1);
            assertThat(endless.bytesSent()).isLessThan(64L << 20);
        }
    }

    @Test
    void finding7_aHostileErrorBodyBecomesAShortPrintableExcerpt() throws Exception {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><title>Server Error</title></head><body>");
        for (int i = 0; i < 300; i++) {
            page.append("<tr><td>\u0000\u001b[31mline ").append(i).append("</td>\r\n\t<td>é\u2028</td></tr>");
        }
        assertThat(page.length()).isGreaterThan(10_000);
        try (HostileServer server = HostileServer.start(HostileServer.answer(
                500, List.of("Content-Type: text/html"), page.toString().getBytes(StandardCharsets.UTF_8)))) {
            MaasApiException e = catchThrowableOfType(
                    MaasApiException.class, client(server, Duration.ofSeconds(5), 4 << 20)::whoami);
            assertThat(e.kind()).isEqualTo(MaasApiException.Kind.SERVER_ERROR);
            String prefix = "MAAS API GET users/?op=whoami failed with HTTP 500: ";
            assertThat(e.getMessage())
                    .startsWith(prefix + "Server Error ??[31mline 0 ?? ??[31mline 1")
                    .matches("[\\x20-\\x7E]*")
                    .hasSizeLessThanOrEqualTo(prefix.length() + RemoteText.MAX_EXCERPT);
            assertThat(e.maasMessage()).hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT);
        }
    }
}
