package io.maasops.security.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.maasops.security.testing.vault.RawVaultClient;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A token holding only MAAS's minimal policy can do what MAAS does under its secrets path
 * (docs/reference/maas-internals.md §1.2 step 3, §1.4 step 6) and nothing outside it (docs/reference/vault-api.md §5.2).
 */
class MaasPolicyVaultTest {
    VaultDouble vault;
    VaultGateway admin;
    VaultGateway maas;
    String roleId;

    @BeforeEach
    void setUp() {
        vault = VaultDouble.start();
        admin = new VaultGateway(
                VaultConnectionSettings.of(vault.address()),
                new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())),
                VaultRequestListener.NONE,
                vault.clock());
        admin.ensureKvV2Mount("secret");
        admin.ensureAppRoleAuth("approle");
        admin.writePolicy("maas-region-a", MaasPolicy.render("secret", "maas"));
        admin.writeRole(
                "approle",
                "maas-region-a",
                new AppRoleSpec(List.of("maas-region-a"), Duration.ofMinutes(5), null, Duration.ZERO, 0, null, null));
        roleId = admin.readRoleId("approle", "maas-region-a").orElseThrow();
        WrappedSecretId wrapped = admin.createWrappedSecretId("approle", "maas-region-a", Duration.ofMinutes(5));
        // the region unwraps exactly as MAAS/hvac does
        String secretId = new RawVaultClient(vault)
                .post("sys/wrapping/unwrap", wrapped.wrappingToken().reveal(), null)
                .json()
                .get("data")
                .get("secret_id")
                .asText();
        VaultLogin login = admin.appRoleLogin("approle", roleId, Secret.of(secretId));
        assertThat(login.policies()).containsExactly("default", "maas-region-a");
        maas = admin.forToken(login.clientToken());
    }

    @AfterEach
    void tearDown() {
        vault.close();
    }

    @Test
    void canWriteReadListDeleteUnderTheSecretsPath() {
        // MAAS's permission self-test: write test-{role_id}, read it back, delete metadata and all versions
        String probe = "maas/test-" + roleId;
        maas.kvWrite("secret", probe, Map.of("value", roleId));
        assertThat(maas.kvRead("secret", probe).orElseThrow().data()).containsEntry("value", roleId);
        maas.kvDelete("secret", probe);
        assertThat(maas.kvRead("secret", probe)).isEmpty();
        // migrate: secrets under global/ and controller/
        maas.kvWrite("secret", "maas/global/ipmi-credentials", Map.of("secret", "x"));
        maas.kvWrite("secret", "maas/controller/abc/database-creds", Map.of("user", "u", "pass", "p", "name", "n"));
        maas.kvWrite("secret", "maas/global/ipmi-credentials", Map.of("secret", "y"), 1);
        assertThat(maas.kvList("secret", "maas")).containsExactly("controller/", "global/");
        assertThat(maas.kvList("secret", "maas/global")).containsExactly("ipmi-credentials");
    }

    @Test
    void isDeniedOutsideTheSecretsPath() {
        assertDenied(() -> maas.kvWrite("secret", "other/x", Map.of("k", "v")));
        assertDenied(() -> maas.kvWrite("secret", "maas-other/x", Map.of("k", "v")));
        assertDenied(() -> maas.kvWrite("secret", "maas", Map.of("k", "v")));
        assertDenied(() -> maas.kvRead("secret", "other/x"));
        assertDenied(() -> maas.kvList("secret", "other"));
        assertDenied(() -> maas.kvList("secret", ""));
        assertDenied(() -> maas.kvDelete("secret", "other/x"));
        assertDenied(() -> maas.readPolicy("maas-region-a"));
        assertDenied(() -> maas.writePolicy("maas-region-a", "path \"*\" { capabilities = [\"sudo\"] }"));
        assertDenied(() -> maas.listRoles("approle"));
        assertDenied(() -> maas.createWrappedSecretId("approle", "maas-region-a", Duration.ofMinutes(1)));
        assertDenied(() -> maas.ensureKvV2Mount("other"));
        assertThat(maas.lookupSelf().policies()).containsExactly("default", "maas-region-a"); // default policy
    }

    private static void assertDenied(Executable call) {
        VaultException e = catchThrowableOfType(VaultException.class, call::execute);
        assertThat(e).as("expected permission denied").isNotNull();
        assertThat(e.kind()).isEqualTo(VaultErrorKind.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("permission denied");
    }
}
