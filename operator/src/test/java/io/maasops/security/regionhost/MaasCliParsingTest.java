package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.maasops.security.regionhost.MigrationOutcome.Result;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link MaasCli}: argument vectors, output parsing, outcome classification, redaction. */
class MaasCliParsingTest {
    /** A runner that records argv and answers with a fixed result (or throws). */
    static final class ScriptedRunner implements RegionCommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        final List<Secret> inputs = new ArrayList<>();
        CommandResult answer;
        RuntimeException failure;

        @Override
        public CommandResult run(List<String> argv, Secret stdin, Duration timeout) {
            calls.add(argv);
            inputs.add(stdin);
            if (failure != null) {
                throw failure;
            }
            return answer;
        }

        @Override
        public String describe() {
            return "scripted";
        }
    }

    private static CommandResult commandError(String msg) {
        return new CommandResult(1, "", "CommandError: " + msg + "\n", false);
    }

    @Test
    void configureRunsMaasDocumentedCommandWithTheTokenOnStandardInput() {
        ScriptedRunner runner = new ScriptedRunner();
        runner.answer = new CommandResult(0, MaasCli.CONFIGURE_SUCCESS + "\n", "", false);
        MaasCli cli = new MaasCli(runner, MaasPackaging.SNAP);
        cli.configureVault(URI.create("https://vault:8200"), "role-1", Secret.of("hvs.WRAP"), "maas", "secret");

        assertThat(runner.calls.get(0))
                .containsExactly(
                        "sh",
                        "-c",
                        "IFS= read -r t && exec maas config-vault configure \"$1\" \"$2\" \"$t\" \"$3\" --mount \"$4\" --yes",
                        "sh",
                        "https://vault:8200",
                        "role-1",
                        "maas",
                        "secret");
        assertThat(runner.calls.get(0)).noneMatch(a -> a.contains("hvs.WRAP"));
        assertThat(runner.inputs.get(0).reveal()).isEqualTo("hvs.WRAP\n"); // read -r needs the newline
    }

    @Test
    void aTokenThatReadCouldNotTakeWholeIsRefusedWithoutEchoingIt() {
        ScriptedRunner runner = new ScriptedRunner();
        MaasCli cli = new MaasCli(runner, MaasPackaging.DEB);
        for (String bad : List.of("", "hvs.A\nB", "hvs.A\r", "hvs.A\0B")) {
            assertThatThrownBy(() -> cli.configureVault(URI.create("http://v"), "r", Secret.of(bad), "maas", "secret"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(bad.isEmpty() || !e.getMessage().contains(bad))
                            .isTrue());
        }
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void installationTable() {
        assertThat(MaasPackaging.DEB.defaultConfigFiles())
                .containsExactly("/etc/maas/regiond.conf", "/etc/maas/rackd.conf", "/var/lib/maas/secret");
        assertThat(MaasPackaging.SNAP.defaultConfigFiles())
                .containsExactly(
                        "/var/snap/maas/current/regiond.conf",
                        "/var/snap/maas/current/rackd.conf",
                        "/var/snap/maas/common/maas/secret");
        assertThat(MaasPackaging.SNAP.cliPrefix()).containsExactly("maas");
        assertThat(MaasPackaging.DEB.cliPrefix()).containsExactly("maas");
    }

    @Test
    void statusYamlAsMaasPrintsIt() {
        assertThat(MaasCli.parseStatus("status: disabled\nunconfigured_regions:\n- region-a\n- region-b\n\n"))
                .isEqualTo(new VaultStatus(false, List.of("region-a", "region-b")));
        assertThat(MaasCli.parseStatus("status: disabled\nunconfigured_regions: []\n\n"))
                .isEqualTo(new VaultStatus(false, List.of()));
        assertThat(MaasCli.parseStatus("status: enabled\n\n")).isEqualTo(new VaultStatus(true, List.of()));
        assertThatThrownBy(() -> MaasCli.parseStatus("Traceback ...")).isInstanceOf(MaasCliException.class);
        assertThatThrownBy(() -> MaasCli.parseStatus("status: maybe\n")).isInstanceOf(MaasCliException.class);
    }

    @Test
    void statusFastPathAgreesWithTheYamlParser() {
        List<String> outputs = List.of(
                "status: disabled\nunconfigured_regions:\n- region-a\n- region-b\n\n",
                "status: disabled\nunconfigured_regions: []\n\n",
                "status: enabled\n\n",
                "status: enabled\n",
                "status: disabled\nunconfigured_regions:\n- r1.maas.example\n- 10-0-0-1\n- RACK_2\n\n");
        for (String out : outputs) {
            assertThat(MaasCli.parseSafeDumpStatus(out)).as(out).isNotNull().isEqualTo(MaasCli.parseStatus(out));
        }
        // shapes safe_dump would not print for hostnames go to the YAML parser, which reads them as before
        assertThat(MaasCli.parseSafeDumpStatus("status: disabled\nunconfigured_regions: [region-a, region-b]\n"))
                .isNull();
        assertThat(MaasCli.parseStatus("status: disabled\nunconfigured_regions: [region-a, region-b]\n"))
                .isEqualTo(new VaultStatus(false, List.of("region-a", "region-b")));
        assertThat(MaasCli.parseSafeDumpStatus("status: disabled\nunconfigured_regions:\n- 'null'\n"))
                .isNull();
        assertThat(MaasCli.parseStatus("status: disabled\nunconfigured_regions:\n- 'null'\n"))
                .isEqualTo(new VaultStatus(false, List.of("null")));
        assertThat(MaasCli.parseSafeDumpStatus("- region-a\nstatus: disabled\n"))
                .isNull();
        assertThat(MaasCli.parseSafeDumpStatus("status: enabled\nstatus: disabled\n"))
                .isNull();
        assertThat(MaasCli.parseSafeDumpStatus("Traceback ...")).isNull();
        StringBuilder many = new StringBuilder("status: disabled\nunconfigured_regions:\n");
        for (int i = 0; i < 1000; i++) {
            many.append("- region-").append(i).append('\n');
        }
        assertThat(MaasCli.parseStatus(many.append('\n').toString()).unconfiguredRegions())
                .hasSize(1000)
                .contains("region-999");
    }

    @Test
    void migrationOutcomesFromMaasMessages() {
        Redactor none = Redactor.none();
        assertThat(MigrationOutcome.parse(
                                new CommandResult(
                                        0,
                                        "Send restart signal to active regions\n"
                                                + "Migrating secrets\nSuccessfully migrated cluster secrets to Vault\n",
                                        "",
                                        false),
                                none)
                        .result())
                .isEqualTo(Result.SUCCEEDED);
        MigrationOutcome already = MigrationOutcome.parse(commandError("Secrets are already migrated to Vault."), none);
        assertThat(already.result()).isEqualTo(Result.ALREADY_MIGRATED);
        assertThat(already.done()).isTrue();
        assertThat(MigrationOutcome.parse(
                                commandError(
                                        "Vault is not configured for the current region. Please use"
                                                + " `sudo maas config-vault configure` command on all regions before migrating."),
                                none)
                        .result())
                .isEqualTo(Result.NOT_CONFIGURED_LOCALLY);
        MigrationOutcome unconfigured = MigrationOutcome.parse(
                commandError("Vault is not configured for regions: "
                        + "region-b, region-c\nPlease use `sudo maas config-vault configure` command on the regions above"
                        + " before migrating."),
                none);
        assertThat(unconfigured.result()).isEqualTo(Result.REGIONS_UNCONFIGURED);
        assertThat(unconfigured.unconfiguredRegions()).containsExactly("region-b", "region-c");
        assertThat(MigrationOutcome.parse(
                                commandError("Vault test failed: invalid role or secret ID, on post "
                                        + "http://127.0.0.1:1/v1/auth/approle/login"),
                                none)
                        .result())
                .isEqualTo(Result.VAULT_TEST_FAILED);
        assertThat(MigrationOutcome.parse(
                                commandError(
                                        "Unable to migrate as one or more regions didn't restart when"
                                                + " politely asked. Please shut down these regions before starting the migration process again."),
                                none)
                        .result())
                .isEqualTo(Result.REGIONS_DID_NOT_RESTART);
        MigrationOutcome tb = MigrationOutcome.parse(
                new CommandResult(
                        1,
                        "",
                        "Traceback (most recent call last):\n" + "maasserver.vault.VaultError: Vault request failed\n",
                        false),
                none);
        assertThat(tb.result()).isEqualTo(Result.FAILED);
        assertThat(tb.message()).contains("Vault request failed");
        assertThat(tb.done()).isFalse();
    }

    @Test
    void statOutputParsing() {
        List<String> paths = List.of("/p", "/with space", "/q", "/l", "/d", "/gone");
        // %f: raw st_mode in hex (0100640 = 81a0), so the type is read without the host's locale
        CommandResult r = new CommandResult(
                1,
                "81a0 0 119 root maas /p\n8180 4242 4343 UNKNOWN UNKNOWN /with space\n"
                        + "81a4 0 0 root root /q\na1ff 113 119 maas maas /l\n41ed 0 0 root root /d\n",
                "stat: cannot statx '/gone': No such file or directory\n",
                false);
        assertThat(MaasCli.parseStat(paths, r))
                .containsExactly(
                        new FileStatus("/p", true, "0640", "root", "maas"),
                        new FileStatus("/with space", true, "0600", "4242", "4343"),
                        new FileStatus("/q", true, "0644", "root", "root"),
                        new FileStatus("/l", true, "0777", "maas", "maas", FileStatus.FileType.SYMLINK),
                        new FileStatus("/d", true, "0755", "root", "root", FileStatus.FileType.DIRECTORY),
                        FileStatus.missing("/gone"));
        assertThatThrownBy(() -> MaasCli.parseStat(
                        List.of("/p"), new CommandResult(1, "", "stat: cannot statx '/p': Permission denied\n", false)))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("Permission denied");
        assertThatThrownBy(() ->
                        MaasCli.parseStat(List.of("/p"), new CommandResult(0, "640 0 119 root maas /p\n", "", false)))
                .as("the octal %a form is not what the operator asks for")
                .isInstanceOf(MaasCliException.class);
        assertThat(MaasCli.statArgv(List.of("/etc/maas/regiond.conf", "/etc/maas/rackd.conf")))
                .containsExactly(
                        "stat", "-c", "%f %u %g %U %G %n", "--", "/etc/maas/regiond.conf", "/etc/maas/rackd.conf");
        assertThat(new FileStatus("/p", true, "0640", "root", "maas").matches("root", "maas", "640"))
                .isTrue();
        assertThat(new FileStatus("/l", true, "0640", "root", "maas", FileStatus.FileType.SYMLINK)
                        .matches("root", "maas", "640"))
                .as("a link never matches")
                .isFalse();
    }

    @Test
    void fixFileRefusesValuesThatAreNotNamesOrModes() {
        ScriptedRunner runner = new ScriptedRunner();
        MaasCli cli = new MaasCli(runner, MaasPackaging.DEB);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root;id", "maas", "0640"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root", "maas", "u+rwx"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cli.fixFile("relative", "root", "maas", "0640"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.calls).isEmpty();
    }

    /** The last of the three checks (schema, SpecValidator, here): right before a command is built. */
    @Test
    void fixAndStatRefusePathsOutsideMaasDirectoriesAndUnsafeModesWithoutACommand() {
        ScriptedRunner runner = new ScriptedRunner();
        MaasCli cli = new MaasCli(runner, MaasPackaging.DEB);
        for (String path : List.of(
                "/etc/shadow",
                "/etc/maas/../shadow",
                "/etc/maas",
                "/etc/maas/",
                "/var/lib/maas",
                "/etc/maas//regiond.conf",
                "/etc/maas/./regiond.conf",
                "/etc/maas.d/x",
                "/var/lib/maas/" + "a".repeat(1200))) {
            assertThatThrownBy(() -> cli.fixFiles(List.of(path), "root", "maas", "0640"))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> cli.statFiles(List.of(path)))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String mode : List.of("0666", "0644", "4750", "2750", "1640", "0641", "7777")) {
            assertThatThrownBy(() -> cli.fixFiles(List.of("/etc/maas/regiond.conf"), "root", "maas", mode))
                    .as(mode)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void fixIsOneCommandThatNeverFollowsLinks() {
        ScriptedRunner runner = new ScriptedRunner();
        runner.answer = new CommandResult(
                0,
                "0 81a0 0 113 root maas /etc/maas/regiond.conf\n0 81a0 0 113 root maas /etc/maas/rackd.conf\n",
                "",
                false);
        MaasCli cli = new MaasCli(runner, MaasPackaging.DEB);
        List<FixOutcome> done =
                cli.fixFiles(List.of("/etc/maas/regiond.conf", "/etc/maas/rackd.conf"), "root", "maas", "640");
        assertThat(runner.calls)
                .containsExactly(List.of(
                        "python3",
                        "-I",
                        "-S",
                        "-c",
                        MaasCli.FIX_SCRIPT,
                        "root",
                        "maas",
                        "0640",
                        "/etc/maas/regiond.conf",
                        "/etc/maas/rackd.conf"));
        assertThat(done)
                .extracting(FixOutcome::kind, FixOutcome::status)
                .containsExactly(
                        tuple(
                                FixOutcome.Kind.CHANGED,
                                new FileStatus("/etc/maas/regiond.conf", true, "0640", "root", "maas")),
                        tuple(
                                FixOutcome.Kind.CHANGED,
                                new FileStatus("/etc/maas/rackd.conf", true, "0640", "root", "maas")));
        assertThat(MaasCli.FIX_SCRIPT)
                .as("one shell word: no quote, no backslash")
                .doesNotContain("'", "\\")
                .contains("O_NOFOLLOW", "fchown(fd", "fchmod(fd");

        // nothing to do: no command
        assertThat(cli.fixFiles(List.of(), "root", "maas", "0640")).isEmpty();
        assertThat(runner.calls).hasSize(1);

        // the script's answers
        runner.answer = new CommandResult(0, "3 a1ff 113 119 maas maas /etc/maas/regiond.conf\n", "", false);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root", "maas", "0640"))
                .isInstanceOfSatisfying(
                        FileRefusedException.class,
                        e -> assertThat(e.found())
                                .isEqualTo(new FileStatus(
                                        "/etc/maas/regiond.conf",
                                        true,
                                        "0777",
                                        "maas",
                                        "maas",
                                        FileStatus.FileType.SYMLINK)))
                .hasMessageContaining("is a symbolic link; not changed");
        runner.answer = new CommandResult(0, "4 /etc/maas/regiond.conf: No such file or directory\n", "", false);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root", "maas", "0640"))
                .isInstanceOfSatisfying(
                        FileRefusedException.class,
                        e -> assertThat(e.found().exists()).isFalse());
        runner.answer = new CommandResult(1, "", "chown: invalid group: 'root:maas'\n", false);
        assertThatThrownBy(() -> cli.fixFiles(List.of("/etc/maas/regiond.conf"), "root", "maas", "0640"))
                .isInstanceOfSatisfying(
                        UnknownAccountException.class,
                        e -> assertThat(e.kind()).isEqualTo(UnknownAccountException.Kind.GROUP))
                .hasMessage("group 'maas' does not exist on scripted (chown: invalid group: 'root:maas')");
        runner.answer = new CommandResult(
                0, "1 /etc/maas/regiond.conf: not changed: it goes through 'x', a symbolic link\n", "", false);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root", "maas", "0640"))
                .isExactlyInstanceOf(MaasCliException.class)
                .hasMessageContaining("it goes through 'x', a symbolic link");
        // lstat saw a link, the open a regular file: swapped while fixing, nothing changed
        runner.answer = new CommandResult(0, "3 81a4 0 0 root root /etc/maas/regiond.conf\n", "", false);
        assertThatThrownBy(() -> cli.fixFile("/etc/maas/regiond.conf", "root", "maas", "0640"))
                .isExactlyInstanceOf(MaasCliException.class)
                .hasMessageContaining("changed while being fixed");
    }

    @Test
    void aFixAnswerIsMatchedToItsPathAndAStoppedScriptFailsTheRest() {
        ScriptedRunner runner = new ScriptedRunner();
        MaasCli cli = new MaasCli(runner, MaasPackaging.DEB);
        List<String> paths = List.of("/etc/maas/regiond.conf", "/etc/maas/rackd.conf", "/var/lib/maas/secret");
        runner.answer = new CommandResult(
                1,
                "0 81a0 0 113 root maas /etc/maas/regiond.conf\n",
                "Traceback (most recent call last):\nMemoryError\n",
                false);
        assertThat(cli.fixFiles(paths, "root", "maas", "0640"))
                .extracting(FixOutcome::kind)
                .containsExactly(FixOutcome.Kind.CHANGED, FixOutcome.Kind.FAILED, FixOutcome.Kind.FAILED);
        assertThat(cli.fixFiles(paths, "root", "maas", "0640").get(1).message())
                .contains("fixing /etc/maas/rackd.conf failed", "MemoryError");
        // a changed-file line naming another path is not taken as this path's proof
        runner.answer = new CommandResult(0, "0 81a0 0 113 root maas /etc/maas/rackd.conf\n", "", false);
        assertThat(cli.fixFiles(List.of("/etc/maas/regiond.conf"), "root", "maas", "0640"))
                .extracting(FixOutcome::kind, FixOutcome::message)
                .containsExactly(tuple(
                        FixOutcome.Kind.FAILED,
                        "fixing /etc/maas/regiond.conf on scripted: unexpected answer from the fix script"));
    }

    @Test
    void wrappedTokenIsRedactedFromMaasErrors() {
        String token = "hvs.CAESIHVERYSECRETWRAPPINGTOKEN";
        ScriptedRunner runner = new ScriptedRunner();
        runner.answer =
                new CommandResult(2, "", "usage: ...\nmaas: error: unrecognized arguments: " + token + "\n", false);
        MaasCli cli = new MaasCli(runner, MaasPackaging.SNAP);

        assertThatThrownBy(() -> cli.configureVault(URI.create("http://v"), "r", Secret.of(token), "maas", "secret"))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("unrecognized arguments: <redacted>")
                .hasMessageNotContaining(token);

        runner.failure = new RegionAccessException(RegionAccessException.Kind.TRANSPORT_ERROR, "broken: " + token);
        assertThatThrownBy(() -> cli.configureVault(URI.create("http://v"), "r", Secret.of(token), "maas", "secret"))
                .isInstanceOf(RegionAccessException.class)
                .hasMessageNotContaining(token);
        // a lost answer stays a lost answer through the redaction (the command may have run)
        runner.failure =
                RegionAccessException.answerLost(RegionAccessException.Kind.TRANSPORT_ERROR, "dropped: " + token);
        assertThatThrownBy(() -> cli.configureVault(URI.create("http://v"), "r", Secret.of(token), "maas", "secret"))
                .isInstanceOfSatisfying(
                        RegionAccessException.class,
                        e -> assertThat(e.mayHaveRun()).isTrue())
                .hasMessageNotContaining(token);
        assertThat(runner.calls.get(0)).noneMatch(a -> a.contains(token)); // it travels on standard input
        assertThat(runner.inputs.get(0).reveal()).isEqualTo(token + "\n");
    }
}
