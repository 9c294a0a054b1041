package io.maasops.security.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.maasops.security.testing.vault.RawVaultClient;
import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every gateway operation against the Vault double (docs/reference/vault-api.md). */
class VaultGatewayTest {
    VaultDouble vault;
    VaultGateway gateway;
    Map<String, AtomicInteger> counted = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        vault = VaultDouble.start();
        gateway = new VaultGateway(
                VaultConnectionSettings.of(vault.address()),
                new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())),
                (op, outcome) -> counted.computeIfAbsent(op + ":" + outcome, k -> new AtomicInteger())
                        .incrementAndGet(),
                vault.clock());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void healthAndSealStatus() {
        HealthStatus h = gateway.health();
        assertThat(h.initialized()).isTrue();
        assertThat(h.sealed()).isFalse();
        assertThat(h.version()).isNotEmpty();
        assertThat(h.httpStatus()).isEqualTo(200);
        assertThat(gateway.sealStatus().sealed()).isFalse();
        vault.seal();
        HealthStatus sealed = gateway.health();
        assertThat(sealed.sealed()).isTrue();
        assertThat(sealed.httpStatus()).isEqualTo(503);
        SealStatus ss = gateway.sealStatus();
        assertThat(ss.sealed()).isTrue();
        assertThat(ss.threshold()).isEqualTo(1);
    }

    @Test
    void sealedVaultIsClassifiedSealed() {
        gateway.ensureKvV2Mount("secret");
        vault.seal();
        VaultException e = catchThrowableOfType(VaultException.class, () -> gateway.kvRead("secret", "maas/x"));
        assertThat(e.kind()).isEqualTo(VaultErrorKind.SEALED);
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.getMessage()).contains("Vault is sealed");
        assertThat(catchThrowableOfType(VaultException.class, () -> gateway.writePolicy("p", "path \"a\" {}"))
                        .kind())
                .isEqualTo(VaultErrorKind.SEALED);
        assertThat(catchThrowableOfType(VaultException.class, () -> gateway.deletePolicy("p"))
                        .kind())
                .isEqualTo(VaultErrorKind.SEALED);
        vault.unseal();
        assertThat(gateway.kvRead("secret", "maas/x")).isEmpty();
        assertThat(counted).containsKey("kv_read:SEALED");
    }

    @Test
    void unreachableVaultIsClassifiedUnreachable() {
        gateway.health();
        vault.faults().down();
        VaultException e = catchThrowableOfType(VaultException.class, () -> gateway.health());
        assertThat(e.kind()).isEqualTo(VaultErrorKind.UNREACHABLE);
        assertThat(catchThrowableOfType(VaultException.class, () -> gateway.listRoles("approle"))
                        .kind())
                .isEqualTo(VaultErrorKind.UNREACHABLE);
        vault.faults().up();
        assertThat(gateway.health().sealed()).isFalse();
        gateway.readPolicy("default"); // logged in again; the next request is the POST itself
        vault.faults().resetNextConnections(1);
        assertThat(catchThrowableOfType(
                                VaultException.class,
                                () -> gateway.writePolicy("p", "path \"a\" { capabilities = [\"read\"] }"))
                        .kind())
                .isEqualTo(VaultErrorKind.UNREACHABLE);
        vault.faults().failNthRequest("/v1/sys/policies/acl/p", 1);
        VaultException five = catchThrowableOfType(VaultException.class, () -> gateway.readPolicy("p"));
        assertThat(five.kind()).isEqualTo(VaultErrorKind.SERVER_ERROR);
        assertThat(five.httpStatus()).isEqualTo(500);
    }

    @Test
    void ensureAppRoleAuthIsIdempotentWithoutWrites() {
        assertThat(gateway.ensureAppRoleAuth("approle")).isEqualTo(EnsureResult.CREATED);
        vault.clearRequests();
        assertThat(gateway.ensureAppRoleAuth("approle")).isEqualTo(EnsureResult.ALREADY_PRESENT);
        assertThat(vault.requests()).noneMatch(VaultDouble.Request::write);
        assertThat(vault.authMethods()).containsEntry("approle/", "approle");
        vault.enableKubernetesAuth("kube", "r", "jwt", List.of(), Duration.ofHours(1));
        VaultException e = catchThrowableOfType(VaultException.class, () -> gateway.ensureAppRoleAuth("kube"));
        assertThat(e.kind()).isEqualTo(VaultErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("kubernetes");
    }

    @Test
    void ensureKvV2MountRefusesKvV1() {
        assertThat(gateway.ensureKvV2Mount("secret")).isEqualTo(EnsureResult.CREATED);
        assertThat(vault.mounts()).containsEntry("secret/", "kv-v2");
        assertThat(gateway.ensureKvV2Mount("secret/")).isEqualTo(EnsureResult.ALREADY_PRESENT);
        vault.enableKvV1("legacy");
        VaultException e = catchThrowableOfType(VaultException.class, () -> gateway.ensureKvV2Mount("legacy"));
        assertThat(e.kind()).isEqualTo(VaultErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("kv version 1");
    }

    @Test
    void policyWriteReadDelete() {
        String hcl = MaasPolicy.render("secret", "maas");
        gateway.writePolicy("maas-region", hcl);
        assertThat(vault.policy("maas-region")).contains(hcl);
        assertThat(gateway.readPolicy("maas-region")).contains(hcl);
        gateway.deletePolicy("maas-region");
        assertThat(gateway.readPolicy("maas-region")).isEmpty();
        gateway.deletePolicy("maas-region"); // missing is fine
        VaultException bad = catchThrowableOfType(
                VaultException.class, () -> gateway.writePolicy("x", "path \"a\" { capabilities = [\"nope\"] }"));
        assertThat(bad.kind()).isEqualTo(VaultErrorKind.INVALID_REQUEST);
        assertThat(bad.getMessage()).contains("invalid capability \"nope\"");
    }

    @Test
    void roleCrudRoleIdAndListsSentAsJsonArrays() {
        gateway.ensureAppRoleAuth("approle");
        AppRoleSpec spec = new AppRoleSpec(
                List.of("maas-a", "extra"),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                Duration.ZERO,
                0,
                List.of("10.0.0.0/8", "127.0.0.1/32"),
                List.of());
        gateway.writeRole("approle", "maas-a", spec);
        // Vault stores token_policies as sent (tokenutil.ParseTokenFields); only a login sanitises them
        assertThat(gateway.readRole("approle", "maas-a"))
                .contains(new AppRoleSpec(
                        List.of("maas-a", "extra"),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ZERO,
                        0,
                        List.of("10.0.0.0/8", "127.0.0.1/32"),
                        List.of()));
        assertThat(gateway.readRole("approle", "maas-a").map(AppRoleSpec::normalized))
                .contains(spec.normalized());
        assertThat(gateway.listRoles("approle")).containsExactly("maas-a");
        assertThat(gateway.readRoleId("approle", "maas-a")).isEqualTo(vault.roleId("approle", "maas-a"));
        gateway.deleteRole("approle", "maas-a");
        assertThat(gateway.readRole("approle", "maas-a")).isEmpty();
        assertThat(gateway.readRoleId("approle", "maas-a")).isEmpty();
        assertThat(gateway.listRoles("approle")).isEmpty();
    }

    @Test
    void aRoleIsRemovedWithItsSecretIdsOnceAndAMissingRoleIsNotFound() {
        gateway.ensureAppRoleAuth("approle");
        gateway.writeRole(
                "approle", "r", new AppRoleSpec(List.of("p"), Duration.ofMinutes(5), null, null, 0, null, null));
        gateway.createSecretId("approle", "r", Duration.ofSeconds(60), 1);

        assertThat(gateway.removeRoleWithSecretIds("approle", "r")).isTrue();
        assertThat(gateway.readRole("approle", "r")).isEmpty();
        // Vault answers the LIST of a missing role with 400 role "r" does not exist
        VaultException missing =
                catchThrowableOfType(VaultException.class, () -> gateway.listSecretIdAccessors("approle", "r"));
        assertThat(missing.kind()).isEqualTo(VaultErrorKind.NOT_FOUND);
        assertThat(missing.httpStatus()).isEqualTo(400);
        assertThat(missing.vaultErrors()).containsExactly("role \"r\" does not exist");
        assertThat(gateway.removeRoleWithSecretIds("approle", "r")).isFalse();
    }

    @Test
    void shortLivedSecretIdIsLimitedToItsUsesAndDestroyable() {
        gateway.ensureAppRoleAuth("approle");
        gateway.writeRole(
                "approle", "r", new AppRoleSpec(List.of("p"), Duration.ofMinutes(5), null, null, 0, null, null));
        String roleId = gateway.readRoleId("approle", "r").orElseThrow();
        IssuedSecretId issued = gateway.createSecretId("approle", "r", Duration.ofSeconds(60), 2);
        assertThat(issued.toString()).doesNotContain(issued.secretId().reveal());
        assertThat(vault.requests())
                .noneMatch(r -> r.path().contains(issued.secretId().reveal()));
        assertThat(gateway.listSecretIdAccessors("approle", "r")).containsExactly(issued.accessor());
        assertThat(gateway.appRoleLogin("approle", roleId, issued.secretId()).policies())
                .contains("p");
        assertThat(gateway.appRoleLogin("approle", roleId, issued.secretId()).policies())
                .contains("p");
        VaultException usedUp = catchThrowableOfType(
                VaultException.class, () -> gateway.appRoleLogin("approle", roleId, issued.secretId()));
        assertThat(usedUp.getMessage()).doesNotContain(issued.secretId().reveal());
        IssuedSecretId other = gateway.createSecretId("approle", "r", Duration.ofSeconds(60), 2);
        assertThat(gateway.destroySecretIdByAccessor("approle", "r", other.accessor()))
                .isTrue();
        assertThat(catchThrowableOfType(
                        VaultException.class, () -> gateway.appRoleLogin("approle", roleId, other.secretId())))
                .isNotNull();
        assertThatThrownBy(() -> gateway.createSecretId("approle", "r", Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrappedSecretIdLifecycleAsMaasUsesIt() {
        gateway.ensureAppRoleAuth("approle");
        gateway.writeRole(
                "approle", "r", new AppRoleSpec(List.of("p"), Duration.ofMinutes(5), null, null, 0, null, null));
        WrappedSecretId w = gateway.createWrappedSecretId("approle", "r", Duration.ofMinutes(5));
        assertThat(w.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(w.creationPath()).isEqualTo("auth/approle/role/r/secret-id");
        assertThat(w.wrappingAccessor()).isNotEmpty();
        assertThat(w.toString()).doesNotContain(w.wrappingToken().reveal());
        assertThat(gateway.listSecretIdAccessors("approle", "r")).containsExactly(w.secretIdAccessor());
        assertThat(gateway.secretIdAccessorExists("approle", "r", w.secretIdAccessor()))
                .isTrue();
        WrappingTokenInfo info = gateway.lookupWrappingToken(w.wrappingToken()).orElseThrow();
        assertThat(info.creationTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(info.creationPath()).isEqualTo("auth/approle/role/r/secret-id");
        // what MAAS does: unwrap with the wrapping token as X-Vault-Token, then log in
        var unwrapped = new RawVaultClient(vault)
                .post("sys/wrapping/unwrap", w.wrappingToken().reveal(), null)
                .json()
                .get("data");
        assertThat(unwrapped.get("secret_id_accessor").asText()).isEqualTo(w.secretIdAccessor());
        assertThat(gateway.lookupWrappingToken(w.wrappingToken())).isEmpty();
        VaultLogin login = gateway.appRoleLogin(
                "approle",
                gateway.readRoleId("approle", "r").orElseThrow(),
                Secret.of(unwrapped.get("secret_id").asText()));
        assertThat(login.policies()).containsExactly("default", "p");
        assertThat(login.leaseDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(login.metadata()).containsEntry("role_name", "r");
        assertThat(gateway.destroySecretIdByAccessor("approle", "r", w.secretIdAccessor()))
                .isTrue();
        assertThat(gateway.destroySecretIdByAccessor("approle", "r", w.secretIdAccessor()))
                .isFalse();
        assertThat(gateway.secretIdAccessorExists("approle", "r", w.secretIdAccessor()))
                .isFalse();
        assertThat(gateway.listSecretIdAccessors("approle", "r")).isEmpty();
        VaultException denied = catchThrowableOfType(
                VaultException.class, () -> gateway.appRoleLogin("approle", "nope", Secret.of("not-a-real-secret-id")));
        assertThat(denied.kind()).isEqualTo(VaultErrorKind.INVALID_REQUEST);
        assertThat(denied.getMessage()).contains("invalid role or secret ID").doesNotContain("not-a-real-secret-id");
    }

    @Test
    void expiredWrappingTokenLooksUpEmpty() {
        gateway.ensureAppRoleAuth("approle");
        gateway.writeRole("approle", "r", new AppRoleSpec(List.of("p"), null, null, null, 0, null, null));
        WrappedSecretId w = gateway.createWrappedSecretId("approle", "r", Duration.ofSeconds(60));
        vault.advance(Duration.ofSeconds(61));
        assertThat(gateway.lookupWrappingToken(w.wrappingToken())).isEmpty();
    }

    @Test
    void kvV2ReadWriteCasListDelete() {
        gateway.ensureKvV2Mount("secret");
        assertThat(gateway.kvWrite("secret", "maas/global/a", Map.of("value", "x"), 0))
                .isEqualTo(1);
        assertThat(gateway.kvWrite("secret", "maas/global/a", Map.of("value", "y")))
                .isEqualTo(2);
        KvSecret s = gateway.kvRead("secret", "maas/global/a").orElseThrow();
        assertThat(s.data()).containsEntry("value", "y");
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.toString()).doesNotContain("y]").contains("value");
        VaultException cas = catchThrowableOfType(
                VaultException.class, () -> gateway.kvWrite("secret", "maas/global/a", Map.of("v", 1), 1));
        assertThat(cas.kind()).isEqualTo(VaultErrorKind.INVALID_REQUEST);
        assertThat(cas.vaultErrors()).containsExactly("check-and-set parameter did not match the current version");
        gateway.kvWrite("secret", "maas/b", Map.of("n", 1, "nested", Map.of("k", List.of("a", "b"))));
        assertThat(gateway.kvRead("secret", "maas/b").orElseThrow().data())
                .containsEntry("nested", Map.of("k", List.of("a", "b")));
        assertThat(gateway.kvList("secret", "maas")).containsExactly("b", "global/");
        assertThat(gateway.kvList("secret", "nothing")).isEmpty();
        gateway.kvDelete("secret", "maas/global/a");
        assertThat(gateway.kvRead("secret", "maas/global/a")).isEmpty();
        assertThat(vault.kvKeys("secret", "maas/")).containsExactly("maas/b");
    }

    @Test
    void tokenLookupAndRenew() {
        TokenInfo root = gateway.lookupSelf();
        assertThat(root.policies()).containsExactly("root");
        assertThat(root.ttl()).isZero();
        String t = vault.createToken(List.of("p"), Duration.ofMinutes(10));
        VaultGateway asT = gateway.forToken(Secret.of(t));
        assertThat(asT.lookupSelf().ttl()).isEqualTo(Duration.ofMinutes(10));
        vault.advance(Duration.ofMinutes(2));
        VaultLogin renewed = asT.renewSelf(Duration.ofMinutes(20));
        assertThat(renewed.leaseDuration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(renewed.clientToken()).isEqualTo(Secret.of(t));
    }

    @Test
    void kubernetesLoginHappensOnceAcrossManyCallsAndAgainBeforeExpiry() {
        vault.enableKubernetesAuth(
                "kubernetes", "maas-security-operator", "sa-jwt", List.of("operator"), Duration.ofMinutes(10));
        vault.putPolicy(
                "operator",
                "path \"sys/policies/acl/*\" { capabilities = [\"create\",\"read\",\"update\",\"delete\"] }");
        AtomicInteger jwtReads = new AtomicInteger();
        VaultGateway k8s = new VaultGateway(
                VaultConnectionSettings.of(vault.address()),
                new VaultAuthenticator.KubernetesAuth("maas-security-operator", "kubernetes", () -> {
                    jwtReads.incrementAndGet();
                    return "sa-jwt";
                }),
                VaultRequestListener.NONE,
                vault.clock());
        for (int i = 0; i < 40; i++) {
            k8s.writePolicy("p" + (i % 4), "path \"secret/data/x\" { capabilities = [\"read\"] }");
            assertThat(k8s.readPolicy("p" + (i % 4))).isPresent();
        }
        assertThat(k8s.loginCount()).isEqualTo(1);
        assertThat(vault.loginCount()).isEqualTo(1);
        assertThat(jwtReads).hasValue(1);
        vault.advance(Duration.ofMinutes(9).plusSeconds(40)); // inside the 30 s refresh margin
        k8s.readPolicy("p0");
        assertThat(k8s.loginCount()).isEqualTo(2);
        assertThat(vault.loginCount()).isEqualTo(2);
        VaultException denied = catchThrowableOfType(VaultException.class, () -> k8s.readRole("approle", "x"));
        assertThat(denied.kind()).isEqualTo(VaultErrorKind.PERMISSION_DENIED);
        assertThat(denied.mentions("permission denied")).isTrue();
        VaultGateway wrongJwt = new VaultGateway(
                VaultConnectionSettings.of(vault.address()),
                new VaultAuthenticator.KubernetesAuth("maas-security-operator", "kubernetes", () -> "stolen"));
        assertThat(catchThrowableOfType(VaultException.class, () -> wrongJwt.readPolicy("p0"))
                        .kind())
                .isEqualTo(VaultErrorKind.PERMISSION_DENIED);
    }

    @Test
    void revokedKubernetesTokenLeadsToOneNewLoginAndARetry() {
        vault.enableKubernetesAuth("kubernetes", "op", "sa-jwt", List.of("operator"), Duration.ofHours(1));
        vault.putPolicy("operator", "path \"sys/policies/acl/*\" { capabilities = [\"read\"] }");
        VaultGateway k8s = new VaultGateway(
                VaultConnectionSettings.of(vault.address()),
                new VaultAuthenticator.KubernetesAuth("op", null, () -> "sa-jwt"),
                VaultRequestListener.NONE,
                vault.clock());
        assertThat(k8s.readPolicy("default")).isPresent();
        vault.revokeAllTokens();
        assertThat(k8s.readPolicy("default")).isPresent();
        assertThat(k8s.loginCount()).isEqualTo(2);
    }

    @Test
    void secretTokenIsRenewedShortlyBeforeExpiryNotPerCall() {
        vault.putPolicy("operator", "path \"sys/policies/acl/*\" { capabilities = [\"read\"] }");
        String t = vault.createToken(List.of("operator"), Duration.ofMinutes(5));
        VaultGateway g = gateway.forToken(Secret.of(t));
        for (int i = 0; i < 20; i++) {
            g.readPolicy("default");
        }
        assertThat(g.loginCount()).isEqualTo(1);
        assertThat(g.renewalCount()).isZero();
        vault.advance(Duration.ofMinutes(4).plusSeconds(40));
        g.readPolicy("default");
        assertThat(g.renewalCount()).isEqualTo(1);
        vault.advance(Duration.ofMinutes(4));
        assertThat(g.readPolicy("default")).isPresent(); // still alive thanks to the renewal
    }

    @Test
    void invalidTokenIsPermissionDeniedAndNeverEchoed() {
        String bogus = "hvs.ThisIsNotARealTokenAtAll123";
        VaultGateway g = gateway.forToken(Secret.of(bogus));
        VaultException e = catchThrowableOfType(VaultException.class, () -> g.readPolicy("default"));
        assertThat(e.kind()).isEqualTo(VaultErrorKind.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("permission denied").doesNotContain(bogus);
        assertThat(String.valueOf(e.getCause())).doesNotContain(bogus);
    }

    @Test
    void tlsIsVerifiedWithTheConfiguredCa() {
        try (VaultDouble tls = VaultDouble.startTls()) {
            VaultGateway trusted = new VaultGateway(
                    VaultConnectionSettings.of(tls.address()).withCaPem(tls.caPem()),
                    new VaultAuthenticator.TokenAuth(Secret.of(tls.rootToken())));
            assertThat(trusted.health().sealed()).isFalse();
            assertThat(trusted.sealStatus().sealed()).isFalse(); // the driver's Seal API builds its own client
            trusted.ensureKvV2Mount("secret");
            trusted.kvWrite("secret", "maas/x", Map.of("k", "v"));
            VaultGateway untrusted = new VaultGateway(
                    VaultConnectionSettings.of(tls.address()),
                    new VaultAuthenticator.TokenAuth(Secret.of(tls.rootToken())));
            VaultException e = catchThrowableOfType(VaultException.class, untrusted::health);
            assertThat(e.kind()).isEqualTo(VaultErrorKind.UNREACHABLE);
        }
    }

    @Test
    void namespaceHeaderIsSentOnlyWhenSet() {
        VaultGateway ns = new VaultGateway(
                VaultConnectionSettings.of(vault.address()).withNamespace("team-a/"),
                new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())));
        vault.clearRequests();
        ns.readPolicy("default");
        assertThat(vault.requests())
                .filteredOn(r -> r.path().equals("/v1/sys/policies/acl/default"))
                .extracting(VaultDouble.Request::namespace)
                .containsOnly("team-a/");
        vault.clearRequests();
        gateway.readPolicy("default");
        assertThat(vault.requests()).extracting(VaultDouble.Request::namespace).containsOnlyNulls();
    }

    @Test
    void listenerCountsOperationsAndOutcomes() {
        gateway.readPolicy("default");
        gateway.readPolicy("missing");
        assertThatThrownBy(() -> gateway.writePolicy("root", "path \"a\" { capabilities = [\"read\"] }"))
                .isInstanceOf(VaultException.class);
        assertThat(counted.get("read_policy:success")).hasValue(2);
        assertThat(counted.get("write_policy:INVALID_REQUEST")).hasValue(1);
    }

    @Test
    void unsafeNamesAreRejectedBeforeAnyRequest() {
        vault.clearRequests();
        assertThatThrownBy(() -> gateway.readPolicy("../sys")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gateway.kvRead("secret", "a/../../sys/mounts"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(vault.requests()).isEmpty();
    }
}
