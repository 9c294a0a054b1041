package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maasops.security.testing.region.KeyMaterial;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.region.SimulatedMaasDeployment;
import io.maasops.security.util.Secret;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same known_hosts, the same server (the region host double, presenting a host certificate made by
 * {@code ssh-keygen} where a case says so): the operator's verifier and the real OpenSSH client
 * ({@code ssh -o StrictHostKeyChecking=yes -o BatchMode=yes}) must accept or refuse alike. Skipped where no
 * {@code ssh}/{@code ssh-keygen} is installed.
 */
class KnownHostsOpenSshParityTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final KeyPair clientKey = KeyMaterial.generateEd25519();
    private SimulatedMaasDeployment deployment;
    private RegionHostDouble host;
    private String ca; // "ssh-ed25519 AAAA..." of the CA
    private String otherCa; // a CA that signed nothing here
    private Path clientKeyFile;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(onPath("ssh") && onPath("ssh-keygen"), "OpenSSH client not installed");
        deployment = new SimulatedMaasDeployment();
        host = deployment.addRegionHost("region-a", MaasPackaging.DEB, clientKey.getPublic());
        ca = newCa("ca");
        otherCa = newCa("other-ca");
        clientKeyFile = dir.resolve("id_ed25519");
        Files.writeString(clientKeyFile, KeyMaterial.openSshPrivateKey(clientKey));
        Files.setPosixFilePermissions(clientKeyFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("host.pub"), KeyMaterial.publicKeyLine(host.hostPublicKey()) + "\n");
    }

    @AfterEach
    void tearDown() {
        if (deployment != null) {
            deployment.close();
        }
    }

    private static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    private String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() + "\n" + out;
    }

    private String newCa(String name) throws Exception {
        String r = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", name));
        assertThat(r).startsWith("0\n");
        return Files.readString(dir.resolve(name + ".pub")).strip();
    }

    /** Signs the host key with {@code caName} via ssh-keygen and makes the double present it. */
    private void certificate(String caName, List<String> extraArgs) throws Exception {
        Files.deleteIfExists(dir.resolve("host-cert.pub"));
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", caName, "-I", "region-a"));
        cmd.addAll(extraArgs);
        cmd.add("host.pub");
        String r = run(cmd);
        assertThat(r).as(String.join(" ", cmd)).startsWith("0\n");
        host.presentHostCertificate(Files.readString(dir.resolve("host-cert.pub")));
    }

    private boolean operatorAccepts(String knownHosts) {
        try (SshConnectionPool pool = new SshConnectionPool(Duration.ofSeconds(10), Duration.ofMinutes(1))) {
            new SshCommandRunner(
                            pool,
                            new SshTarget(host.host(), host.port(), "ubuntu", false),
                            new SshCredentials(Secret.of(KeyMaterial.openSshPrivateKey(clientKey)), knownHosts))
                    .run(List.of("printf", "%s\\n", "ok"), T);
            return true;
        } catch (RegionAccessException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(RegionAccessException.Kind.HOST_KEY_REJECTED);
            return false;
        }
    }

    private boolean sshAccepts(String knownHosts) throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, knownHosts);
        String r = run(List.of(
                "ssh",
                "-F",
                "/dev/null",
                "-o",
                "UserKnownHostsFile=" + kh,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "UpdateHostKeys=no",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "ConnectTimeout=20",
                "-i",
                clientKeyFile.toString(),
                "-p",
                Integer.toString(host.port()),
                "ubuntu@" + host.host(),
                "printf",
                "%s\\\\n",
                "ok"));
        if (r.startsWith("0\n")) {
            assertThat(r).contains("ok");
            return true;
        }
        assertThat(r)
                .as("ssh refused for the host key, nothing else")
                .startsWith("255\n")
                .containsAnyOf("Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED", "REVOKED");
        return false;
    }

    private void assertBothDecide(String knownHosts, boolean expected) throws Exception {
        assertThat(sshAccepts(knownHosts)).as("OpenSSH ssh on:\n" + knownHosts).isEqualTo(expected);
        assertThat(operatorAccepts(knownHosts))
                .as("operator on:\n" + knownHosts)
                .isEqualTo(expected);
    }

    private String hostPort() {
        return "[" + host.host() + "]:" + host.port();
    }

    private String key() {
        return KeyMaterial.publicKeyLine(host.hostPublicKey());
    }

    @Test
    void plainKeysPatternsHashesPortsAndRevocation() throws Exception {
        String line = hostPort() + " " + key() + "\n";
        assertBothDecide(line, true);
        assertBothDecide("[" + host.host() + "]:" + (host.port() + 1) + " " + key() + "\n", false);
        assertBothDecide("@revoked * " + key() + "\n" + line, false);
        assertBothDecide(line + "@revoked * " + key() + "\n", false); // revoked wherever the line is
        assertBothDecide("[127.0.0.*]:" + host.port() + " " + key() + "\n", true);
        assertBothDecide("[127.0.0.?]:* " + key() + "\n", true);
        // a negation vetoes the line for [host]:port, but then ssh tries the bare host name, which "*" matches
        assertBothDecide("*,!" + hostPort() + " " + key() + "\n", true);
        assertBothDecide("*,![" + host.host() + "]:*,!" + host.host() + " " + key() + "\n", false);
        assertBothDecide(host.host() + " " + key() + "\n", true); // no [host]:port line: the bare host's lines
        assertBothDecide(
                hostPort() + " "
                        + KeyMaterial.publicKeyLine(
                                KeyMaterial.generateEd25519().getPublic()) + "\n" + host.host() + " " + key() + "\n",
                false); // a [host]:port line that differs wins
        assertBothDecide(
                hostPort() + " "
                        + KeyMaterial.publicKeyLine(KeyMaterial.generateRsa().getPublic()) + "\n",
                false); // another key type only: changed
        String hashed = KnownHosts.hashHostName(
                hostPort(), "|1|" + java.util.Base64.getEncoder().encodeToString(new byte[20]) + "|x");
        assertBothDecide(hashed + " " + key() + "\n", true);
        assertBothDecide("@cert-authority " + hostPort() + " " + key() + "\n", false); // a CA is no host key
        assertBothDecide("@bogus " + hostPort() + " " + key() + "\n", false); // unknown marker: line ignored
    }

    @Test
    void hostCertificates() throws Exception {
        String caLine = "@cert-authority " + hostPort() + " " + ca + "\n";
        String plain = hostPort() + " " + key() + "\n";
        certificate("ca", List.of("-h", "-n", host.host(), "-V", "-5m:+1h"));
        assertBothDecide(caLine, true);
        assertBothDecide("@cert-authority * " + ca + "\n", true);
        assertBothDecide("@cert-authority * " + otherCa + "\n", false);
        assertBothDecide("@cert-authority * " + otherCa + "\n" + plain, true); // unknown CA: the plain key
        assertBothDecide(caLine + "@revoked * " + ca + "\n", false); // revoked CA
        assertBothDecide("@revoked * " + ca + "\n" + caLine + plain, false); // no fallback to a revoked CA's host
        assertBothDecide(caLine + "@revoked * " + key() + "\n", false); // the certified key itself revoked

        certificate("ca", List.of("-h", "-n", "region-a.example", "-V", "-5m:+1h"));
        assertBothDecide(caLine, false); // not a listed principal
        assertBothDecide(caLine + plain, true); // then the plain key, as ssh retries

        certificate("ca", List.of("-h", "-n", host.host(), "-V", "20200101:20200102"));
        assertBothDecide(caLine, false); // expired
        certificate("ca", List.of("-n", host.host(), "-V", "-5m:+1h"));
        assertBothDecide(caLine, false); // a user certificate
        certificate("ca", List.of("-h", "-n", "127.0.0.*", "-V", "-5m:+1h"));
        assertBothDecide(caLine, false); // no wildcard principals (OpenSSH before 10.3)
    }

    @Test
    void aHostCertificateWithoutPrincipalsIsRefusedAsOpenSsh103DoesThoughOlderSshAcceptsIt() throws Exception {
        String caLine = "@cert-authority " + hostPort() + " " + ca + "\n";
        certificate("ca", List.of("-h", "-V", "-5m:+1h"));
        assertThat(operatorAccepts(caLine)).isFalse();
        String version = run(List.of("ssh", "-V"));
        if (version.matches("(?s).*OpenSSH_(8\\.|9\\.|10\\.[0-2][^0-9]).*")) {
            assertThat(sshAccepts(caLine))
                    .as("OpenSSH before 10.3 takes no principals as any host")
                    .isTrue();
        }
    }
}
