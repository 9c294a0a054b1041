package io.maasops.security.testing.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasVersion;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.kube.PodExec;
import io.maasops.security.testing.region.SimulatedRegionServices.State;
import io.maasops.security.testing.vault.VaultDouble;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The region double behaves like each MAAS release 3.3–3.8 on snap and deb (docs/reference/maas-versions.md), on
 * its own: commands as root through its pod-exec face, as a user through its login shell, Vault through the double.
 */
class RegionDoubleVersionContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String POLICY = """
            path "secret/metadata/maas/" { capabilities = ["list"] }
            path "secret/metadata/maas/*" { capabilities = ["read", "update", "delete", "list"] }
            path "secret/data/maas/*" { capabilities = ["read", "create", "update", "delete"] }
            """;

    private VaultDouble vault;
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;

    static Stream<Arguments> everyReleaseAndInstallation() {
        List<Arguments> out = new ArrayList<>();
        List<MaasRelease> releases = new ArrayList<>(MaasRelease.SUPPORTED);
        releases.add(MaasRelease.NEWEST_WITH_DEFECT);
        for (MaasRelease r : releases) {
            for (MaasPackaging i : MaasPackaging.values()) {
                out.add(Arguments.of(r, i));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> deb() {
        return everyReleaseAndInstallation().filter(a -> a.get()[1] == MaasPackaging.DEB);
    }

    private void start(MaasRelease release, MaasPackaging installation) {
        vault = VaultDouble.start();
        vault.enableKvV2("secret");
        vault.enableAppRole("approle");
        vault.putPolicy("maas", POLICY);
        deployment = new SimulatedMaasDeployment(release, false);
        host = deployment.addRegionHost("region-a", installation, null);
    }

    @AfterEach
    void tearDown() {
        if (deployment != null) {
            deployment.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    private PodExec.Result run(String... argv) {
        return host.runInContainer(List.of(argv), InputStream.nullInputStream(), new CountDownLatch(1));
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

    private String roleId() throws Exception {
        vaultCall(
                "POST",
                "auth/approle/role/maas-region-a",
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
        return vaultCall("GET", "auth/approle/role/maas-region-a/role-id", null, Map.of())
                .path("data")
                .path("role_id")
                .asText();
    }

    private void configure(String roleId) throws Exception {
        String wrapped = vaultCall(
                        "POST", "auth/approle/role/maas-region-a/secret-id", Map.of(), Map.of("X-Vault-Wrap-TTL", "5m"))
                .path("wrap_info")
                .path("token")
                .asText();
        PodExec.Result r = run(
                "maas",
                "config-vault",
                "configure",
                vault.address().toString(),
                roleId,
                wrapped,
                "maas",
                "--mount",
                "secret",
                "--yes");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    private void destroyAllSecretIdsBut(String keep) throws Exception {
        for (String accessor : vault.secretIdAccessors("approle", "maas-region-a")) {
            JsonNode info = vaultCall(
                    "POST",
                    "auth/approle/role/maas-region-a/secret-id-accessor/lookup",
                    Map.of("secret_id_accessor", accessor),
                    Map.of());
            if (!info.path("data").path("secret_id_accessor").asText().equals(keep)) {
                vaultCall(
                        "POST",
                        "auth/approle/role/maas-region-a/secret-id-accessor/destroy",
                        Map.of("secret_id_accessor", accessor),
                        Map.of());
            }
        }
    }

    private MaasBehaviour table(MaasRelease release, MaasPackaging installation) {
        return MaasVersions.lookup(MaasVersion.of(release.version()), installation)
                .orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyReleaseAndInstallation")
    void configureMigrateRotateWithTheTablesRestartKeepsEveryConsumerOnTheNewSecretId(
            MaasRelease release, MaasPackaging installation) throws Exception {
        start(release, installation);
        String roleId = roleId();
        configure(roleId);
        assertThat(run(table(release, installation).restartArgv().toArray(String[]::new))
                        .exitCode())
                .isZero();
        PodExec.Result migrate = run("maas", "config-vault", "migrate");
        assertThat(migrate.exitCode()).as(migrate.stderr()).isZero();
        assertThat(migrate.stdout()).contains("(attempt 1/" + release.migrateRestartPolls() + ")");
        MaasBehaviour table = table(release, installation);
        assertThat(table.migrateRestartPolls())
                .as("the operator's table agrees")
                .isEqualTo(release.migrateRestartPolls());
        for (String key : table.keysAfterMigration()) {
            assertThat(vault.kvData("secret", "maas/" + key)).as(key).isPresent();
        }
        assertThat(vault.kvData("secret", "maas/global/omapi-key"))
                .as("created lazily, by a rack's DHCP")
                .isEmpty();
        assertThat(vault.kvData("secret", "maas/global/cluster-certificate").isPresent())
                .isEqualTo(release.atLeast(3, 5));
        // the first start after migrate moved the DB credentials to Vault and blanked them in regiond.conf
        assertThat(host.regiondConf()).containsEntry("database_pass", "");
        assertThat(vault.kvData("secret", "maas/controller/" + host.maasId() + "/database-creds"))
                .hasValueSatisfying(d -> assertThat(d).containsEntry("pass", RegionHostDouble.DATABASE_PASSWORD));
        assertThat(run("maas", "config-vault", "status").stdout()).isEqualTo("status: enabled\n\n");

        // rotation: new secret-id, old destroyed, the table's restart
        Object oldSecretId = host.regiondConf().get("vault_secret_id");
        configure(roleId);
        assertThat(host.regiondConf().get("vault_secret_id")).isNotEqualTo(oldSecretId);
        String current = vaultCall(
                        "POST",
                        "auth/approle/role/maas-region-a/secret-id/lookup",
                        Map.of("secret_id", host.regiondConf().get("vault_secret_id")),
                        Map.of())
                .path("data")
                .path("secret_id_accessor")
                .asText();
        destroyAllSecretIdsBut(current);
        PodExec.Result restart = run(table.restartArgv().toArray(String[]::new));
        assertThat(restart.exitCode()).as(restart.stderr()).isZero();
        assertThat(host.services().reLogin())
                .as("every Vault consumer logs in again")
                .allSatisfy((unit, error) -> assertThat(error).as(unit).isNull());
        if (release.openfgaReadsVault()) {
            assertThat(host.services().allRunningWithCurrentSecretId())
                    .as(host.services().all().toString())
                    .isTrue();
        } else {
            assertThat(host.services().notRunning())
                    .as("3.8 up to beta6: openfga lost its DB credentials")
                    .containsExactly("maas-openfga");
        }
        // once the DB credentials are only in Vault, every maas command needs regiond.conf's secret-id to log in:
        // with it destroyed, not even configure (the way out) runs
        destroyAllSecretIdsBut("none");
        for (String command : List.of("status", "migrate")) {
            PodExec.Result noDb = run("maas", "config-vault", command);
            assertThat(noDb.exitCode()).isEqualTo(2);
            assertThat(noDb.stderr())
                    .startsWith("usage: maas ")
                    .endsWith("\n\nsettings.DATABASES is improperly"
                            + " configured. Please supply the NAME or OPTIONS['service'] value.\n");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deb")
    void debRestartOfRegiondAloneLeavesTheOtherConsumersOnTheDestroyedSecretId(
            MaasRelease release, MaasPackaging installation) throws Exception {
        start(release, installation);
        String roleId = roleId();
        configure(roleId);
        assertThat(run(table(release, installation).restartArgv().toArray(String[]::new))
                        .exitCode())
                .isZero();
        assertThat(run("maas", "config-vault", "migrate").exitCode()).isZero();
        configure(roleId);
        String current = vaultCall(
                        "POST",
                        "auth/approle/role/maas-region-a/secret-id/lookup",
                        Map.of("secret_id", host.regiondConf().get("vault_secret_id")),
                        Map.of())
                .path("data")
                .path("secret_id_accessor")
                .asText();
        destroyAllSecretIdsBut(current);
        assertThat(run("systemctl", "restart", "maas-regiond").exitCode()).isZero();
        Map<String, String> logins = host.services().reLogin();
        assertThat(logins.get("maas-regiond")).isNull();
        if (release.atLeast(3, 6)) { // 3.6+: the apiserver and temporal worker cache a Vault client
            assertThat(logins.get("maas-apiserver")).contains("invalid role or secret ID");
            assertThat(logins.get("maas-temporal-worker")).contains("invalid role or secret ID");
        } else {
            assertThat(logins).containsOnlyKeys("maas-regiond");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyReleaseAndInstallation")
    void aRootOwnedSharedSecretPutsDebRegiondIntoItsStartUpLoopNotSnaps(
            MaasRelease release, MaasPackaging installation) {
        start(release, installation);
        assertThat(run("chown", "root:maas", "--", installation.sharedSecret()).exitCode())
                .isZero();
        List<String> restart = table(release, installation).restartArgv();
        assertThat(run(restart.toArray(String[]::new)).exitCode()).isZero();
        SimulatedRegionServices.Status regiond = host.services().status("maas-regiond");
        if (installation == MaasPackaging.DEB) {
            assertThat(regiond.state()).isEqualTo(State.START_UP_LOOP);
            assertThat(regiond.lastError())
                    .startsWith("PermissionError: [Errno 1] Operation not permitted: '/var/lib/maas/.secret.");
            assertThat(host.services().journal())
                    .anySatisfy(l -> assertThat(l).contains("Error during start-up; pausing for 3 seconds."));
            assertThat(host.fileOwnerGroup(installation.sharedSecret()))
                    .as("unchanged")
                    .isEqualTo("root:maas");
        } else {
            assertThat(regiond.state()).isEqualTo(State.RUNNING);
            assertThat(host.fileOwnerGroup(installation.sharedSecret()))
                    .as("owner copied")
                    .isEqualTo("root:maas");
        }
        assertThat(host.fileMode(installation.sharedSecret())).isEqualTo("0640");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyReleaseAndInstallation")
    void aVaultFailureMidwayPrintsTheHelpExits2AndRollsBackOnlyUpTo36(MaasRelease release, MaasPackaging installation)
            throws Exception {
        start(release, installation);
        configure(roleId());
        vault.faults().failNthRequest("/v1/secret/data/maas/global/macaroon-key", 1);
        PodExec.Result r = run("maas", "config-vault", "migrate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr())
                .startsWith("usage: maas [-h] COMMAND ...\n")
                .endsWith("https://maas.io/\n\nVault request failed\n");
        assertThat(deployment.vaultSecretRows()).isEmpty();
        assertThat(deployment.dbSecrets().containsKey("global/rpc-shared"))
                .as("rpc-shared row back after rollback")
                .isEqualTo(release.migrateSecretsAtomic());
        assertThat(table(release, installation).migrateAtomic()).isEqualTo(release.migrateSecretsAtomic());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyReleaseAndInstallation")
    void statusAnswersWhileMigrateRunsAndARackOnlyControllerBlocksMigrate(
            MaasRelease release, MaasPackaging installation) throws Exception {
        start(release, installation);
        configure(roleId());
        CountDownLatch inMigrate = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        deployment.onNextMigrate(
                () -> {
                    inMigrate.countDown();
                    try {
                        finish.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                null);
        deployment.addRackController("rack-1");
        CompletableFuture<PodExec.Result> migrate =
                CompletableFuture.supplyAsync(() -> run("maas", "config-vault", "migrate"));
        assertThat(inMigrate.await(20, TimeUnit.SECONDS)).isTrue();
        PodExec.Result status = CompletableFuture.supplyAsync(() -> run("maas", "config-vault", "status"))
                .get(10, TimeUnit.SECONDS);
        assertThat(status.stdout()).isEqualTo("status: disabled\nunconfigured_regions:\n- rack-1\n\n");
        finish.countDown();
        PodExec.Result m = migrate.get(20, TimeUnit.SECONDS);
        assertThat(m.exitCode()).isEqualTo(1);
        assertThat(m.stderr())
                .isEqualTo(
                        "CommandError: Vault is not configured for regions: rack-1\n"
                                + "Please use `sudo maas config-vault configure` command on the regions above before migrating.\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyReleaseAndInstallation")
    void versionNonRootAndUsageErrorsAsTheRealCli(MaasRelease release, MaasPackaging installation) {
        start(release, installation);
        PodExec.Result v = installation == MaasPackaging.SNAP
                ? run("snap", "list", "maas")
                : run("dpkg-query", "-W", "-f=${Version}", "maas-region-api");
        String reported = installation == MaasPackaging.SNAP
                ? v.stdout().lines().skip(1).findFirst().orElseThrow().split("\\s+")[1]
                : v.stdout();
        assertThat(MaasVersion.parse(reported)).contains(MaasVersion.of(release.version()));
        RegionHostDouble.Outcome nonRoot = host.execute(
                "maas config-vault status", "ubuntu", new ByteArrayInputStream(new byte[0]), new CountDownLatch(1));
        assertThat(nonRoot).isEqualTo(new RegionHostDouble.Outcome(1, "", "You can only 'config-vault' as root.\n"));
        PodExec.Result usage = run("maas", "config-vault", "migrate", "--now");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).startsWith("usage: maas ").endsWith("\n\nunrecognized arguments: --now\n");
        List<String> units = host.services().units();
        assertThat(units).containsAll(table(release, installation).vaultConsumers());
    }
}
