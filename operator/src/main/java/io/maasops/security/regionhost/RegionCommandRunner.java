package io.maasops.security.regionhost;

import io.maasops.security.util.Secret;
import java.time.Duration;
import java.util.List;

/**
 * Runs one command on one region controller. The command is an argument vector; implementations never build
 * a shell string by concatenation (SSH quotes every word with {@link ShellQuoting}; pod exec passes the vector
 * as is). Implementations must not log the arguments or the input. Secrets travel only as input (stdin), never
 * as arguments: arguments end up in SSH exec requests, sudo's log and Kubernetes exec URLs.
 */
public interface RegionCommandRunner {
    /** Default cap on captured stdout and stderr (each). MAAS commands print a few lines. */
    int DEFAULT_OUTPUT_CAP_BYTES = 256 * 1024;

    /**
     * Runs {@code argv} and waits at most {@code timeout} for it to finish; nothing is written to its input.
     *
     * @throws RegionAccessException when the command could not be run or did not finish in time
     */
    default CommandResult run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    /**
     * Runs {@code argv} with {@code stdin} (when not null) written to its standard input, and waits at most
     * {@code timeout} for it to finish. Over SSH the input is then closed (EOF); the Kubernetes exec protocol
     * (v4) has no way to close it, so a command must not wait for EOF.
     *
     * @throws RegionAccessException when the command could not be run or did not finish in time
     */
    CommandResult run(List<String> argv, Secret stdin, Duration timeout);

    /** A short, secret-free description of the target for messages, e.g. {@code ssh ubuntu@10.0.0.11:22}. */
    String describe();
}
