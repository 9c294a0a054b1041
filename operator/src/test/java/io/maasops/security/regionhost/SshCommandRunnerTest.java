package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.maasops.security.regionhost.RegionAccessException.Kind;
import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.util.Secret;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SSH transport against a real SSH server (the region host double) on 127.0.0.1. */
class SshCommandRunnerTest {
    private static final Duration T = Duration.ofSeconds(10);

    private final KeyPair clientKey = KeyMaterial.generateEd25519();
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;
    private SshConnectionPool pool;

    @BeforeEach
    void setUp() {
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("region-a", MaasPackaging.DEB, clientKey.getPublic());
        pool = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        deployment.close();
    }

    private SshCommandRunner runner(boolean sudo) {
        return runner(sudo, KeyMaterial.openSshPrivateKey(clientKey), host.knownHostsLine());
    }

    private SshCommandRunner runner(boolean sudo, String privateKey, String knownHosts) {
        return new SshCommandRunner(
                pool,
                new SshTarget(host.host(), host.port(), "ubuntu", sudo),
                new SshCredentials(Secret.of(privateKey), knownHosts + "\n"));
    }

    @Test
    void hostileValuesArriveAsLiteralArguments() {
        List<String> hostile = List.of(
                "it's",
                "\"dq\"",
                "; touch /tmp/pwned",
                "$(id)",
                "`id`",
                "${PATH}",
                "line1\nline2",
                "a && b || c",
                "| cat",
                "> /etc/passwd",
                "*",
                "~root",
                "#comment",
                "",
                "  spaced  ",
                "back\\slash");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(hostile);

        for (boolean sudo : new boolean[] {false, true}) {
            CommandResult r = runner(sudo).run(argv, T);

            assertThat(r.exitCode()).isZero();
            List<String> echoed = Arrays.asList(r.stdout().split("\0", -1)).subList(0, hostile.size());
            assertThat(echoed).containsExactlyElementsOf(hostile);
        }
        assertThat(host.unsafeCommandLines()).isEmpty();
        assertThat(host.commandLog()).last().asString().startsWith("sudo -n -- printf");
    }

    @Test
    void inputGoesToStandardInputFollowedByEofAndNotIntoTheExecRequest() {
        List<String> script = List.of("sh", "-c", "IFS= read -r t && exec printf %s \"$t\"", "sh");
        // a whole line: read -r with an empty IFS takes it verbatim (blanks, backslashes)
        CommandResult r = runner(true).run(script, Secret.of(" hvs.A\\b \n"), T);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(" hvs.A\\b ");
        // no newline before EOF: read fails and && runs nothing, as dash and bash do (and EOF did arrive:
        // otherwise read would still wait)
        CommandResult partial = runner(true).run(script, Secret.of("hvs.A"), T);
        assertThat(partial.exitCode()).isEqualTo(1);
        assertThat(partial.stdout()).isEmpty();
        assertThat(host.execRequests())
                .hasSize(2)
                .allMatch(l -> l.startsWith("sudo -n -- sh -c "))
                .noneMatch(l -> l.contains("hvs.A"));
        // a script the double does not know is refused, as a shell without the needed program would fail
        CommandResult other = runner(true).run(List.of("sh", "-c", "cat /etc/shadow", "sh"), Secret.of("x\n"), T);
        assertThat(other.exitCode()).isEqualTo(2);
    }

    @Test
    void keyExchangeIsPostQuantumMlKemNotTheCpuHeavySntrup() {
        // sntrup761 (MINA's first choice) was half the operator's CPU in the benchmark; see SshKeyExchanges
        var lease = pool.acquire(
                new SshTarget(host.host(), host.port(), "ubuntu", false),
                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine() + "\n"));
        try {
            assertThat(lease.session()
                            .getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.ALGORITHMS))
                    .isEqualTo("mlkem768x25519-sha256");
        } finally {
            pool.release(lease);
        }
        assertThat(SshKeyExchanges.PREFERENCE.get(0).getName()).isEqualTo("mlkem768x25519-sha256");
    }

    /** A bare SSH server on 127.0.0.1 that offers only what {@code configure} leaves; the operator must refuse it. */
    private void assertRefusedBy(
            KeyPair hostKey, java.util.function.Consumer<org.apache.sshd.server.SshServer> configure) throws Exception {
        org.apache.sshd.server.SshServer weak = org.apache.sshd.server.SshServer.setUpDefaultServer();
        weak.setHost("127.0.0.1");
        weak.setPort(0);
        weak.setKeyPairProvider(org.apache.sshd.common.keyprovider.KeyPairProvider.wrap(hostKey));
        weak.setPublickeyAuthenticator((user, key, session) -> true);
        weak.setCommandFactory((channel, line) -> {
            throw new java.io.IOException("no commands here");
        });
        configure.accept(weak);
        weak.start();
        try {
            int port = weak.getPort();
            SshCommandRunner r = new SshCommandRunner(
                    pool,
                    new SshTarget("127.0.0.1", port, "ubuntu", false),
                    new SshCredentials(
                            Secret.of(KeyMaterial.openSshPrivateKey(clientKey)),
                            KeyMaterial.knownHostsLine("127.0.0.1", port, hostKey.getPublic()) + "\n"));
            assertThatThrownBy(() -> r.run(List.of("printf", "%s\\n", "x"), T))
                    .isInstanceOfSatisfying(
                            RegionAccessException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.TRANSPORT_ERROR));
        } finally {
            weak.stop(true);
        }
    }

    @Test
    void aServerOfferingOnlyWeakAlgorithmsIsRefused() throws Exception {
        KeyPair ed = KeyMaterial.generateEd25519();
        assertRefusedBy(
                ed,
                s -> s.setCipherFactories(List.of(
                        org.apache.sshd.common.cipher.BuiltinCiphers.aes128cbc,
                        org.apache.sshd.common.cipher.BuiltinCiphers.aes256cbc)));
        assertRefusedBy(ed, s -> {
            s.setCipherFactories(List.of(org.apache.sshd.common.cipher.BuiltinCiphers.aes128ctr));
            s.setMacFactories(List.of(
                    org.apache.sshd.common.mac.BuiltinMacs.hmacsha1,
                    org.apache.sshd.common.mac.BuiltinMacs.hmacsha1etm));
        });
        assertRefusedBy(
                KeyMaterial.generateRsa(),
                s -> s.setSignatureFactories(
                        List.of(org.apache.sshd.common.signature.BuiltinSignatures.rsa))); // ssh-rsa: RSA with SHA-1
        assertThat(SshAlgorithms.ciphers()).extracting(f -> f.getName()).noneMatch(n -> n.contains("cbc"));
        assertThat(SshAlgorithms.macs()).extracting(f -> f.getName()).noneMatch(n -> n.contains("sha1"));
        assertThat(SshAlgorithms.signatures()).extracting(f -> f.getName()).doesNotContain("ssh-rsa", "ssh-dss");
        assertThat(SshKeyExchanges.PREFERENCE).extracting(f -> f.getName()).noneMatch(n -> n.endsWith("sha1"));
    }

    @Test
    void keysInOpenSshAndPemFormatsAuthenticate() {
        KeyPair rsa = KeyMaterial.generateRsa();
        KeyPair ed = KeyMaterial.generateEd25519();
        host.authorize(rsa.getPublic());
        host.authorize(ed.getPublic());
        for (String pk : List.of(
                KeyMaterial.pemPrivateKey(rsa),
                KeyMaterial.openSshPrivateKey(rsa),
                KeyMaterial.pemPrivateKey(ed),
                KeyMaterial.openSshPrivateKey(ed))) {
            CommandResult r = runner(false, pk, host.knownHostsLine()).run(List.of("printf", "%s\\n", "ok"), T);
            assertThat(r.stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void unknownHostKeyIsRefused() {
        String otherHost = KeyMaterial.knownHostsLine("127.0.0.1", host.port() + 1, host.hostPublicKey());
        assertThatThrownBy(() -> runner(false, KeyMaterial.openSshPrivateKey(clientKey), otherHost)
                        .run(List.of("printf", "%s\\n", "x"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_REJECTED);
                    assertThat(e.getMessage())
                            .contains("unknown")
                            .contains("[127.0.0.1]:" + host.port())
                            .contains("SHA256:");
                });
        assertThat(host.commandLog()).isEmpty();
    }

    @Test
    void hashedKnownHostsEntriesAsWrittenBySshKeyscanDashHAreAccepted() throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(("[127.0.0.1]:" + host.port()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String hashed = "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " "
                + KeyMaterial.publicKeyLine(host.hostPublicKey());

        CommandResult r = runner(false, KeyMaterial.openSshPrivateKey(clientKey), "# scanned\n" + hashed)
                .run(List.of("printf", "%s\\n", "hashed"), T);
        assertThat(r.stdout()).isEqualTo("hashed\n");
    }

    @Test
    void revokedHostKeyIsRefused() {
        String revoked = "@revoked " + host.knownHostsLine() + "\n" + host.knownHostsLine();
        assertThatThrownBy(() -> runner(false, KeyMaterial.openSshPrivateKey(clientKey), revoked)
                        .run(List.of("printf", "%s\\n", "x"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_REJECTED);
                    assertThat(e.getMessage()).contains("@revoked");
                });
    }

    @Test
    void changedHostKeyIsRefused() {
        SshCommandRunner runner = runner(false);
        assertThat(runner.run(List.of("printf", "%s\\n", "before"), T).stdout()).isEqualTo("before\n");

        host.rotateHostKey(); // also drops the pooled session, like an sshd restart

        assertThatThrownBy(() -> runner.run(List.of("printf", "%s\\n", "after"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_REJECTED);
                    assertThat(e.getMessage()).contains("CHANGED").contains("man-in-the-middle");
                });
        assertThat(host.commandLog()).hasSize(1);
    }

    @Test
    void hangingCommandTimesOutAndTheNextCommandWorks() {
        host.hang("maas");
        SshCommandRunner runner = runner(true);
        long start = System.nanoTime();

        assertThatThrownBy(() -> runner.run(List.of("maas", "config-vault", "status"), Duration.ofMillis(700)))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                    assertThat(e.mayHaveRun()).isTrue();
                    assertThat(e.getMessage()).contains("'maas' did not finish within PT0.7S");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> host.hangingNow() == 0); // the channel was closed

        host.unhang("maas");
        assertThat(runner.run(List.of("printf", "%s\\n", "alive"), T).stdout()).isEqualTo("alive\n");
    }

    @Test
    void hostDownIsUnreachableAndRecoversOnTheSamePort() {
        SshCommandRunner runner = runner(false);
        assertThat(runner.run(List.of("printf", "%s\\n", "1"), T).exitCode()).isZero();
        host.stop();

        assertThatThrownBy(() -> runner.run(List.of("printf", "%s\\n", "2"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(e.mayHaveRun()).as("never started").isFalse();
                });
        assertThatThrownBy(() -> runner.run(List.of("printf", "%s\\n", "3"), T))
                .isInstanceOfSatisfying(
                        RegionAccessException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));

        host.start();
        assertThat(runner.run(List.of("printf", "%s\\n", "4"), T).stdout()).isEqualTo("4\n");
    }

    @Test
    void aConnectionDroppedMidCommandMayHaveRunTheCommand() {
        host.hang("maas");
        SshCommandRunner runner = runner(true);
        var running = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runner.run(List.of("maas", "config-vault", "status"), T));
        await().atMost(Duration.ofSeconds(5)).until(() -> host.hangingNow() == 1);
        host.stop();
        assertThatThrownBy(running::join)
                .hasCauseInstanceOf(RegionAccessException.class)
                .cause()
                .satisfies(c -> {
                    RegionAccessException e = (RegionAccessException) c;
                    assertThat(e.kind()).isEqualTo(Kind.TRANSPORT_ERROR);
                    assertThat(e.getMessage()).contains("ended without an exit status");
                    assertThat(e.mayHaveRun())
                            .as("started on the host; its answer was lost")
                            .isTrue();
                });
        host.unhang("maas");
    }

    @Test
    void aPooledSessionDroppedByAHostRestartIsReplacedTransparently() {
        SshCommandRunner runner = runner(false);
        assertThat(runner.run(List.of("printf", "%s\\n", "1"), T).exitCode()).isZero();
        host.stop();
        host.start();
        assertThat(runner.run(List.of("printf", "%s\\n", "2"), T).stdout()).isEqualTo("2\n");
        assertThat(pool.openSessions()).isEqualTo(1);
    }

    @Test
    void sudoRefusedIsReported() {
        host.refuseSudo(true);
        assertThatThrownBy(() -> runner(true).run(List.of("chmod", "0640", "--", "/etc/maas/regiond.conf"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SUDO_REFUSED);
                    assertThat(e.getMessage()).contains("sudo: a password is required");
                });
    }

    @Test
    void unauthorisedClientKeyFailsAuthentication() {
        KeyPair stranger = KeyMaterial.generateEd25519();
        assertThatThrownBy(() -> runner(false, KeyMaterial.openSshPrivateKey(stranger), host.knownHostsLine())
                        .run(List.of("printf", "%s\\n", "x"), T))
                .isInstanceOfSatisfying(
                        RegionAccessException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH_FAILED));
    }

    @Test
    void malformedPrivateKeyIsReportedWithoutItsContent() {
        String garbage =
                "-----BEGIN OPENSSH PRIVATE KEY-----\nTOP-SECRET-MATERIAL\n-----END OPENSSH PRIVATE KEY-----\n";
        assertThatThrownBy(() -> runner(false, garbage, host.knownHostsLine()).run(List.of("printf", "%s\\n"), T))
                .isInstanceOfSatisfying(RegionAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_CREDENTIALS);
                    assertThat(e.getMessage()).doesNotContain("TOP-SECRET-MATERIAL");
                });
    }

    @Test
    void sessionsAreReusedPerControllerAndClosedWhenIdle() {
        try (SshConnectionPool shortIdle = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMillis(300))) {
            SshCommandRunner runner = new SshCommandRunner(
                    shortIdle,
                    new SshTarget(host.host(), host.port(), "ubuntu", false),
                    new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine()));
            for (int i = 0; i < 3; i++) {
                runner.run(List.of("printf", "%s\\n", "n" + i), T);
            }
            assertThat(shortIdle.openSessions()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> shortIdle.openSessions() == 0);
            assertThat(runner.run(List.of("printf", "%s\\n", "again"), T).stdout())
                    .isEqualTo("again\n");
        }
    }

    @Test
    void aParsedPrivateKeyIsReusedAcrossSessionsAndARotatedKeyIsParsedAnew() {
        try (SshConnectionPool shortIdle = new SshConnectionPool(Duration.ofSeconds(5), Duration.ofMillis(200))) {
            KeyPair rotated = KeyMaterial.generateEd25519();
            host.authorize(rotated.getPublic());
            // as a Secret holds them: the same text each time (OpenSSH encoding has random check bytes)
            String current = KeyMaterial.openSshPrivateKey(clientKey);
            String next = KeyMaterial.openSshPrivateKey(rotated);
            for (String key : List.of(current, current, next)) {
                SshCommandRunner runner = new SshCommandRunner(
                        shortIdle,
                        new SshTarget(host.host(), host.port(), "ubuntu", false),
                        new SshCredentials(Secret.of(key), host.knownHostsLine()));
                assertThat(runner.run(List.of("printf", "%s\\n", "ok"), T).stdout())
                        .isEqualTo("ok\n");
                // a new session each time: the parsed key is what is reused, not the connection
                await().atMost(Duration.ofSeconds(5)).until(() -> shortIdle.openSessions() == 0);
            }
            assertThat(shortIdle.cachedIdentities()).isEqualTo(2);
            for (int i = 0; i < SshConnectionPool.MAX_CACHED_IDENTITIES + 4; i++) {
                KeyPair k = KeyMaterial.generateEd25519();
                host.authorize(k.getPublic());
                new SshCommandRunner(
                                shortIdle,
                                new SshTarget(host.host(), host.port(), "ubuntu", false),
                                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(k)), host.knownHostsLine()))
                        .run(List.of("printf", "%s\\n", "ok"), T);
            }
            assertThat(shortIdle.cachedIdentities()).isEqualTo(SshConnectionPool.MAX_CACHED_IDENTITIES);
        }
    }

    @Test
    void outputIsCappedAndFlaggedTruncated() {
        SshCommandRunner capped = new SshCommandRunner(
                pool,
                new SshTarget(host.host(), host.port(), "ubuntu", false),
                new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), host.knownHostsLine()),
                16);
        CommandResult r = capped.run(List.of("printf", "%s\\n", "x".repeat(5000)), T);
        assertThat(r.truncated()).isTrue();
        assertThat(r.stdout()).hasSize(16);
    }
}
