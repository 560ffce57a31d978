package org.ioreqsim.sim.run;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.vcpu.Outcome;

/**
 * What a run measured, gathered from every vCPU's workload: operations issued and completed, where
 * they were handled, how they ended, and their latency.
 *
 * <p>vCPU actors run on a few dispatcher threads, so each thread records into its own shard (counters,
 * per-route counts, an HdrHistogram) with plain writes, and readers merge the shards. The two running
 * counts are published with release writes, so {@link #completedCount()} may be read at any time; the
 * rest is read once the run has quiesced (every vCPU's last record happens-before its workload's
 * countdown, which happens-before the run's end).
 */
public final class RunMetrics {
    /** Latencies up to one hour, 3 significant digits, in nanoseconds. */
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final List<Shard> shards = new ArrayList<>();
    private final ThreadLocal<Shard> local = ThreadLocal.withInitial(this::newShard);

    /** One thread's records: written only by that thread. */
    private static final class Shard {
        private static final VarHandle ISSUED;
        private static final VarHandle COMPLETED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                ISSUED = l.findVarHandle(Shard.class, "issued", long.class);
                COMPLETED = l.findVarHandle(Shard.class, "completed", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
        /** Per route: completions, and of those the buffered writes. Routes are interned, so by identity. */
        final Map<Route, long[]> byRoute = new IdentityHashMap<>();
        final long[] byKind = new long[Outcome.Kind.values().length];
        @SuppressWarnings("unused")
        private long issued;
        @SuppressWarnings("unused")
        private long completed;

        void issued() {
            ISSUED.setRelease(this, (long) ISSUED.get(this) + 1);
        }

        void completed(Outcome.Kind kind, Route route, boolean buffered, long nanos) {
            COMPLETED.setRelease(this, (long) COMPLETED.get(this) + 1);
            long[] counts = byRoute.computeIfAbsent(route, r -> new long[2]);
            counts[0]++;
            if (buffered) {
                counts[1]++;
            }
            byKind[kind.ordinal()]++;
            latencies.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
        }

        long issuedCount() {
            return (long) ISSUED.getAcquire(this);
        }

        long completedCount() {
            return (long) COMPLETED.getAcquire(this);
        }
    }

    private synchronized Shard newShard() {
        Shard s = new Shard();
        shards.add(s);
        return s;
    }

    public void issued() {
        local.get().issued();
    }

    /** One operation ended after {@code nanos}. */
    public void completed(Outcome outcome, long nanos) {
        completed(outcome.kind(), outcome.route(), outcome.buffered(), nanos);
    }

    /** {@link #completed(Outcome, long)} from the outcome's fields. */
    public void completed(Outcome.Kind kind, Route route, boolean buffered, long nanos) {
        local.get().completed(kind, route, buffered, nanos);
    }

    public synchronized long issuedCount() {
        long n = 0;
        for (Shard s : shards) {
            n += s.issuedCount();
        }
        return n;
    }

    public synchronized long completedCount() {
        long n = 0;
        for (Shard s : shards) {
            n += s.completedCount();
        }
        return n;
    }

    public synchronized Map<String, Long> byRoute() {
        return routeSums(0);
    }

    public synchronized Map<String, Long> bufferedByRoute() {
        return routeSums(1);
    }

    public synchronized Map<String, Long> byKind() {
        Map<Outcome.Kind, Long> sums = new EnumMap<>(Outcome.Kind.class);
        for (Shard s : shards) {
            for (Outcome.Kind k : Outcome.Kind.values()) {
                if (s.byKind[k.ordinal()] > 0) {
                    sums.merge(k, s.byKind[k.ordinal()], Long::sum);
                }
            }
        }
        Map<String, Long> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /** All latencies merged; read it once the run has quiesced. */
    public synchronized Histogram latencies() {
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        for (Shard s : shards) {
            all.add(s.latencies);
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

    /** Per route key, the sum of counter {@code i}; routes whose count is zero are left out. */
    private Map<String, Long> routeSums(int i) {
        Map<String, Long> out = new TreeMap<>();
        for (Shard s : shards) {
            s.byRoute.forEach((r, c) -> {
                if (c[i] > 0) {
                    out.merge(r.key(), c[i], Long::sum);
                }
            });
        }
        return out;
    }
}
