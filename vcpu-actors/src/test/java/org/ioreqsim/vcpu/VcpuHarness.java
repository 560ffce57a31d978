package org.ioreqsim.vcpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * One {@link Vcpu} actor under test, with a {@link TestProbe} as its domain and hand-played ioreq
 * servers: what the domain does to the vCPU's {@link VcpuIo} on a send (spec 7.1) and what an
 * emulator does to the shared slot before it sends on its port (spec 7.2) are done here, on the test
 * thread, before the message that hands them over (EmulateIo one way, EventChannelNotified the other),
 * as the domain and the emulator do it in the model.
 */
final class VcpuHarness {
    static final int DOMID = 5;
    static final int VCPU = 3;
    /** How long a probe must stay silent for "nothing was sent". */
    static final Duration QUIET = Duration.ofMillis(150);
    static final List<Route> ROUTES =
            IntStream.range(0, Xen.MAX_NR_IOREQ_SERVERS).mapToObj(id -> Route.server(DOMID, id)).toList();

    final ActorTestKit kit;
    final VcpuIo io;
    final TestProbe<VcpuRequest> domain;
    final ActorRef<Vcpu.Command> vcpu;
    private final MachineMemory memory = new MachineMemory();
    private final IoreqVcpuEntry[] entries = new IoreqVcpuEntry[Xen.MAX_NR_IOREQ_SERVERS];

    VcpuHarness(ActorTestKit kit, XenOptions options, Workload workload) {
        this(kit, options, workload, ModelTracer.NONE);
    }

    /** A vCPU whose model events go to {@code tracer} (called on the vCPU's thread). */
    VcpuHarness(ActorTestKit kit, XenOptions options, Workload workload, ModelTracer tracer) {
        this.kit = kit;
        this.io = new VcpuIo(DOMID, VCPU, tracer);
        this.domain = kit.createTestProbe();
        this.vcpu = kit.spawn(Vcpu.create(DOMID, io, domain.ref(), workload, options, ROUTES));
    }

    VcpuHarness(ActorTestKit kit) {
        this(kit, XenOptions.SEED, Workload.IDLE);
    }

    static int port(int id) {
        return TestServers.port(id);
    }

    /** Creates server {@code id}'s entry for this vCPU, enabled ({@link TestServers#entry}). */
    IoreqVcpuEntry addServer(int id) {
        IoreqVcpuEntry e = TestServers.entry(memory, id, VCPU);
        entries[id] = e;
        io.setEntry(id, e);
        return e;
    }

    /** Server destroy's effect on the vCPU (spec 10.9 step 6): the entry and its pending flag are gone. */
    void destroyServer(int id) {
        io.setEntry(id, null);
        entries[id] = null;
    }

    IoreqPage slots(int id) {
        return TestServers.slots(entries[id]);
    }

    /** Hands {@code op} to the vCPU; its outcome arrives on the returned probe. */
    TestProbe<Outcome> run(GuestOp op) {
        TestProbe<Outcome> outcome = kit.createTestProbe();
        vcpu.tell(new Vcpu.Run(op, outcome.ref()));
        return outcome;
    }

    VcpuRequest.EmulateIo expectEmulateIo() {
        VcpuRequest.EmulateIo m = domain.expectMessageClass(VcpuRequest.EmulateIo.class);
        assertEquals(VCPU, m.vcpuId());
        return m;
    }

    /** The domain's send of {@code p} to server {@code id} ({@link TestServers#send}); no answer follows. */
    void send(int id, Ioreq p) {
        TestServers.send(io, entries[id], p);
    }

    /** Runs {@code op}, takes the domain's EmulateIo and sends its request to server {@code id}. */
    TestProbe<Outcome> runAndSend(GuestOp op, int id) {
        TestProbe<Outcome> outcome = run(op);
        send(id, expectEmulateIo().request());
        return outcome;
    }

    /**
     * The emulator's answer (spec 7.2 steps 2, 4 and 6): INPROCESS, the data, IORESP_READY, then a send
     * on its port, which wakes the vCPU blocked in Xen.
     */
    void answer(int id, long data) {
        TestServers.respond(entries[id], data);
        wake(id);
    }

    /** An event on server {@code id}'s port: Xen's consumer action wakes the vCPU (spec 4.3). */
    void wake(int id) {
        vcpu.tell(new Vcpu.EventChannelNotified(port(id)));
    }

    /**
     * The domain's answer when no emulator is involved (spec 5 steps 7, 8c and 8d): it sets the
     * latched state NONE, then answers.
     */
    void handled(IoStatus status, long data, long reps, Route route) {
        io.clearLatched();
        vcpu.tell(new Vcpu.IoHandled(status, data, reps, route, false));
    }

    /** The vCPU's snapshot; it also proves every message sent to the vCPU before it has been handled. */
    VcpuSnapshot inspect() {
        TestProbe<VcpuSnapshot> p = kit.createTestProbe();
        vcpu.tell(new Vcpu.Inspect(p.ref()));
        return p.receiveMessage();
    }

    VcpuState state() {
        return inspect().state();
    }

    /** The INVALIDATE broadcast request as {@code send_invalidate_req} builds it (spec 9). */
    static Ioreq invalidate() {
        return new Ioreq(0, ~0L, 0, 4, 0, IoreqState.READY, false, IoDirection.WRITE, false, IoreqType.INVALIDATE);
    }

    /** A workload from a fixed list that records its outcomes (called on the vCPU's thread). */
    static final class ListWorkload implements Workload {
        private final List<GuestOp> ops;
        private int next;
        final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        ListWorkload(GuestOp... ops) {
            this.ops = List.of(ops);
        }

        @Override
        public GuestOp next() {
            return next < ops.size() ? ops.get(next++) : null;
        }

        @Override
        public void completed(Outcome outcome) {
            outcomes.add(outcome);
        }
    }
}
