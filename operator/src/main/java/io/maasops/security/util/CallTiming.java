package io.maasops.security.util;

/**
 * Where an adapter (Vault transport, MAAS API client, region command runner) reports how long one
 * call to its external system took. {@code operation} and {@code outcome} must come from a bounded
 * set (they become metric labels): never a path, a host or remote text. Must be fast and must not throw.
 */
@FunctionalInterface
public interface CallTiming {

    CallTiming NONE = (operation, outcome, nanos) -> {};

    void record(String operation, String outcome, long nanos);

    /** Records without ever letting a metrics failure break the call it measured. */
    default void recordSafely(String operation, String outcome, long startNanos) {
        try {
            record(operation, outcome, System.nanoTime() - startNanos);
        } catch (RuntimeException ignored) {
            // metrics must never break a call
        }
    }
}
