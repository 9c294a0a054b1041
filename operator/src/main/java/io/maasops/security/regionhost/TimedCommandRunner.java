package io.maasops.security.regionhost;

import io.maasops.security.util.CallTiming;
import io.maasops.security.util.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A {@link RegionCommandRunner} that tells {@link CallTiming} how long each command took on the controller,
 * labelled with {@link #operation} (a fixed name per kind of command, never an argument) and the outcome:
 * {@code success} (exit 0), {@code failure} (another exit code) or the {@link RegionAccessException.Kind}.
 */
public final class TimedCommandRunner implements RegionCommandRunner {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    private final RegionCommandRunner runner;
    private final CallTiming timing;

    private TimedCommandRunner(RegionCommandRunner runner, CallTiming timing) {
        this.runner = runner;
        this.timing = timing;
    }

    public static RegionCommandRunner wrap(RegionCommandRunner runner, CallTiming timing) {
        return timing == CallTiming.NONE ? runner : new TimedCommandRunner(runner, timing);
    }

    @Override
    public CommandResult run(List<String> argv, Secret stdin, Duration timeout) {
        String operation = operation(argv);
        long start = System.nanoTime();
        try {
            CommandResult r = runner.run(argv, stdin, timeout);
            timing.recordSafely(operation, r.exitCode() == 0 ? SUCCESS : FAILURE, start);
            return r;
        } catch (RegionAccessException e) {
            timing.recordSafely(operation, e.kind().name().toLowerCase(Locale.ROOT), start);
            throw e;
        } catch (RuntimeException e) {
            timing.recordSafely(operation, "error", start);
            throw e;
        }
    }

    @Override
    public String describe() {
        return runner.describe();
    }

    /**
     * What a command is, from its argument vector as {@link MaasCli} builds it (a data table of the commands the
     * operator runs; anything else is {@code other}).
     */
    public static String operation(List<String> argv) {
        if (argv.isEmpty()) {
            return "other";
        }
        String program = argv.get(0);
        if (program.equals("sh") && argv.size() > 2 && argv.get(2).contains(" config-vault configure ")) {
            return "config-vault configure";
        }
        if (program.equals("maas") && argv.size() > 2) {
            return switch (argv.get(1) + " " + argv.get(2)) {
                case "config-vault status", "config-vault migrate" -> argv.get(1) + " " + argv.get(2);
                default -> "maas other";
            };
        }
        return switch (program) {
            case "stat" -> "stat";
            case "python3" -> "fix-file";
            case "getent" -> "getent";
            case "snap", "systemctl" -> argv.size() > 1 && argv.get(1).equals("restart") ? "restart" : "other";
            default -> "other";
        };
    }
}
