package org.ioreqsim.sim.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The event-channel work of one synchronous ioreq, single-threaded and without actors: Xen notifies
 * the emulator's port (pending, masked, one delivery), the emulator consumes and unmasks it through the
 * {@link Host} and sends on it, which delivers to Xen's end (the vCPU's wake-up). Deliveries go to a
 * counting consumer instead of an actor. The emulator lives in a stub domain (domid above 127).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventChannelBenchmark {
    private static final int GUEST = 1;
    private static final int STUBDOM = 200;

    private Host host;
    private EventChannelTable guest;
    private int xenPort;
    private int emulatorPort;

    @Setup
    public void setUp() {
        host = new Host();
        guest = new EventChannelTable(GUEST, 1023);
        EventChannelTable stub = new EventChannelTable(STUBDOM, 4095);
        GuestMemory none = new NoMemory();
        host.register(GUEST, guest, none);
        host.register(STUBDOM, stub, none);
        xenPort = guest.allocUnboundXen(0, STUBDOM, p -> CountingConsumer.consumer()).value();
        Result<Integer> bound = host.bindInterdomain(STUBDOM, GUEST, xenPort, p -> CountingConsumer.consumer());
        emulatorPort = bound.value();
        host.consume(STUBDOM, emulatorPort);
        host.unmask(STUBDOM, emulatorPort);
    }

    /** A guest with no RAM (the benchmark touches none). */
    private static final class NoMemory implements GuestMemory {
        @Override
        public boolean isPopulated(long gpa) {
            return false;
        }

        @Override
        public long read(long gpa, int size) {
            return -1;
        }

        @Override
        public void write(long gpa, int size, long value) {
        }

        @Override
        public org.ioreqsim.ioreq.page.Page frame(long gfn) {
            return null;
        }
    }

    @Benchmark
    public Object notifyConsumeUnmaskSend() {
        guest.notifyViaXen(xenPort);
        host.consume(STUBDOM, emulatorPort);
        host.unmask(STUBDOM, emulatorPort);
        return host.send(STUBDOM, emulatorPort);
    }
}
