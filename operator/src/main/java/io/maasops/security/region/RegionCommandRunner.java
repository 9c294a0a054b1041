package io.maasops.security.region;

import java.time.Duration;
import java.util.List;

/**
 * Runs one command on one region controller. The command is an argument vector; implementations never build
 * a shell string by concatenation (SSH quotes every word with {@link ShellQuoting}; pod exec passes the vector
 * as is). Implementations must not log the arguments: MAAS's own procedure passes a wrapped token as one.
 */
public interface RegionCommandRunner {
    /** Default cap on captured stdout and stderr (each). MAAS commands print a few lines. */
    int DEFAULT_OUTPUT_CAP_BYTES = 256 * 1024;

    /**
     * Runs {@code argv} and waits at most {@code timeout} for it to finish.
     *
     * @throws RegionAccessException when the command could not be run or did not finish in time
     */
    CommandResult run(List<String> argv, Duration timeout);

    /** A short, secret-free description of the target for messages, e.g. {@code ssh ubuntu@10.0.0.11:22}. */
    String describe();
}
