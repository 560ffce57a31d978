package org.ioreqsim.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.vcpu.Outcome;

/**
 * What a run measured, gathered from every vCPU's workload: operations issued and completed, where
 * they were handled, how they ended, and their latency. Latencies go to one HdrHistogram per thread
 * (vCPU actors run on a few dispatcher threads), merged when the run is read.
 */
public final class RunMetrics {
    /** Latencies up to one hour, 3 significant digits, in nanoseconds. */
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final LongAdder issued = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bufferedByRoute = new ConcurrentHashMap<>();
    private final Map<Outcome.Kind, LongAdder> byKind = new ConcurrentHashMap<>();
    private final List<Histogram> histograms = new ArrayList<>();
    private final ThreadLocal<Histogram> local = ThreadLocal.withInitial(this::newHistogram);

    private synchronized Histogram newHistogram() {
        Histogram h = new Histogram(HIGHEST_NANOS, 3);
        histograms.add(h);
        return h;
    }

    public void issued() {
        issued.increment();
    }

    /** One operation ended after {@code nanos}. */
    public void completed(Outcome outcome, long nanos) {
        completed.increment();
        byRoute.computeIfAbsent(outcome.route().key(), k -> new LongAdder()).increment();
        if (outcome.buffered()) {
            bufferedByRoute.computeIfAbsent(outcome.route().key(), k -> new LongAdder()).increment();
        }
        byKind.computeIfAbsent(outcome.kind(), k -> new LongAdder()).increment();
        local.get().recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    public long issuedCount() {
        return issued.sum();
    }

    public long completedCount() {
        return completed.sum();
    }

    public Map<String, Long> byRoute() {
        return sums(byRoute);
    }

    public Map<String, Long> bufferedByRoute() {
        return sums(bufferedByRoute);
    }

    public Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        byKind.forEach((k, v) -> out.put(k.name(), v.sum()));
        return out;
    }

    /** All latencies merged; read it once the run has quiesced. */
    public synchronized Histogram latencies() {
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        for (Histogram h : histograms) {
            all.add(h);
        }
        return all;
    }

    /** Route key ordering for reports: servers, then Xen's devices, then the null handler. */
    public static int routeOrder(String key) {
        if (key.startsWith("server-")) {
            return 0;
        }
        return key.startsWith("xen-") ? 1 : key.equals(Route.NULL_HANDLER.key()) ? 2 : 3;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
