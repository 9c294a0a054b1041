package io.maasops.security.regionhost;

import java.util.Arrays;
import java.util.List;

/**
 * The result of {@code maas config-vault migrate}, recognised from MAAS's own messages
 * (src/maasserver/management/commands/config_vault.py). All failures are Django {@code CommandError}s:
 * exit code 1 and {@code CommandError: <message>} on stderr. {@code message} is MAAS's text with secrets
 * redacted.
 */
public record MigrationOutcome(Result result, String message, List<String> unconfiguredRegions) {
    public enum Result {
        /** stdout ends with "Successfully migrated cluster secrets to Vault". */
        SUCCEEDED,
        /** "Secrets are already migrated to Vault." (a CommandError, exit 1, but the desired state). */
        ALREADY_MIGRATED,
        /** "Vault is not configured for the current region. ..." */
        NOT_CONFIGURED_LOCALLY,
        /** "Vault is not configured for regions: h1, h2\n..." */
        REGIONS_UNCONFIGURED,
        /** "Vault test failed: <cause>" (AppRole login of the region failed). */
        VAULT_TEST_FAILED,
        /** "Unable to migrate as one or more regions didn't restart when politely asked. ..." */
        REGIONS_DID_NOT_RESTART,
        /** Anything else; the message is MAAS's (redacted). */
        FAILED
    }

    public static final String SUCCESS_TEXT = "Successfully migrated cluster secrets to Vault";
    public static final String ALREADY_MIGRATED_TEXT = "Secrets are already migrated to Vault.";
    public static final String NOT_CONFIGURED_LOCALLY_TEXT = "Vault is not configured for the current region.";
    public static final String REGIONS_UNCONFIGURED_PREFIX = "Vault is not configured for regions: ";
    public static final String VAULT_TEST_FAILED_PREFIX = "Vault test failed: ";
    public static final String REGIONS_DID_NOT_RESTART_TEXT =
            "Unable to migrate as one or more regions didn't restart when politely asked.";

    public MigrationOutcome {
        unconfiguredRegions = List.copyOf(unconfiguredRegions);
    }

    /** True when secrets are in Vault after this run (migrated now or before). */
    public boolean done() {
        return result == Result.SUCCEEDED || result == Result.ALREADY_MIGRATED;
    }

    /** Classifies a finished {@code migrate} run. Pure; {@code redactor} removes secrets from the message. */
    public static MigrationOutcome parse(CommandResult r, Redactor redactor) {
        if (r.exitCode() == 0 && r.stdout().contains(SUCCESS_TEXT)) {
            return new MigrationOutcome(Result.SUCCEEDED, SUCCESS_TEXT, List.of());
        }
        String error = redactor.redact(MaasCli.commandErrorText(r)); // whole: the unconfigured list can be long
        String msg = redactor.redact(MaasCli.commandErrorMessage(r)); // what may reach a status
        if (error.startsWith(ALREADY_MIGRATED_TEXT)) {
            return new MigrationOutcome(Result.ALREADY_MIGRATED, msg, List.of());
        }
        if (error.startsWith(NOT_CONFIGURED_LOCALLY_TEXT)) {
            return new MigrationOutcome(Result.NOT_CONFIGURED_LOCALLY, msg, List.of());
        }
        if (error.startsWith(REGIONS_UNCONFIGURED_PREFIX)) {
            String first = error.lines().findFirst().orElse("").substring(REGIONS_UNCONFIGURED_PREFIX.length());
            List<String> hosts = Arrays.stream(first.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            return new MigrationOutcome(Result.REGIONS_UNCONFIGURED, msg, hosts);
        }
        if (error.startsWith(VAULT_TEST_FAILED_PREFIX)) {
            return new MigrationOutcome(Result.VAULT_TEST_FAILED, msg, List.of());
        }
        if (error.startsWith(REGIONS_DID_NOT_RESTART_TEXT)) {
            return new MigrationOutcome(Result.REGIONS_DID_NOT_RESTART, msg, List.of());
        }
        return new MigrationOutcome(
                Result.FAILED,
                msg.isBlank() ? "maas config-vault migrate exited with " + r.exitCode() : msg,
                List.of());
    }
}
