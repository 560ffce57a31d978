package org.ioreqsim.sim.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The steady-state rate of a closed loop: completions between 20% and 90% of its duration, so that
 * neither the ramp-up (every client's first request) nor the drain (the last replies after the
 * deadline) counts. With a million clients in flight one round trip takes a good part of a second, and
 * a whole-run average would mostly measure those transients.
 */
final class Window {
    static final double FROM = 0.2;
    static final double TO = 0.9;

    private Window() {
    }

    /** What a closed loop's caller does while the loop runs: measure, or watch, and give the rate (-1: none). */
    @FunctionalInterface
    interface Watch {
        double watch(long start, Duration duration, LongSupplier completed);
    }

    /** Sleeps to the window's start and end (relative to {@code start}); the rate per second, or -1. */
    static double measure(long start, Duration duration, LongSupplier completed) {
        long d = duration.toNanos();
        sleepUntil(start + (long) (d * FROM));
        long t1 = System.nanoTime();
        long c1 = completed.getAsLong();
        sleepUntil(start + (long) (d * TO));
        long t2 = System.nanoTime();
        long c2 = completed.getAsLong();
        return c2 > c1 && t2 > t1 ? (c2 - c1) * 1e9 / (t2 - t1) : -1;
    }

    /** Parks the calling thread until {@code System.nanoTime()} reaches {@code deadline}. */
    static void sleepUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
