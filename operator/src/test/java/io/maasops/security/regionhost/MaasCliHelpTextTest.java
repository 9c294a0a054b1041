package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.regionhost.MigrationOutcome.Result;
import io.maasops.security.testing.region.SimulatedMaasCli;
import org.junit.jupiter.api.Test;

/**
 * Failures that are not a Django CommandError: maascli prints the whole help, a blank line, the message, exit 2
 * (src/maascli/__init__.py, parser.py); only the message may reach a status.
 */
class MaasCliHelpTextTest {
    @Test
    void theTopLevelHelpIsStrippedAndAMultiLineMessageKeptWhole() {
        String hvac = "1 error occurred:\n\t* permission denied\n\n, on post http://vault:8200/v1/secret/data/maas/x";
        CommandResult r =
                new CommandResult(2, "Migrating secrets\n", SimulatedMaasCli.MAAS_HELP + "\n" + hvac + "\n", false);
        assertThat(MaasCli.commandErrorText(r)).isEqualTo(hvac);
        assertThat(MaasCli.commandErrorMessage(r))
                .doesNotContain("usage:", "drill down", "https://maas.io/")
                .startsWith("1 error occurred:")
                .endsWith("/v1/secret/data/maas/x");
        MigrationOutcome o = MigrationOutcome.parse(r, Redactor.none());
        assertThat(o.result()).isEqualTo(Result.FAILED);
        assertThat(o.message()).startsWith("1 error occurred:").doesNotContain("COMMAND");
    }

    @Test
    void aSubCommandsUsageErrorKeepsOnlyArgparsesMessage() {
        CommandResult r = new CommandResult(
                2,
                "",
                SimulatedMaasCli.CONFIGURE_HELP + "\nthe following arguments are required: secrets_path\n",
                false);
        assertThat(MaasCli.commandErrorMessage(r)).isEqualTo("the following arguments are required: secrets_path");
    }

    @Test
    void aCommandErrorAndOtherTextAreUnchanged() {
        assertThat(MaasCli.commandErrorText(
                        new CommandResult(1, "", "CommandError: Secrets are already migrated to" + " Vault.\n", false)))
                .isEqualTo("Secrets are already migrated to Vault.");
        assertThat(MaasCli.commandErrorText(new CommandResult(1, "", "You can only 'config-vault' as root.\n", false)))
                .isEqualTo("You can only 'config-vault' as root.");
    }
}
