package io.maasops.security.port;

import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.regionhost.FixOutcome;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.util.List;

/**
 * MAAS's administrator commands on one region controller (errors: {@code regionhost.RegionAccessException}
 * when the controller could not be used, {@code regionhost.MaasCliException} when MAAS said no).
 */
public interface RegionShell {

    MaasPackaging packaging();

    /** `maas config-vault configure`; the wrapped token travels on stdin. */
    void configureVault(URI vaultUrl, String roleId, Secret wrappedToken, String secretsPath, String mount);

    VaultStatus vaultStatus();

    MigrationOutcome migrate();

    /**
     * Whether a {@code maas config-vault migrate} runs on the controller now (started by the operator before a
     * restart, or by hand): {@code config-vault status} does not wait for one, and a second one would queue behind
     * MAAS's startup lock. Throws {@code MaasCliException} when the host cannot tell.
     */
    boolean migrateRunning();

    /**
     * The MAAS version installed, as the package manager of {@link #packaging()} prints it ({@code snap list maas}:
     * "3.5.4-16446-g.2a2f95a0f"; {@code dpkg-query -W -f=${Version} maas-region-api}: "1:3.5.4-0ubuntu1"), for
     * {@code maasversion.MaasVersion.parse}. Throws {@code MaasCliException} when MAAS is not installed that way.
     */
    String installedVersion();

    /** Restarts every process that holds a Vault client: {@code argv} is {@code MaasBehaviour.restartArgv()}. */
    void restartRegion(List<String> argv);

    /**
     * The MAAS services that are not running, as the service manager says: deb {@code systemctl is-active UNIT...}
     * over {@code units} ({@code MaasBehaviour.vaultConsumers()}); snap {@code snap services maas} (every service of
     * the snap, {@code units} unused: the snap runs all of MAAS's processes under one supervisor/pebble service, so
     * the host cannot tell one process from another). Empty when all run.
     */
    List<String> inactiveServices(List<String> units);

    List<FileStatus> statFiles(List<String> paths);

    /**
     * The role-id regiond.conf names ({@code vault_approle_id}; only that line is read), empty when it names none.
     * Throws {@code MaasCliException} when the file cannot be read.
     */
    java.util.Optional<String> regiondConfRoleId();

    /**
     * Owner, group and mode of each regular file, in one command, never following a symbolic link: one outcome per
     * path, in order (a changed file with its status afterwards). Throws {@code UnknownAccountException} when the
     * owner or group does not exist there (nothing changed).
     */
    List<FixOutcome> fixFiles(List<String> paths, String owner, String group, String mode);

    boolean userExists(String name);

    boolean groupExists(String name);

    /** The groups {@code user} is in ({@code id -nG}), its primary group first; empty when there is no such user. */
    List<String> groupsOf(String user);
}
