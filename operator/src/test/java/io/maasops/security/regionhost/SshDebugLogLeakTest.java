package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code org.apache.sshd} at DEBUG prints every exec request ("send SSH_MSG_CHANNEL_REQUEST exec command=...").
 * A JVM of its own (logging levels are fixed when the loggers are made) configures a region over SSH with that
 * logging on: the log shows the configure command, and not the wrapping token.
 */
class SshDebugLogLeakTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} logs")
    @ValueSource(strings = {"text", "json"})
    void minaDebugLogOfAConfigureHoldsNoWrappingToken(String format) throws Exception {
        Path log = dir.resolve("sshd-debug.log");
        Path token = dir.resolve("token");
        // the operator's two encoders (logback.xml, logback-json.xml), to a file, with MINA at DEBUG
        String encoder = format.equals("json")
                ? "<encoder class=\"ch.qos.logback.classic.encoder.JsonEncoder\"><withFormattedMessage>true</withFormattedMessage></encoder>"
                : "<encoder><pattern>%d [%thread] %-5level %logger - %msg%n</pattern></encoder>";
        Path config = dir.resolve("logback-" + format + ".xml");
        Files.writeString(
                config,
                "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>"
                        + log + "</file>" + encoder + "</appender><logger name=\"org.apache.sshd\" level=\"DEBUG\"/>"
                        + "<root level=\"INFO\"><appender-ref ref=\"F\"/></root></configuration>");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dlogback.configurationFile=" + config,
                        ConfigureWithDebugLogging.class.getName(),
                        token.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("the child JVM finished")
                .isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("stdout"))).isZero();

        String wrapped = Files.readString(token);
        String text = Files.readString(log);
        assertThat(wrapped).startsWith("hvs.");
        assertThat(text)
                .as("DEBUG logging of the exec request is on")
                .contains("send SSH_MSG_CHANNEL_REQUEST exec command=sudo -n -- sh -c ")
                .contains("config-vault configure");
        assertThat(text).doesNotContain(wrapped);
        if (format.equals("json")) {
            ObjectMapper json = new ObjectMapper();
            for (String line : text.lines().toList()) {
                assertThat(json.readTree(line).isObject()).as(line).isTrue();
            }
        }
    }

    /** The child: Vault double, one region host, one configure over SSH; writes the token it used to args[0]. */
    public static final class ConfigureWithDebugLogging {
        public static void main(String[] args) throws Exception {
            ObjectMapper json = new ObjectMapper();
            HttpClient http = HttpClient.newHttpClient();
            KeyPair clientKey = KeyMaterial.generateEd25519();
            try (VaultDouble vault = VaultDouble.start();
                    SimulatedMaasDeployment deployment = new SimulatedMaasDeployment();
                    SshConnectionPool pool = new SshConnectionPool(Duration.ofSeconds(10), Duration.ofMinutes(1))) {
                vault.enableKvV2("secret");
                vault.enableAppRole("approle");
                vault.putPolicy(
                        "maas",
                        "path \"secret/*\" { capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"] }");
                RegionHostDouble host = deployment.addRegionHost("region-a", MaasPackaging.SNAP, clientKey.getPublic());
                call(http, json, vault, "auth/approle/role/r", Map.of("token_policies", List.of("maas")), Map.of());
                String roleId = call(http, json, vault, "auth/approle/role/r/role-id", null, Map.of())
                        .path("data")
                        .path("role_id")
                        .asText();
                String wrapped = call(
                                http,
                                json,
                                vault,
                                "auth/approle/role/r/secret-id",
                                Map.of(),
                                Map.of("X-Vault-Wrap-TTL", "5m"))
                        .path("wrap_info")
                        .path("token")
                        .asText();
                Files.writeString(Path.of(args[0]), wrapped, StandardCharsets.UTF_8);
                SshCommandRunner runner = new SshCommandRunner(
                        pool,
                        new SshTarget(host.host(), host.port(), "ubuntu", true),
                        new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine()));
                new MaasCli(runner, MaasPackaging.SNAP)
                        .configureVault(vault.address(), roleId, Secret.of(wrapped), "maas", "secret");
                if (!host.regiondConf().containsKey("vault_secret_id")) {
                    throw new IllegalStateException("configure did not reach MAAS");
                }
            }
            System.exit(0); // non-daemon threads of the doubles must not keep the child alive
        }

        private static JsonNode call(
                HttpClient http,
                ObjectMapper json,
                VaultDouble vault,
                String path,
                Object body,
                Map<String, String> headers)
                throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
                    .header("X-Vault-Token", vault.rootToken())
                    .method(
                            body == null ? "GET" : "POST",
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(path + ": HTTP " + r.statusCode());
            }
            return r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
        }
    }
}
