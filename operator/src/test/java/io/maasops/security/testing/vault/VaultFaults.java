package io.maasops.security.testing.vault;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Fault injection for the Vault double: latency, connection resets, a 500 on the Nth request to a path, down/up. */
public final class VaultFaults {
    private final VaultDouble owner;
    private volatile Duration latency = Duration.ZERO;
    private int resets;
    private final Map<String, Integer> failAt = new HashMap<>();
    private final Map<String, Integer> seen = new HashMap<>();

    VaultFaults(VaultDouble owner) {
        this.owner = owner;
    }

    /** Every answer is delayed by this much. */
    public VaultFaults latency(Duration d) {
        latency = d;
        return this;
    }

    /** The next {@code n} requests get their connection closed without an answer. */
    public synchronized VaultFaults resetNextConnections(int n) {
        resets = n;
        return this;
    }

    /**
     * The Nth request (counting from now, 1-based) to {@code path} (e.g. "/v1/auth/approle/login", no query)
     * answers 500 {@code {"errors":["1 error occurred:\n\t* internal error\n\n"]}}.
     */
    public synchronized VaultFaults failNthRequest(String path, int n) {
        failAt.put(path, n);
        seen.put(path, 0);
        return this;
    }

    /** Stops accepting connections (connection refused) until {@link #up()}; the port is kept. */
    public VaultFaults down() {
        owner.stopListening();
        return this;
    }

    public VaultFaults up() {
        owner.startListening();
        return this;
    }

    public synchronized VaultFaults clear() {
        latency = Duration.ZERO;
        resets = 0;
        failAt.clear();
        seen.clear();
        return this;
    }

    Duration latency() {
        return latency;
    }

    synchronized boolean takeReset() {
        if (resets > 0) {
            resets--;
            return true;
        }
        return false;
    }

    synchronized boolean shouldFail(String path) {
        Integer n = failAt.get(path);
        if (n == null) {
            return false;
        }
        int count = seen.merge(path, 1, Integer::sum);
        if (count == n) {
            failAt.remove(path);
            return true;
        }
        return false;
    }
}
