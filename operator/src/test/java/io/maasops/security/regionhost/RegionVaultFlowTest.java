package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.regionhost.MigrationOutcome.Result;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * configure → status → migrate through the typed operations, over real SSH to the region host doubles, whose
 * simulated {@code maas} really talks to the Vault double; then Vault's state is checked.
 */
class RegionVaultFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String POLICY = """
            path "secret/metadata/maas/" { capabilities = ["list"] }
            path "secret/metadata/maas/*" { capabilities = ["read", "update", "delete", "list"] }
            path "secret/data/maas/*" { capabilities = ["read", "create", "update", "delete"] }
            """;

    private final KeyPair clientKey = KeyMaterial.generateEd25519();
    private VaultDouble vault;
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble regionA;
    private RegionHostDouble regionB;
    private SshConnectionPool pool;

    @BeforeEach
    void setUp() {
        vault = VaultDouble.start();
        vault.enableKvV2("secret");
        vault.enableAppRole("approle");
        vault.putPolicy("maas", POLICY);
        deployment = new SimulatedMaasDeployment();
        regionA = deployment.addRegionHost("region-a", MaasPackaging.SNAP, clientKey.getPublic());
        regionB = deployment.addRegionHost("region-b", MaasPackaging.DEB, clientKey.getPublic());
        deployment.addKnownRegion("region-c"); // known to MAAS, declared by no custom resource
        pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        deployment.close();
        vault.close();
    }

    private MaasCli cli(RegionHostDouble host) {
        SshCommandRunner runner = new SshCommandRunner(
                pool,
                new SshTarget(host.host(), host.port(), "ubuntu", true),
                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine()));
        return new MaasCli(runner, host.installation(), Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    private JsonNode vaultCall(String method, String path, Object body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
                .header("X-Vault-Token", vault.rootToken())
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** The role for one region as the operator creates it; returns its role_id. */
    private String createRole(String role) throws Exception {
        vaultCall(
                "POST",
                "auth/approle/role/" + role,
                Map.of(
                        "token_policies",
                        List.of("maas"),
                        "token_ttl",
                        "5m",
                        "secret_id_ttl",
                        0,
                        "secret_id_num_uses",
                        0),
                Map.of());
        return vaultCall("GET", "auth/approle/role/" + role + "/role-id", null, Map.of())
                .path("data")
                .path("role_id")
                .asText();
    }

    private Secret wrappedSecretId(String role) throws Exception {
        JsonNode r = vaultCall(
                "POST", "auth/approle/role/" + role + "/secret-id", Map.of(), Map.of("X-Vault-Wrap-TTL", "5m"));
        return Secret.of(r.path("wrap_info").path("token").asText());
    }

    @Test
    void configureStatusMigrateEndToEnd() throws Exception {
        URI url = vault.address();
        String roleA = createRole("maas-region-a");
        String roleB = createRole("maas-region-b");
        MaasCli a = cli(regionA);
        MaasCli b = cli(regionB);

        // MAAS knows three regions; none configured
        assertThat(a.vaultStatus()).isEqualTo(new VaultStatus(false, List.of("region-a", "region-b", "region-c")));

        // configure region-a: MAAS unwraps, self-tests, writes regiond.conf
        Secret tokenA = wrappedSecretId("maas-region-a");
        a.configureVault(url, roleA, tokenA, "maas", "secret");
        Map<String, Object> confA = regionA.regiondConf();
        assertThat(confA)
                .containsEntry("vault_url", url.toString())
                .containsEntry("vault_approle_id", roleA)
                .containsEntry("vault_secrets_path", "maas")
                .containsEntry("vault_secrets_mount", "secret")
                .containsKey("vault_secret_id")
                .containsKey("database_pass");
        assertThat(regionA.fileMode(MaasPackaging.SNAP.regiondConf())).isEqualTo("0644"); // mode kept by MAAS
        assertThat(vault.kvKeys("secret", "maas/")).isEmpty(); // the probe key was deleted
        assertThat(vault.secretIdAccessors("approle", "maas-region-a")).hasSize(1);
        assertThat(regionA.commandLog())
                .anySatisfy(
                        l -> assertThat(l).contains("config-vault configure").doesNotContain(tokenA.reveal()));
        assertThat(regionA.execRequests())
                .as("the SSH exec request (and so sudo's log) has no token")
                .anySatisfy(l -> assertThat(l).startsWith("sudo -n -- sh -c "))
                .noneMatch(l -> l.contains(tokenA.reveal()));

        // the same wrapped token again (on region-b): single use, so MAAS fails as hvac reports it
        assertThatThrownBy(() -> b.configureVault(url, roleB, tokenA, "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining(
                        "wrapping token is not valid or does not exist, on post " + url + "/v1/sys/wrapping/unwrap")
                .hasMessageNotContaining(tokenA.reveal());

        assertThat(a.migrate()).satisfies(o -> {
            assertThat(o.result()).isEqualTo(Result.REGIONS_UNCONFIGURED);
            assertThat(o.unconfiguredRegions()).containsExactly("region-b", "region-c");
        });

        b.configureVault(url, roleB, wrappedSecretId("maas-region-b"), "maas/", "secret/");
        assertThat(regionB.regiondConf())
                .containsEntry("vault_secrets_path", "maas")
                .containsEntry("vault_secrets_mount", "secret");
        assertThat(b.vaultStatus()).isEqualTo(new VaultStatus(false, List.of("region-c")));
        assertThat(b.migrate().unconfiguredRegions()).containsExactly("region-c");

        deployment.setVaultConfigured("region-c", true); // configured by hand, outside the operator
        int restartsBefore = regionA.restartCount() + regionB.restartCount();

        MigrationOutcome outcome = a.migrate();

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.message()).isEqualTo("Successfully migrated cluster secrets to Vault");
        assertThat(regionA.restartCount() + regionB.restartCount()).isEqualTo(restartsBefore + 2);
        assertThat(vault.kvData("secret", "maas/global/rpc-shared"))
                .contains(Map.of("secret", deployment.rpcSharedSecret()));
        assertThat(vault.kvData("secret", "maas/global/tls"))
                .hasValueSatisfying(d -> assertThat(d).containsOnlyKeys("key", "cert", "cacert"));
        assertThat(vault.kvData("secret", "maas/node/7/power-parameters"))
                .contains(Map.of("power_pass", "SIMULATED-bmc-password"));
        assertThat(vault.kvKeys("secret", "maas/"))
                .containsExactlyInAnyOrder(
                        "maas/global/rpc-shared",
                        "maas/global/omapi-key",
                        "maas/global/macaroon-key",
                        "maas/global/tls",
                        "maas/global/ipmi-k_g-key",
                        "maas/node/7/power-parameters",
                        "maas/bmc/3/power-parameters",
                        "maas/rootkey/1/material",
                        "maas/global/maas-ca-certificate",
                        "maas/global/cluster-certificate",
                        // each region's first start after migrate moves its DB credentials (start_up.py)
                        "maas/controller/" + regionA.maasId() + "/database-creds",
                        "maas/controller/" + regionB.maasId() + "/database-creds");
        assertThat(deployment.dbSecrets()).isEmpty();
        assertThat(deployment.vaultSecretRows()).hasSize(10);

        assertThat(b.vaultStatus()).isEqualTo(new VaultStatus(true, List.of()));
        MigrationOutcome again = b.migrate();
        assertThat(again.result()).isEqualTo(Result.ALREADY_MIGRATED);
        assertThat(again.message()).isEqualTo("Secrets are already migrated to Vault.");
        assertThat(again.done()).isTrue();
    }

    @Test
    void expiredWrappedTokenFailsAsMaasReportsIt() throws Exception {
        String role = createRole("maas-region-a");
        Secret token = wrappedSecretId("maas-region-a");
        vault.advance(Duration.ofMinutes(6)); // past the 5m wrap TTL

        assertThatThrownBy(() -> cli(regionA).configureVault(vault.address(), role, token, "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("wrapping token is not valid or does not exist")
                .hasMessageNotContaining(token.reveal());
        assertThat(regionA.regiondConf()).doesNotContainKey("vault_url");
        assertThat(deployment.vaultConfigured("region-a")).isFalse();
    }

    @Test
    void configureReallySelfTestsTheAppRole() throws Exception {
        vault.putPolicy("too-narrow", "path \"secret/data/elsewhere/*\" { capabilities = [\"create\", \"read\"] }\n");
        vaultCall("POST", "auth/approle/role/narrow", Map.of("token_policies", List.of("too-narrow")), Map.of());
        String roleId = vaultCall("GET", "auth/approle/role/narrow/role-id", null, Map.of())
                .path("data")
                .path("role_id")
                .asText();

        assertThatThrownBy(() -> cli(regionA)
                        .configureVault(vault.address(), roleId, wrappedSecretId("narrow"), "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("permission denied")
                .hasMessageContaining("/v1/secret/data/maas/test-" + roleId);
        assertThat(regionA.regiondConf()).doesNotContainKey("vault_url");
    }

    @Test
    void sealedOrUnreachableVaultFailsConfigureWithHvacsText() throws Exception {
        String role = createRole("maas-region-a");
        Secret token = wrappedSecretId("maas-region-a");
        vault.seal();
        assertThatThrownBy(() -> cli(regionA).configureVault(vault.address(), role, token, "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("Vault is sealed, on post " + vault.address() + "/v1/sys/wrapping/unwrap");
        vault.unseal();

        assertThatThrownBy(() ->
                        cli(regionA).configureVault(URI.create("http://127.0.0.1:1"), role, token, "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("Max retries exceeded with url: /v1/sys/wrapping/unwrap")
                .hasMessageContaining("Connection refused");

        cli(regionA).configureVault(vault.address(), role, token, "maas", "secret"); // the token survived both
        assertThat(deployment.vaultConfigured("region-a")).isTrue();
    }

    @Test
    void migrateGatesInMaasOrder() throws Exception {
        deployment.setVaultConfigured("region-c", true);
        MaasCli a = cli(regionA);
        assertThat(a.migrate().result()).isEqualTo(Result.NOT_CONFIGURED_LOCALLY);

        String roleA = createRole("maas-region-a");
        String roleB = createRole("maas-region-b");
        a.configureVault(vault.address(), roleA, wrappedSecretId("maas-region-a"), "maas", "secret");
        cli(regionB).configureVault(vault.address(), roleB, wrappedSecretId("maas-region-b"), "maas", "secret");

        deployment.setIgnoresRestart("region-b", true);
        MigrationOutcome stuck = a.migrate();
        assertThat(stuck.result()).isEqualTo(Result.REGIONS_DID_NOT_RESTART);
        assertThat(deployment.vaultEnabled()).isFalse();
        deployment.setIgnoresRestart("region-b", false);

        // region-a's secret-id is destroyed in Vault: its AppRole login fails
        String accessor =
                vault.secretIdAccessors("approle", "maas-region-a").iterator().next();
        vaultCall(
                "POST",
                "auth/approle/role/maas-region-a/secret-id-accessor/destroy",
                Map.of("secret_id_accessor", accessor),
                Map.of());
        MigrationOutcome failed = a.migrate();
        assertThat(failed.result()).isEqualTo(Result.VAULT_TEST_FAILED);
        assertThat(failed.message())
                .startsWith("Vault test failed: invalid role or secret ID, on post " + vault.address()
                        + "/v1/auth/approle/login");
        assertThat(deployment.dbSecrets()).hasSize(10);
    }

    @Test
    void wrappedTokenNeverReachesLogsOrExceptions() throws Exception {
        String role = createRole("maas-region-a");
        Secret token = wrappedSecretId("maas-region-a");
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        Throwable failure;
        try {
            MaasCli a = cli(regionA);
            a.configureVault(vault.address(), role, token, "maas", "secret");
            // used token again, then a host that hangs: both error paths must stay clean
            failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> cli(regionB).configureVault(vault.address(), role, token, "maas", "secret"));
            regionB.hang("maas");
            Throwable timeout = org.assertj.core.api.Assertions.catchThrowable(() -> new MaasCli(
                            new SshCommandRunner(
                                    pool,
                                    new SshTarget(regionB.host(), regionB.port(), "ubuntu", true),
                                    new SshCredentials(
                                            Secret.of(KeyMaterial.openSshPrivateKey(clientKey)),
                                            regionB.knownHostsLine())),
                            MaasPackaging.DEB,
                            Duration.ofMillis(500),
                            Duration.ofMillis(500))
                    .configureVault(vault.address(), role, token, "maas", "secret"));
            assertThat(timeout).isInstanceOf(RegionAccessException.class);
            assertThat(timeout.getMessage()).doesNotContain(token.reveal());
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        assertThat(failure).isInstanceOf(MaasCliException.class);
        assertThat(failure.getMessage()).doesNotContain(token.reveal());
        assertThat(String.valueOf(failure.getCause())).doesNotContain(token.reveal());
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(token.reveal());
        assertThat(regionA.commandLog()).noneMatch(l -> l.contains(token.reveal()));
        assertThat(regionB.commandLog()).noneMatch(l -> l.contains(token.reveal()));
        // and the unwrapped secret-id MAAS stored is not in any command output we saw
        String secretId = regionA.regiondConf().get("vault_secret_id").toString();
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(secretId);
    }
}
