package io.maasops.security.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.testing.HostileServer;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits of the operator's own Vault transport against servers that misbehave on purpose (127.0.0.1 only):
 * a whole-request deadline, a size cap, no redirects, short printable error text, and Vault's wire format.
 */
@Timeout(60)
class VaultTransportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret TOKEN = Secret.of("hvs.CAESIOperatorTokenForTheLimitsTest01");

    /** Class loading and TLS set-up of a cold JVM are not what the deadlines are about: pay for them first. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (HostileServer server =
                HostileServer.start(HostileServer.answer(200, List.of(), "{}".getBytes(StandardCharsets.US_ASCII)))) {
            new VaultTransport(VaultConnectionSettings.of(server.uri())).get("test", "sys/health", null);
        }
    }

    private static VaultGateway gateway(HostileServer server, Duration deadline, int maxBytes) {
        return new VaultGateway(
                VaultConnectionSettings.of(server.uri())
                        .withTimeouts(Duration.ofSeconds(2), deadline)
                        .withMaxResponseBytes(maxBytes),
                new VaultAuthenticator.TokenAuth(TOKEN));
    }

    @Test
    void aBodyTrickledOneBytePerSecondFailsWithinTheDeadlineAndFreesTheThread() throws Exception {
        try (HostileServer tarpit = HostileServer.start(HostileServer.trickle(Duration.ofSeconds(1), 1_000_000))) {
            VaultGateway g = gateway(tarpit, Duration.ofMillis(1500), 4 << 20);
            ExecutorService reconcileThread = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<?> call = reconcileThread.submit(g::health);
                Throwable failure = catchThrowableOfType(
                                java.util.concurrent.ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS))
                        .getCause();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(failure).isInstanceOfSatisfying(VaultException.class, e -> {
                    assertThat(e.kind()).isEqualTo(VaultErrorKind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("timeout").contains("1500 ms");
                });
                assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(6)); // the machine is shared
                // the same thread takes the next job at once
                assertThat(reconcileThread.submit(() -> "free").get(1, TimeUnit.SECONDS))
                        .isEqualTo("free");
            } finally {
                reconcileThread.shutdownNow();
            }
            // and the exchange itself was stopped: the client closed the connection, nothing reads on in the background
            await().atMost(Duration.ofSeconds(5)).until(() -> tarpit.hungUp() == 1);
            assertThat(tarpit.bytesSent()).isLessThan(1_000);
        }
    }

    @Test
    void anEndlessBodyIsRefusedAtTheCapLongBeforeTheDeadline() throws Exception {
        try (HostileServer endless = HostileServer.start(HostileServer.endless())) {
            VaultGateway g = gateway(endless, Duration.ofSeconds(20), 100_000); // the heap is hundreds of MiB
            long start = System.nanoTime();
            VaultException e = catchThrowableOfType(VaultException.class, g::health);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(e.kind()).isEqualTo(VaultErrorKind.SERVER_ERROR);
            assertThat(e.getMessage()).isEqualTo("health: SERVER_ERROR: answer larger than 100000 bytes refused");
            await().atMost(Duration.ofSeconds(5)).until(() -> endless.hungUp() == 1);
            assertThat(endless.bytesSent()).isLessThan(64L << 20); // socket buffers, not the whole stream
        }
    }

    @Test
    void anAnswerDeclaringAnOversizeBodyIsRefusedAtOnceWithoutReadingIt() throws Exception {
        // 10 GB announced, then a trickle: only the Content-Length check ends this before the deadline
        try (HostileServer server =
                HostileServer.start(HostileServer.trickle(Duration.ofSeconds(1), 10_000_000_000L))) {
            VaultGateway g = gateway(server, Duration.ofSeconds(20), 100_000);
            long start = System.nanoTime();
            VaultException e = catchThrowableOfType(VaultException.class, g::health);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(e.kind()).isEqualTo(VaultErrorKind.SERVER_ERROR);
            assertThat(e.getMessage()).contains("larger than 100000 bytes");
        }
    }

    @Test
    void aHostileErrorBodyBecomesAShortPrintableMessage() throws Exception {
        StringBuilder junk = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            junk.append("<tr><td>\u0000\u001b[31mrow ").append(i).append("</td>\r\n\t<td>é\u2028</td></tr>");
        }
        assertThat(junk.length()).isGreaterThan(10_000);
        String json =
                JSON.writeValueAsString(Map.of("errors", List.of(junk.toString(), junk.toString(), junk.toString())));
        for (byte[] body :
                List.of(json.getBytes(StandardCharsets.UTF_8), junk.toString().getBytes(StandardCharsets.UTF_8))) {
            try (HostileServer server =
                    HostileServer.start(HostileServer.answer(500, List.of("Content-Type: text/html"), body))) {
                VaultException e = catchThrowableOfType(
                        VaultException.class,
                        () -> gateway(server, Duration.ofSeconds(5), 4 << 20).readPolicy("p"));
                assertThat(e.kind()).isEqualTo(VaultErrorKind.SERVER_ERROR);
                assertThat(e.httpStatus()).isEqualTo(500);
                assertThat(String.join("; ", e.vaultErrors())).hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT);
                assertThat(e.getMessage())
                        .matches("[\\x20-\\x7E]*")
                        .hasSizeLessThanOrEqualTo(
                                "read_policy: SERVER_ERROR (HTTP 500): ".length() + RemoteText.MAX_EXCERPT);
            }
        }
    }

    @Test
    void aJunkStatusLineQuotedByTheJdkReachesTheMessageOnlyAsAnExcerpt() throws Exception {
        String junk = "<h1>" + "\u0007no status here ".repeat(700) + "</h1>";
        byte[] answer = ("HTTP/1.1 " + junk + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (HostileServer server = HostileServer.start((s, srv) -> {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(answer);
        })) {
            VaultException e =
                    catchThrowableOfType(VaultException.class, gateway(server, Duration.ofSeconds(5), 4 << 20)::health);
            assertThat(e.kind()).isEqualTo(VaultErrorKind.UNREACHABLE);
            assertThat(e.getMessage())
                    .contains("no status here")
                    .matches("[\\x20-\\x7E]*")
                    .hasSizeLessThanOrEqualTo("health: UNREACHABLE: connection failure: ProtocolException ".length()
                            + RemoteText.MAX_EXCERPT);
        }
    }

    @Test
    void namesAndVersionsAVaultReportsAreShortAndPrintable() throws Exception {
        String huge = "1.15.0<script>" + "\u0000x".repeat(5_000);
        byte[] health = JSON.writeValueAsBytes(
                Map.of("initialized", true, "sealed", false, "version", huge, "cluster_name", huge));
        try (HostileServer server =
                HostileServer.start(HostileServer.answer(200, List.of("Content-Type: application/json"), health))) {
            HealthStatus h = gateway(server, Duration.ofSeconds(5), 4 << 20).health();
            assertThat(h.version()).isEqualTo("1.15.0 ..."); // the rest is one long word: dropped, not cut
            assertThat(h.clusterName()).isEqualTo("1.15.0 ...");
        }
    }

    @Test
    void aSecretEchoedAcrossAnExcerptsCutsNeverLeaksInPart() throws Exception {
        String secretId = "5f1c0e2a-0d3b-4f52-9a1e-7c6b5d4e3f21";
        java.util.concurrent.atomic.AtomicReference<byte[]> answer =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (HostileServer server = HostileServer.start((s, srv) -> {
            s.getInputStream().read(new byte[8192]);
            byte[] body = answer.get();
            s.getOutputStream()
                    .write(("HTTP/1.1 400 Bad Request\r\nContent-Length: " + body.length
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
        })) {
            VaultGateway g = gateway(server, Duration.ofSeconds(5), 4 << 20);
            for (int k = 0; k <= 160; k += 2) {
                // the secret walks from the beginning to the end of Vault's message, across both cuts of the excerpt
                answer.set(JSON.writeValueAsBytes(Map.of(
                        "errors",
                        List.of("x ".repeat(k) + "secret_id=" + secretId + " rejected" + " y".repeat(160 - k)))));
                VaultException e = catchThrowableOfType(
                        VaultException.class, () -> g.appRoleLogin("approle", "role-id", Secret.of(secretId)));
                for (int i = 4; i <= secretId.length(); i++) {
                    assertThat(e.getMessage())
                            .as("k %d", k)
                            .doesNotContain(secretId.substring(0, i))
                            .doesNotContain(secretId.substring(secretId.length() - i));
                }
            }
        }
    }

    @Test
    void aRedirectIsNeverFollowedSoTheTokenStaysWithTheServerItWasMeantFor() throws Exception {
        try (HostileServer elsewhere = HostileServer.start(HostileServer.answer(
                        200,
                        List.of("Content-Type: application/json"),
                        "{\"data\":{\"ttl\":0}}".getBytes(StandardCharsets.US_ASCII)));
                HostileServer redirecting = HostileServer.start(HostileServer.answer(
                        307,
                        List.of("Location: http://127.0.0.1:" + elsewhere.port() + "/v1/auth/token/lookup-self"),
                        new byte[0]))) {
            VaultException e = catchThrowableOfType(
                    VaultException.class,
                    () -> gateway(redirecting, Duration.ofSeconds(5), 4 << 20).readPolicy("p"));
            assertThat(e.kind()).isEqualTo(VaultErrorKind.SERVER_ERROR);
            assertThat(e.httpStatus()).isEqualTo(307);
            assertThat(redirecting.requestHeads())
                    .singleElement()
                    .asString()
                    .containsIgnoringCase("x-vault-token: " + TOKEN.reveal());
            assertThat(elsewhere.connections()).isZero();
        }
    }

    @Test
    void wireFormatHeadersListAndWrapping() throws Exception {
        byte[] ok = "{\"data\":{}}".getBytes(StandardCharsets.US_ASCII);
        try (HostileServer server =
                HostileServer.start(HostileServer.answer(200, List.of("Content-Type: application/json"), ok))) {
            VaultTransport plain = new VaultTransport(VaultConnectionSettings.of(server.uri()));
            VaultTransport inNamespace =
                    new VaultTransport(VaultConnectionSettings.of(server.uri()).withNamespace("team-a/"));
            plain.list("test", "auth/approle/role", TOKEN);
            plain.postWrapped(
                    "test", "auth/approle/role/r/secret-id", TOKEN, JSON.createObjectNode(), Duration.ofSeconds(60));
            plain.post(
                    "test", "sys/wrapping/lookup", null, JSON.createObjectNode().put("token", "w"));
            inNamespace.get("test", "sys/health", null);
            List<String> heads =
                    server.requestHeads().stream().map(String::toLowerCase).toList();
            assertThat(heads).hasSize(4).allSatisfy(h -> assertThat(h).contains("x-vault-request: true\r\n"));
            assertThat(heads.get(0))
                    .startsWith("get /v1/auth/approle/role?list=true http/1.1\r\n")
                    .contains("x-vault-token: " + TOKEN.reveal().toLowerCase())
                    .doesNotContain("x-vault-namespace");
            assertThat(heads.get(1))
                    .startsWith("post /v1/auth/approle/role/r/secret-id http/1.1\r\n")
                    .contains("x-vault-wrap-ttl: 60\r\n")
                    .contains("content-type: application/json");
            assertThat(heads.get(2)).doesNotContain("x-vault-token").doesNotContain("x-vault-wrap-ttl");
            assertThat(heads.get(3)).contains("x-vault-namespace: team-a/\r\n").doesNotContain("x-vault-token");
        }
    }

    @Test
    void pathsThatCouldEscapeAreRefusedBeforeAnyConnection() throws Exception {
        try (HostileServer server = HostileServer.start(HostileServer.answer(200, List.of(), new byte[0]))) {
            VaultTransport t = new VaultTransport(VaultConnectionSettings.of(server.uri()));
            for (String bad : List.of(
                    "sys/health?standbyok=true",
                    "secret/data/a#b",
                    "secret/data/../../sys/seal",
                    "secret//data/x",
                    "secret/data/a\nb",
                    "secret/data/a\u0000b",
                    "secret/data/a\u007fb",
                    "/sys/health",
                    "")) {
                assertThatThrownBy(() -> t.get("test", bad, TOKEN))
                        .as(bad)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(server.connections()).isZero();
            t.get("test", "secret/data/with space/ünï", TOKEN); // legal characters are encoded, not refused
            assertThat(server.requestHeads())
                    .singleElement()
                    .asString()
                    .startsWith("GET /v1/secret/data/with%20space/%C3%BCn%C3%AF HTTP/1.1");
        }
    }

    @Test
    void aTokenThatCannotBeAHeaderIsRefusedWithoutQuotingIt() {
        VaultTransport t = new VaultTransport(VaultConnectionSettings.of(java.net.URI.create("http://127.0.0.1:1")));
        String bad = "hvs.CAESITokenWithANewline\n";
        assertThatThrownBy(() -> t.get("test", "sys/health", Secret.of(bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hvs.CAESI"));
    }

    @Test
    void tokenPoliciesAreWrittenAsOneCommaJoinedStringAndReadBackAsAList() {
        try (VaultDouble vault = VaultDouble.start()) {
            VaultGateway g = new VaultGateway(
                    VaultConnectionSettings.of(vault.address()),
                    new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())));
            g.ensureAppRoleAuth("approle");
            vault.clearRequests();
            g.writeRole(
                    "approle",
                    "maas-r",
                    new AppRoleSpec(
                            List.of("maas-common", "maas-region"),
                            Duration.ofMinutes(5),
                            null,
                            null,
                            0,
                            List.of("10.0.0.0/8"),
                            null));
            VaultDouble.Request write = vault.requests().stream()
                    .filter(r -> r.method().equals("POST") && r.path().equals("/v1/auth/approle/role/maas-r"))
                    .findFirst()
                    .orElseThrow();
            assertThat(write.body().get("token_policies").isTextual())
                    .as("token_policies is a JSON string")
                    .isTrue();
            assertThat(write.body().get("token_policies").asText()).isEqualTo("maas-common,maas-region");
            assertThat(write.body().get("token_bound_cidrs").isArray()).isTrue();
            assertThat(g.readRole("approle", "maas-r").orElseThrow().policies())
                    .containsExactly("maas-common", "maas-region");
            assertThatThrownBy(() -> g.writeRole(
                            "approle", "maas-r", new AppRoleSpec(List.of("a,root"), null, null, null, 0, null, null)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
