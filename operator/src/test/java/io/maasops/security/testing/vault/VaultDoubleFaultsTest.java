package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Fault injection, TLS and the controllable clock of the double. */
class VaultDoubleFaultsTest {

    @Test
    void latencyResetNthFailureAndDownUpOnTheSamePort() {
        try (VaultDouble vault = VaultDouble.start()) {
            RawVaultClient http = new RawVaultClient(vault);
            vault.faults().latency(Duration.ofMillis(300));
            long t0 = System.nanoTime();
            assertThat(http.get("sys/health", null).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            vault.faults().clear();

            // POST: java.net.http silently retries an idempotent GET once on a dropped connection
            vault.faults().resetNextConnections(1);
            vault.clearRequests();
            assertThatThrownBy(() -> http.post("auth/token/renew-self", vault.rootToken(), "{}"))
                    .isInstanceOf(UncheckedIOException.class);
            assertThat(vault.requests())
                    .containsExactly(new VaultDouble.Request("POST", "/v1/auth/token/renew-self", 0, true, null));
            assertThat(http.get("sys/health", null).status()).isEqualTo(200);

            vault.faults().failNthRequest("/v1/sys/health", 2);
            assertThat(http.get("sys/health", null).status()).isEqualTo(200);
            var failed = http.get("sys/health", null);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.json().get("errors").get(0).asText()).contains("internal error");
            assertThat(http.get("sys/health", null).status()).isEqualTo(200);

            int port = vault.port();
            vault.faults().down();
            assertThatThrownBy(() -> http.get("sys/health", null)).hasCauseInstanceOf(ConnectException.class);
            vault.faults().up();
            assertThat(vault.port()).isEqualTo(port);
            assertThat(http.get("sys/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aHeldAnswerHasTakenEffectButReachesItsCallerOnlyWhenReleased() throws Exception {
        try (VaultDouble vault = VaultDouble.start()) {
            RawVaultClient http = new RawVaultClient(vault);
            http.send("POST", "sys/mounts/secret", vault.rootToken(), "{\"type\":\"kv-v2\"}", Map.of());
            VaultFaults.Hold hold = vault.faults().holdNextAnswer("POST", "/v1/secret/data/held");
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> http.post("secret/data/held", vault.rootToken(), "{\"data\":{\"k\":\"v\"}}")
                            .status());
            assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
            assertThat(vault.kvData("secret", "held")).contains(Map.of("k", "v")); // done in Vault...
            assertThat(answer).isNotDone(); // ...not yet answered
            assertThat(http.get("sys/health", null).status()).isEqualTo(200); // others are served
            hold.release();
            assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
            // once only
            assertThat(http.post("secret/data/held", vault.rootToken(), "{\"data\":{\"k\":\"w\"}}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void tlsIsVerifiedAgainstTheGeneratedCa() {
        try (VaultDouble vault = VaultDouble.startTls()) {
            assertThat(vault.address().getScheme()).isEqualTo("https");
            assertThat(vault.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(new RawVaultClient(vault).get("sys/health", null).status())
                    .isEqualTo(200);
            var untrusting = java.net.http.HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(
                            java.net.http.HttpRequest.newBuilder(vault.address().resolve("/v1/sys/health"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void acceptsRequestsWithoutContentTypeOrXVaultRequest_s10() {
        try (VaultDouble vault = VaultDouble.start()) {
            RawVaultClient http = new RawVaultClient(vault);
            var r = http.send(
                    "POST",
                    "sys/mounts/secret",
                    vault.rootToken(),
                    "{\"type\":\"kv-v2\"}",
                    Map.of("X-Vault-Request", "true"));
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.contentType()).isNull();
        }
    }
}
