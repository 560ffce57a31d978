package org.ioreqsim.sim.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ioreqsim.domain.ServerSelection;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.XenOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code hvm_select_ioreq_server} through the model's own code ({@link ServerSelection} wraps the
 * domain's IoreqRouting): 8 servers, each with {@code rangesPerType} port, memory and PCI ranges
 * (Xen's limit is 256 per type). Accesses are spread over all servers' ranges, so selection scans up to
 * 8 servers and binary-searches each: doubling the ranges adds a constant per server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ServerSelectionBenchmark {
    private static final int SERVERS = 8;
    private static final int PROBES = 1024;
    private static final long PORT_BASE = 0x1000;
    private static final long MMIO_BASE = 0xE0000000L;

    @Param({"32", "64", "128", "256"})
    public int rangesPerType;

    private ServerSelection selection;
    private Ioreq[] probes;
    private int next;

    @Setup
    public void setUp() {
        selection = ServerSelection.withServers(SERVERS, XenOptions.SEED);
        for (int s = 0; s < SERVERS; s++) {
            for (int i = 0; i < rangesPerType; i++) {
                long k = (long) i * SERVERS + s;
                check(selection.map(s, RangeType.PORT, PORT_BASE + k * 16, PORT_BASE + k * 16 + 7));
                check(selection.map(s, RangeType.MEMORY, MMIO_BASE + k * 0x2000, MMIO_BASE + k * 0x2000 + 0xFFF));
                check(selection.map(s, RangeType.PCI, k << 3, k << 3));
            }
        }
        SplittableRandom rng = new SplittableRandom(1);
        probes = new Ioreq[PROBES];
        int n = SERVERS * rangesPerType;
        for (int i = 0; i < PROBES; i++) {
            long k = rng.nextInt(n);
            boolean mmio = rng.nextBoolean();
            long addr = mmio ? MMIO_BASE + k * 0x2000 + rng.nextInt(0x2000) & ~3L
                    : PORT_BASE + k * 16 + rng.nextInt(16);
            probes[i] = new Ioreq(addr, 0, 1, mmio ? 4 : 1, 0, IoreqState.READY, false, IoDirection.READ, false,
                    mmio ? IoreqType.COPY : IoreqType.PIO);
        }
    }

    private static void check(Errno e) {
        if (e != null) {
            throw new IllegalStateException("map_io_range failed: " + e.describe());
        }
    }

    /** One selection of a port or MMIO access; about half hit a range of some server. */
    @Benchmark
    public int select() {
        return selection.select(probes[next++ & (PROBES - 1)], 0);
    }
}
