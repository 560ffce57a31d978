package org.ioreqsim.sim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Completions and latencies of a reference loop, recorded the way {@code RunMetrics} records the
 * simulator's: a counter and one HdrHistogram per dispatcher thread, merged when read.
 */
final class Latencies {
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final LongAdder completed = new LongAdder();
    private final List<Histogram> histograms = new ArrayList<>();
    private final ThreadLocal<Histogram> local = ThreadLocal.withInitial(this::newHistogram);

    private synchronized Histogram newHistogram() {
        Histogram h = new Histogram(HIGHEST_NANOS, 3);
        histograms.add(h);
        return h;
    }

    void record(long nanos) {
        completed.increment();
        local.get().recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    long completed() {
        return completed.sum();
    }

    /** All latencies merged; read once the loop has stopped. */
    synchronized Histogram merged() {
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        histograms.forEach(all::add);
        return all;
    }
}
