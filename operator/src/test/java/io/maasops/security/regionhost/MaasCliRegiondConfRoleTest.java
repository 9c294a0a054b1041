package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link MaasCli#regiondConfRoleId}: only the vault_approle_id line is asked for, and what it holds is checked. */
class MaasCliRegiondConfRoleTest {

    static Optional<String> read(MaasPackaging packaging, CommandResult answer, List<List<String>> calls) {
        var runner = new MaasCliParsingTest.ScriptedRunner();
        runner.answer = answer;
        Optional<String> id = new MaasCli(runner, packaging).regiondConfRoleId();
        calls.addAll(runner.calls);
        return id;
    }

    @Test
    void grepsOnlyTheRoleIdLineOfTheInstallationsRegiondConf() {
        var calls = new java.util.ArrayList<List<String>>();
        var id = read(
                MaasPackaging.DEB, new CommandResult(0, "vault_approle_id: 4551b1a8-ce02-4b69\n", "", false), calls);
        assertThat(id).contains("4551b1a8-ce02-4b69");
        assertThat(calls.get(0))
                .containsExactly("grep", "-m", "1", "-e", "^vault_approle_id:", "--", "/etc/maas/regiond.conf");
        calls.clear();
        read(MaasPackaging.SNAP, new CommandResult(1, "", "", false), calls);
        assertThat(calls.get(0)).last().isEqualTo("/var/snap/maas/current/regiond.conf");
    }

    @Test
    void noLineAnEmptyOrANullValueNamesNoRole() {
        var calls = new java.util.ArrayList<List<String>>();
        assertThat(read(MaasPackaging.SNAP, new CommandResult(1, "", "", false), calls))
                .isEmpty();
        assertThat(MaasCli.parseRoleIdLine("vault_approle_id: ''\n")).isEmpty();
        assertThat(MaasCli.parseRoleIdLine("vault_approle_id: null\n")).isEmpty();
        assertThat(MaasCli.parseRoleIdLine("vault_approle_id:\n")).isEmpty();
        assertThat(MaasCli.parseRoleIdLine("vault_approle_id: 'abc-1'\n")).contains("abc-1");
    }

    @Test
    void anUnreadableFileOrAnUnexpectedValueIsAnErrorThatDoesNotEchoTheValue() {
        var calls = new java.util.ArrayList<List<String>>();
        assertThatThrownBy(() -> read(
                        MaasPackaging.DEB,
                        new CommandResult(2, "", "grep: /etc/maas/regiond.conf: No such file or directory\n", false),
                        calls))
                .isInstanceOf(MaasCliException.class)
                .hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> MaasCli.parseRoleIdLine("vault_approle_id: s3cr3t value with spaces\n"))
                .isInstanceOf(MaasCliException.class)
                .hasMessage("vault_approle_id: in regiond.conf does not hold a role-id")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> MaasCli.parseRoleIdLine("vault_secret_id: x\n"))
                .isInstanceOf(MaasCliException.class);
    }
}
