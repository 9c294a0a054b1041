package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.maasops.security.regionhost.MaasCliParsingTest.ScriptedRunner;
import io.maasops.security.regionhost.MigrationOutcome.Result;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a region host prints is remote text (the host is a namespace author's choice): it reaches messages, and so
 * statuses and events, only as a short sanitised excerpt, while parsing still sees all of it.
 */
class MaasCliRemoteTextTest {

    private static String hostile() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            s.append("<b>\u0000\u001b[2Jline ").append(i).append("</b>\r\n\té\n");
        }
        return s.toString();
    }

    @Test
    void commandErrorsAreShortAndPrintableButMaasMessagesStayWhole() {
        String restart = "Unable to migrate as one or more regions didn't restart when politely asked. Please shut down"
                + " these regions before starting the migration process again.";
        assertThat(MaasCli.commandErrorMessage(new CommandResult(1, "", "CommandError: " + restart + "\n", false)))
                .isEqualTo(restart);
        String m = MaasCli.commandErrorMessage(new CommandResult(1, "", "CommandError: " + hostile(), false));
        assertThat(hostile()).hasSizeGreaterThan(10_000);
        assertThat(m)
                .startsWith("??[2Jline 0 ? ??[2Jline 1")
                .matches("[\\x20-\\x7E]*")
                .hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT);
    }

    @Test
    void aLongTracebackIsReducedToItsLastLine() {
        StringBuilder tb = new StringBuilder("Traceback (most recent call last):\n");
        for (int i = 0; i < 40; i++) {
            tb.append("  File \"/snap/maas/x/lib/python3/site-packages/maasserver/m")
                    .append(i)
                    .append(".py\", line 1\n");
        }
        tb.append("maasserver.vault.VaultError: Vault request failed\n");
        assertThat(MaasCli.commandErrorMessage(new CommandResult(2, "", tb.toString(), false)))
                .isEqualTo("maasserver.vault.VaultError: Vault request failed");
    }

    @Test
    void aFailedFileCommandCarriesAnExcerptOfStderr() {
        ScriptedRunner runner = new ScriptedRunner();
        runner.answer = new CommandResult(1, "", hostile(), false);
        MaasCliException e = catchThrowableOfType(
                MaasCliException.class,
                () -> new MaasCli(runner, MaasPackaging.SNAP).restartRegion(List.of("snap", "restart", "maas")));
        String prefix = "snap restart maas failed on scripted (exit 1): ";
        assertThat(e.getMessage())
                .startsWith(prefix)
                .matches("[\\x20-\\x7E]*")
                .hasSizeLessThanOrEqualTo(prefix.length() + RemoteText.MAX_EXCERPT);
    }

    @Test
    void aWrappedTokenEchoedAcrossTheCutsIsNeverShownInPart() {
        Secret wrapped = Secret.of("hvs.CAESIHWrappingTokenEchoedBackByHvac0123456789");
        for (int k = 0; k <= 160; k += 2) {
            // the token walks from the beginning to the end of MAAS's message, across both cuts of the excerpt
            ScriptedRunner runner = new ScriptedRunner();
            runner.answer = new CommandResult(
                    1,
                    "",
                    "CommandError: " + "w ".repeat(k) + "token=" + wrapped.reveal() + " was refused"
                            + " v".repeat(160 - k) + "\n",
                    false);
            MaasCliException e = catchThrowableOfType(
                    MaasCliException.class,
                    () -> new MaasCli(runner, MaasPackaging.SNAP)
                            .configureVault(URI.create("https://vault:8200"), "role", wrapped, "maas", "secret"));
            for (int i = 4; i <= wrapped.reveal().length(); i++) {
                assertThat(e.getMessage())
                        .as("k %d", k)
                        .doesNotContain(wrapped.reveal().substring(0, i))
                        .doesNotContain(
                                wrapped.reveal().substring(wrapped.reveal().length() - i));
            }
        }
    }

    @Test
    void everyUnconfiguredRegionIsParsedEvenWhenTheMessageIsCut() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            hosts.add("region-" + i);
        }
        MigrationOutcome o = MigrationOutcome.parse(
                new CommandResult(
                        1,
                        "",
                        "CommandError: Vault is not configured for regions: "
                                + String.join(", ", hosts)
                                + "\nPlease use `sudo maas config-vault configure` command on the regions above"
                                + " before migrating.\n",
                        false),
                Redactor.none());
        assertThat(o.result()).isEqualTo(Result.REGIONS_UNCONFIGURED);
        assertThat(o.unconfiguredRegions()).containsExactlyElementsOf(hosts);
        assertThat(o.message())
                .startsWith("Vault is not configured for regions: region-0, region-1,")
                .hasSizeLessThanOrEqualTo(RemoteText.MAX_EXCERPT);
    }
}
