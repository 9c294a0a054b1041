package io.maasops.security.regionhost;

/**
 * What a command on a region controller produced. {@code truncated} is true when stdout or stderr was longer
 * than the runner's output cap and was cut (the command itself still ran to its end).
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean truncated) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
