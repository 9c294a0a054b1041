package io.maasops.security.testing.fakes;

import io.maasops.security.port.RegionShell;
import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.MigrationOutcome;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One region controller's MAAS CLI, in memory: configure records the wrapped token it got (the region
 * "unwraps" it: the token is then spent) and makes `config-vault status` report Vault enabled. An
 * unreachable controller refuses every command as the transport does ({@link RegionAccessException}).
 */
public final class FakeRegionShell implements RegionShell {

    private final String hostname;
    private final MaasPackaging packaging;
    public final List<String> commands = new ArrayList<>();
    public final List<String> tokensReceived = new ArrayList<>();
    public boolean vaultEnabled;
    /** Groups {@code getent group} does not find. */
    public final java.util.Set<String> unknownGroups = new java.util.HashSet<>();

    private RegionAccessException failure;

    public FakeRegionShell(String hostname, MaasPackaging packaging) {
        this.hostname = hostname;
        this.packaging = packaging;
    }

    public FakeRegionShell unreachable() {
        failure = new RegionAccessException(
                RegionAccessException.Kind.UNREACHABLE, "ssh " + hostname + ":22: connection refused");
        return this;
    }

    public FakeRegionShell reachable() {
        failure = null;
        return this;
    }

    private void run(String command) {
        commands.add(command);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public MaasPackaging packaging() {
        return packaging;
    }

    @Override
    public void configureVault(URI vaultUrl, String roleId, Secret wrappedToken, String secretsPath, String mount) {
        run("config-vault configure");
        tokensReceived.add(wrappedToken.reveal());
        regiondConfRoleId = roleId;
        vaultEnabled = true;
    }

    @Override
    public VaultStatus vaultStatus() {
        run("config-vault status");
        return new VaultStatus(vaultEnabled, vaultEnabled ? List.of() : List.of(hostname));
    }

    @Override
    public MigrationOutcome migrate() {
        run("config-vault migrate");
        return new MigrationOutcome(
                MigrationOutcome.Result.SUCCEEDED, "Successfully migrated cluster secrets to Vault", List.of());
    }

    /** What {@code pgrep} finds: a {@code config-vault migrate} running on the host. */
    public boolean migrateRunning;

    @Override
    public boolean migrateRunning() {
        run("pgrep config-vault migrate");
        return migrateRunning;
    }

    /** What {@code snap list maas} / {@code dpkg-query} print; a test may change it. */
    public String installedVersion = "3.8.0-17000-g.0123456789";

    public final List<List<String>> restarts = new ArrayList<>();

    /** When set, the package manager says MAAS is not installed this way. */
    public io.maasops.security.regionhost.MaasCliException installedVersionFailure;

    @Override
    public String installedVersion() {
        run("version");
        if (installedVersionFailure != null) {
            throw installedVersionFailure;
        }
        return installedVersion;
    }

    @Override
    public void restartRegion(List<String> argv) {
        run("restart");
        restarts.add(List.copyOf(argv));
    }

    /** What {@link #inactiveServices} answers; a test may change it. */
    public List<String> inactiveServices = new ArrayList<>();

    @Override
    public List<String> inactiveServices(List<String> units) {
        run("services");
        return List.copyOf(inactiveServices);
    }

    @Override
    public List<String> groupsOf(String user) {
        run("id -nG " + user);
        return List.of(user);
    }

    /** The vault_approle_id regiond.conf holds (configure writes it); a test may change it. */
    public String regiondConfRoleId;

    @Override
    public java.util.Optional<String> regiondConfRoleId() {
        run("grep vault_approle_id");
        return java.util.Optional.ofNullable(regiondConfRoleId);
    }

    @Override
    public List<FileStatus> statFiles(List<String> paths) {
        run("stat");
        return List.of();
    }

    @Override
    public List<io.maasops.security.regionhost.FixOutcome> fixFiles(
            List<String> paths, String owner, String group, String mode) {
        run("fix " + String.join(" ", paths));
        return paths.stream()
                .map(p -> new io.maasops.security.regionhost.FixOutcome(
                        p,
                        io.maasops.security.regionhost.FixOutcome.Kind.CHANGED,
                        new FileStatus(p, true, mode, owner, group),
                        null))
                .toList();
    }

    @Override
    public boolean userExists(String name) {
        run("id " + name);
        return true;
    }

    @Override
    public boolean groupExists(String name) {
        run("getent group " + name);
        return !unknownGroups.contains(name);
    }
}
