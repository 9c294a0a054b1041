package io.maasops.security.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's clock in tests: it runs with real time (so retries and backoffs scheduled by
 * JOSDK's real timers come due) and tests jump it forward to reach an expiry or an interval.
 */
public final class MutableClock extends Clock {

    private final Clock real;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private MutableClock(Clock real) {
        this.real = real;
    }

    public static MutableClock startingNow() {
        return new MutableClock(Clock.systemUTC());
    }

    /** Stands still except when moved: for tests that compare a time the code recorded with the clock's reading. */
    public static MutableClock frozenNow() {
        return new MutableClock(Clock.fixed(Instant.now(), ZoneOffset.UTC));
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    /** Makes the clock read {@code instant} now, and run on from there. */
    public void set(Instant instant) {
        offset.set(Duration.between(real.instant(), instant));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return real.instant().plus(offset.get());
    }
}
