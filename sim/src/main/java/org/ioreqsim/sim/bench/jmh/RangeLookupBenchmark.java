package org.ioreqsim.sim.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.RangeSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link RangeSet#containsRange} (Xen's {@code rangeset_contains_range}, what server selection asks of
 * every server) against sets of {@code ranges} disjoint ranges: a lookup is a binary search, so each
 * doubling of the ranges should add a constant, not multiply the time. Xen stores at most 256 ranges
 * per type per server; larger sets show the trend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RangeLookupBenchmark {
    private static final int PROBES = 1024;

    @Param({"32", "64", "128", "256", "512", "1024", "4096", "16384", "65536"})
    public int ranges;

    private RangeSet set;
    private long[] probes;
    private int next;

    @Setup
    public void setUp() {
        set = new RangeSet(ranges);
        for (long i = 0; i < ranges; i++) {
            set.add(i * 0x100, i * 0x100 + 0x7F);
        }
        SplittableRandom rng = new SplittableRandom(1);
        probes = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = rng.nextLong(ranges) * 0x100 + rng.nextInt(0x100);
        }
    }

    /** One lookup of a 4-byte access, half of them inside a range. */
    @Benchmark
    public boolean containsRange() {
        long a = probes[next++ & (PROBES - 1)];
        return set.containsRange(a, a + 3);
    }
}
