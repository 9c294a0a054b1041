package io.maasops.security.concern;

/**
 * Writes the status built so far, mid-reconcile, for a fact that must survive a crash before the
 * reconcile ends (an issued secret-id's accessor, "migration running"). Implemented by the one
 * status writer, {@code controller.StatusRecorder}; throws when the write fails.
 */
@FunctionalInterface
public interface Checkpoint {
    void persist();
}
