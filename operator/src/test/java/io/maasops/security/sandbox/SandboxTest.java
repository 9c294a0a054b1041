package io.maasops.security.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command converges: every quick-start resource Ready, state files written. */
class SandboxTest {

    @Test
    void quickStartConvergesAndWritesKubeconfigAndEnv(@TempDir Path state) throws Exception {
        int exit = new CommandLine(new Sandbox())
                .execute(
                        "--regions",
                        "2",
                        "--timeout",
                        "90s",
                        "--state-dir",
                        state.toString(),
                        "--examples",
                        "../examples/quick-start");
        assertThat(exit).isZero();
        assertThat(Files.readString(state.resolve("kubeconfig")))
                .contains("server: https://", "certificate-authority-data: ");
        String env = Files.readString(state.resolve("sandbox.env"));
        assertThat(env)
                .contains(
                        "VAULT_ADDR=",
                        "VAULT_TOKEN=",
                        "VAULT_UNSEAL_KEY=",
                        "MAAS_URL=",
                        "MAAS_API_KEY=",
                        "REGION_A_SSH_PORT=",
                        "REGION_B_SSH_HOST=",
                        "SSH_KEY_SECRET=region-ssh",
                        "KNOWN_HOSTS_SECRET=maas-known-hosts");
        assertThat(Files.getPosixFilePermissions(state.resolve("sandbox.env")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
}
