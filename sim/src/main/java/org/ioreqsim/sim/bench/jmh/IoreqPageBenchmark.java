package org.ioreqsim.sim.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One synchronous ioreq's trip through its shared-page slot ({@link IoreqPage}), single-threaded: Xen
 * publishes the request (READY), the emulator takes it (INPROCESS), loads it, answers (data, then
 * IORESP_READY), and the vCPU's completion reads the state and data and resets the slot (NONE).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IoreqPageBenchmark {
    private IoreqPage page;
    private Ioreq request;
    private long n;

    @Setup
    public void setUp() {
        page = new IoreqPage(new MachineMemory().allocate(0));
        request = new Ioreq(0x3FD, 0, 1, 1, 5, IoreqState.READY, false, IoDirection.READ, false, IoreqType.PIO);
    }

    @Benchmark
    public long slotRoundTrip() {
        int v = (int) (n++ & 63);
        page.store(v, request);
        page.setState(v, IoreqState.INPROCESS);
        Ioreq taken = page.load(v);
        page.setData(v, taken.addr() + n);
        page.setState(v, IoreqState.IORESP_READY);
        long data = page.state(v) == IoreqState.IORESP_READY ? page.data(v) : -1;
        page.setState(v, IoreqState.NONE);
        return data;
    }
}
