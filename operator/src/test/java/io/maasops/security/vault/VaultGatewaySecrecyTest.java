package io.maasops.security.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.testing.vault.VaultDouble;
import io.maasops.security.util.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No token, secret-id or wrapping token may show up in exceptions, records' toString() or console/log output. */
class VaultGatewaySecrecyTest {

    @Test
    void secretsNeverAppearInMessagesRecordsOrLogs() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        System.setOut(tee);
        System.setErr(tee);
        try (VaultDouble vault = VaultDouble.start()) {
            secrets.add(vault.rootToken());
            VaultGateway g = new VaultGateway(
                    VaultConnectionSettings.of(vault.address()),
                    new VaultAuthenticator.TokenAuth(Secret.of(vault.rootToken())),
                    VaultRequestListener.NONE,
                    vault.clock());
            g.ensureAppRoleAuth("approle");
            g.ensureKvV2Mount("secret");
            g.writeRole("approle", "r", new AppRoleSpec(List.of("p"), null, null, null, 0, null, null));
            WrappedSecretId w = g.createWrappedSecretId("approle", "r", Duration.ofMinutes(1));
            secrets.add(w.wrappingToken().reveal());
            texts.add(w.toString());
            texts.add(String.valueOf(g.lookupWrappingToken(w.wrappingToken())));
            // MAAS's side: unwrap the secret-id and log in with it, so that a real login's token is checked too
            String unwrapped = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(vault.address().resolve("/v1/sys/wrapping/unwrap"))
                                    .header("X-Vault-Token", w.wrappingToken().reveal())
                                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            java.util.regex.Matcher sid = java.util.regex.Pattern.compile("\"secret_id\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(unwrapped);
            assertThat(sid.find()).as("unwrapped secret-id").isTrue();
            secrets.add(sid.group(1));
            VaultLogin login =
                    g.appRoleLogin("approle", g.readRoleId("approle", "r").orElseThrow(), Secret.of(sid.group(1)));
            secrets.add(login.clientToken().reveal());
            try {
                g.appRoleLogin(
                        "approle", g.readRoleId("approle", "r").orElseThrow(), Secret.of("f00dfeed-secret-id-guess"));
            } catch (VaultException e) {
                texts.add(e.getMessage());
                texts.add(e.toString());
            }
            secrets.add("f00dfeed-secret-id-guess");
            String bogus = "hvs.AAAAAAAAAAAAAAAAAAAAAAAA";
            secrets.add(bogus);
            try {
                g.forToken(Secret.of(bogus)).kvRead("secret", "maas/x");
            } catch (VaultException e) {
                texts.add(e.getMessage());
                texts.add(String.valueOf(e.getCause()));
            }
            vault.seal();
            try {
                g.kvWrite("secret", "maas/x", java.util.Map.of("k", "v"));
            } catch (VaultException e) {
                texts.add(e.getMessage());
            }
            vault.faults().down();
            try {
                g.forToken(Secret.of(bogus)).lookupSelf();
            } catch (VaultException e) {
                texts.add(e.getMessage());
            }
            texts.add(new VaultAuthenticator.TokenAuth(Secret.of(bogus)).toString());
            texts.add(new VaultAuthenticator.KubernetesAuth("r", "kubernetes", () -> bogus).toString());
            texts.add(String.valueOf(login));
            assertThat(login).as("the login that was checked").isNotNull();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        texts.add(captured.toString(StandardCharsets.UTF_8));
        assertThat(texts).hasSizeGreaterThan(8);
        for (String secret : secrets) {
            assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(secret));
        }
    }

    @Test
    void redactionScrubsKnownSecretsAndTokenShapes() {
        assertThat(Redaction.scrub(
                        "token hvs.CAESIabcdefghijk and s.ABCDEFGHIJKLMNOPQRSTUVWX and id 1234-5678",
                        List.of(Secret.of("1234-5678"))))
                .isEqualTo("token <redacted> and <redacted> and id <redacted>");
    }
}
