package io.maasops.security.testing.vault;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection for the Vault double: latency, connection resets, a 500 on the Nth request to a path,
 * down/up, and a held answer (the request took effect; its caller waits until the test releases it).
 */
public final class VaultFaults {
    private int intercepts;
    private final java.util.List<String> intercepted = new java.util.ArrayList<>();
    private final VaultDouble owner;
    private volatile Duration latency = Duration.ZERO;
    private int resets;
    private final Map<String, Integer> failAt = new HashMap<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private Hold hold;

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

    /**
     * The next response-wrapped answer is intercepted: somebody else unwraps its token right after
     * Vault created it (as an attacker who read it from a command line or a log would), so the
     * rightful receiver finds it already used. The intercepted tokens' accessors are kept.
     */
    public synchronized VaultFaults interceptNextWrappedToken() {
        intercepts++;
        return this;
    }

    /** Wrapping-token accessors taken by {@link #interceptNextWrappedToken}. */
    public synchronized java.util.List<String> intercepted() {
        return java.util.List.copyOf(intercepted);
    }

    synchronized boolean takeIntercept() {
        if (intercepts > 0) {
            intercepts--;
            return true;
        }
        return false;
    }

    synchronized void recordIntercepted(String accessor) {
        intercepted.add(accessor);
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

    /**
     * The answer to the next {@code method} request whose path starts with {@code pathPrefix} is held: Vault has
     * done what was asked (and logged it), but the caller waits until {@link Hold#release()}, or 30 s. A fault
     * point "between a Vault call and what its caller does next" (e.g. MAAS's configure after its last Vault call,
     * before it writes regiond.conf).
     */
    public synchronized Hold holdNextAnswer(String method, String pathPrefix) {
        hold = new Hold(method, pathPrefix);
        return hold;
    }

    public synchronized VaultFaults clear() {
        latency = Duration.ZERO;
        resets = 0;
        failAt.clear();
        seen.clear();
        if (hold != null) {
            hold.release();
            hold = null;
        }
        return this;
    }

    /** A held answer: {@link #awaitHeld} until a caller waits, then {@link #release}. */
    public static final class Hold {
        private static final Duration LIMIT = Duration.ofSeconds(30);
        private final String method;
        private final String pathPrefix;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        Hold(String method, String pathPrefix) {
            this.method = method;
            this.pathPrefix = pathPrefix;
        }

        /** True once a matching request was answered by Vault and its caller is waiting. */
        public boolean awaitHeld(Duration timeout) {
            try {
                return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        public void release() {
            released.countDown();
        }

        void block() {
            held.countDown();
            try {
                released.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS); // bounded, like every fault here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A floor under every answer's delay for a stress run of the whole suite ({@code mvn verify
     * -Dvault.double.minLatencyMs=100}): a slow Vault reorders the operator's parts, which is how a test that
     * assumed one order was found (README, "Development"). 0, the default, leaves every test as written.
     */
    private static final Duration FLOOR = Duration.ofMillis(Long.getLong("vault.double.minLatencyMs", 0));

    Duration latency() {
        return latency.compareTo(FLOOR) > 0 ? latency : FLOOR;
    }

    synchronized boolean takeReset() {
        if (resets > 0) {
            resets--;
            return true;
        }
        return false;
    }

    /** The hold for this request, taken (each hold applies once), or null. */
    synchronized Hold takeHold(String method, String path) {
        if (hold != null && hold.method.equals(method) && path.startsWith(hold.pathPrefix)) {
            Hold h = hold;
            hold = null;
            return h;
        }
        return null;
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
