package io.maasops.security.concern.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.configfiles.ConfigFilesVerdict.MissingAccount;
import io.maasops.security.configfiles.FilePermissionPolicy;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.testing.fakes.FakeRegionShell;
import org.junit.jupiter.api.Test;

/** Tier 1 (fast): which accounts a drifted region's fix needs, each asked of the controller once. */
class ConfigFileAccountsTest {

    final FakeRegionShell shell = new FakeRegionShell("region-a", MaasPackaging.SNAP);
    final FilePermissionPolicy policy = new FilePermissionPolicy("root", "maas", "0640");

    @Test
    void aKnownGroupIsAskedOnceNotAgainForTheFix() {
        var resolved = ConfigFileAccounts.resolve(shell, policy, "root");

        assertThat(resolved.policy()).isSameAs(policy);
        assertThat(resolved.missing()).isEmpty();
        assertThat(shell.commands).containsExactly("getent group maas", "id root");
    }

    @Test
    void aHostWithoutTheGroupGetsTheInstallationsFallbackWhichIsCheckedToo() {
        shell.unknownGroups.add("maas");

        var resolved = ConfigFileAccounts.resolve(shell, policy, "root");

        assertThat(resolved.policy()).isEqualTo(new FilePermissionPolicy("root", "root", "0640"));
        assertThat(resolved.missing()).isEmpty();
        assertThat(shell.commands).containsExactly("getent group maas", "id root", "getent group root");
    }

    @Test
    void aGroupTheSpecNamedIsNeverReplacedAndReportedMissing() {
        shell.unknownGroups.add("maas");

        var resolved = ConfigFileAccounts.resolve(shell, policy, null);

        assertThat(resolved.policy()).isSameAs(policy);
        assertThat(resolved.missing()).containsExactly(new MissingAccount(true, "maas"));
        assertThat(shell.commands).containsExactly("id root", "getent group maas");
    }
}
