package io.maasops.security.reliability;

import io.maasops.security.testing.MaasTestbed;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts `maas config-vault migrate` commands on a testbed's region hosts (their command logs),
 * and notes how many had been sent when one of them moved MAAS's secrets, through MAAS's
 * next-migrate hooks. The hooks are MAAS's own: one test sets them once, through {@link #watch}.
 */
final class MigrationLedger {

    private final MaasTestbed testbed;
    private final AtomicInteger commandsWhenMigrated = new AtomicInteger();

    private MigrationLedger(MaasTestbed testbed) {
        this.testbed = testbed;
    }

    /**
     * @param before run as the next migrate starts (holding MAAS's migration lock), or null
     * @param after run once a migrate has moved the secrets, before it reports success, or null
     */
    static MigrationLedger watch(MaasTestbed testbed, Runnable before, Runnable after) {
        MigrationLedger ledger = new MigrationLedger(testbed);
        testbed.maas().onNextMigrate(before, () -> {
            ledger.commandsWhenMigrated.set(ledger.migrateCommands());
            if (after != null) {
                after.run();
            }
        });
        return ledger;
    }

    static MigrationLedger watch(MaasTestbed testbed) {
        return watch(testbed, null, null);
    }

    static int migrateCommands(MaasTestbed testbed) {
        return (int) testbed.hosts().stream()
                .flatMap(h -> h.commandLog().stream())
                .filter(l -> l.contains("maas config-vault migrate"))
                .count();
    }

    /** Migrate commands sent so far, on every host. */
    int migrateCommands() {
        return migrateCommands(testbed);
    }

    /** Migrate commands sent when the secrets moved (including that one); 0 while they have not. */
    int commandsWhenMigrated() {
        return commandsWhenMigrated.get();
    }
}
