package org.ioreqsim.sim.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.ServerPage;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.IoreqVcpuEntry;
import org.ioreqsim.vcpu.VcpuIo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The model state of one synchronous PIO read, single-threaded and without actors: the vCPU latches
 * it ({@link VcpuIo#begin}), Xen's send marks the entry pending and publishes the slot, the emulator
 * answers through the page, the vCPU's completion consumes the answer and re-executes the access.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VcpuIoBenchmark {
    private static final int PORT = 5;

    private VcpuIo io;
    private IoreqVcpuEntry entry;
    private IoreqPage slots;
    private final GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);

    @Setup
    public void setUp() {
        ServerPage page = new ServerPage();
        page.set(new MachineMemory().allocate(0), Xen.INVALID_GFN);
        slots = page.ioreqPage();
        slots.setVpEport(0, PORT);
        io = new VcpuIo(1, 0, ModelTracer.NONE);
        entry = new IoreqVcpuEntry(0, 0, PORT, page);
        io.setEntry(0, entry);
    }

    @Benchmark
    public Object ioreq() {
        VcpuIo.Send send = (VcpuIo.Send) io.begin(read);
        io.startShutdownDeferral();
        entry.setPending(true);
        io.markSentToServer();
        slots.store(0, send.request().withPortAndState(PORT, IoreqState.READY));
        slots.setState(0, IoreqState.INPROCESS);
        slots.setData(0, 0x60);
        slots.setState(0, IoreqState.IORESP_READY);
        io.complete(false);
        return io.begin(read);
    }
}
