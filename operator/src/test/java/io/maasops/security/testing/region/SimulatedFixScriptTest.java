package io.maasops.security.testing.region;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.regionhost.MaasCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The double runs exactly the operator's fix script and refuses any other python program, also after a match. */
class SimulatedFixScriptTest {

    private static List<String> args(String script) {
        return List.of("-I", "-S", "-c", script, "root", "maas", "0640", "/etc/maas/regiond.conf");
    }

    @Test
    void recognisesOnlyTheOperatorsScriptBeforeAndAfterAMatch() {
        String changed = MaasCli.FIX_SCRIPT.replace("os.fchmod(fd, int(mode, 8))", "os.chmod(todo[0], int(mode, 8))");
        assertThat(changed).isNotEqualTo(MaasCli.FIX_SCRIPT);

        assertThat(SimulatedFixScript.isFixScript(args(changed))).isFalse();
        assertThat(SimulatedFixScript.isFixScript(args(MaasCli.FIX_SCRIPT))).isTrue();
        // the text that matched is remembered; a different one is still hashed and refused
        assertThat(SimulatedFixScript.isFixScript(args(changed))).isFalse();
        assertThat(SimulatedFixScript.isFixScript(args(MaasCli.FIX_SCRIPT + "\n")))
                .isFalse();
        assertThat(SimulatedFixScript.isFixScript(args(new String(MaasCli.FIX_SCRIPT.toCharArray()))))
                .isTrue();
        assertThat(SimulatedFixScript.isFixScript(
                        List.of("-I", "-c", MaasCli.FIX_SCRIPT, "root", "maas", "0640", "/etc/maas/regiond.conf")))
                .isFalse();
    }
}
