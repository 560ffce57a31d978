package org.ioreqsim.ioreq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.BufioreqMode;
import org.ioreqsim.ioreq.Errno;
import org.ioreqsim.ioreq.HvmParam;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.Result;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.ioreq.evtchn.EventChannel;
import org.ioreqsim.ioreq.evtchn.EventChannelConsumer;
import org.ioreqsim.ioreq.evtchn.EventChannelTable;
import org.ioreqsim.ioreq.host.Host;
import org.ioreqsim.ioreq.hypercall.DmOp;
import org.ioreqsim.ioreq.hypercall.Hypercall;
import org.ioreqsim.ioreq.hypercall.HypercallOutput;
import org.ioreqsim.ioreq.hypercall.HypercallRequest;
import org.ioreqsim.ioreq.hypercall.HypercallResult;
import org.ioreqsim.ioreq.page.BufferedIoreqPage;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.IoreqPage;
import org.ioreqsim.ioreq.page.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator actor alone, with a probe playing Xen: each hypercall of QEMU's start-up is checked and
 * answered by hand (spec 15), so every start-up state is reached, and so are its failures (an errno
 * answer, a frame that cannot be mapped, a port that cannot be bound). Then the upcall loop: a
 * synchronous request (spec 7.2), the buffered ring (spec 8.4, drained before a synchronous request as
 * spec 15 requires), destroy, crash and a fatal upcall (spec 4.5: Xen's ends become UNBOUND).
 */
class IoreqServerTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final int DOM0 = 0;
    static final int GUEST = 1;
    static final int SERVER_ID = 1;
    static final int UART = 0x3F8;
    static final Duration QUIET = Duration.ofMillis(200);

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** A guest's side of the world as Xen would have set it up for a server with two vCPUs. */
    static final class Guest {
        final Host host = new Host();
        final EventChannelTable dom0 = new EventChannelTable(DOM0, 1023);
        final EventChannelTable target = new EventChannelTable(GUEST, 1023);
        final Frames frames = new Frames();
        final Page ioreqPage = host.memory().allocate(GUEST);
        final Page bufioreqPage = host.memory().allocate(GUEST);
        final IoreqPage slots = new IoreqPage(ioreqPage);
        final BufferedIoreqPage ring = new BufferedIoreqPage(bufioreqPage);
        /** Xen's default action on its ports: what the vCPU (or, for the bufioreq port, nobody) sees. */
        final TestProbe<String> woken;
        final int[] vcpuPorts = new int[2];
        final int bufioreqPort;
        final RegisterFilePortDevice uart = new RegisterFilePortDevice("uart", 8).preset(5, 0x60);
        final DeviceMap devices = DeviceMap.builder().port(UART, 8, uart).build();
        final TestProbe<HypercallRequest> xen;
        final TestProbe<EmulatorEvent> events;

        /** The test kit this guest's probes and emulators live in (another test class may bring its own). */
        final ActorTestKit kit;

        Guest() {
            this(IoreqServerTest.kit);
        }

        Guest(ActorTestKit kit) {
            this.kit = kit;
            woken = kit.createTestProbe();
            xen = kit.createTestProbe();
            events = kit.createTestProbe();
            host.register(DOM0, dom0, new Frames());
            host.register(GUEST, target, frames);
            for (int v = 0; v < vcpuPorts.length; v++) {
                String name = "vcpu" + v;
                vcpuPorts[v] = target.allocUnboundXen(v, DOM0, p -> new EventChannelConsumer<>(woken.ref(), name))
                        .value();
                slots.setVpEport(v, vcpuPorts[v]);
            }
            bufioreqPort = target.allocUnboundXen(0, DOM0, p -> new EventChannelConsumer<>(woken.ref(), "bufioreq"))
                    .value();
        }

        EmulatorConfig qemu() {
            return EmulatorConfig.qemu(DOM0, GUEST, devices, vcpuPorts.length);
        }

        ActorRef<IoreqServer.Command> spawn(EmulatorConfig config) {
            ActorRef<IoreqServer.Command> qemu = kit.spawn(IoreqServer.create(config, host, xen.ref(), events.ref()));
            qemu.tell(IoreqServer.Start.INSTANCE);
            return qemu;
        }

        /** The next hypercall must be {@code call}, made by dom0. */
        HypercallRequest expect(Hypercall call) {
            HypercallRequest r = xen.expectMessageClass(HypercallRequest.class);
            assertEquals(call, r.call());
            assertEquals(DOM0, r.callerDomid());
            return r;
        }

        HypercallRequest expect(DmOp op) {
            return expect(Hypercall.DmOpHypercall.of(GUEST, op));
        }

        void answer(HypercallRequest r, HypercallOutput out) {
            r.replyTo().tell(new HypercallResult(r.seq(), Result.ok(out)));
        }

        void fail(HypercallRequest r, Errno errno) {
            r.replyTo().tell(new HypercallResult(r.seq(), Result.err(errno)));
        }

        /** create -> acquire_resource -> get_ioreq_server_info(no gfns): the pages are mapped. */
        void createAndMap() {
            answer(expect(new DmOp.CreateIoreqServer(BufioreqMode.ATOMIC.code())),
                    new HypercallOutput.IoreqServerId(SERVER_ID));
            answer(expect(Hypercall.AcquireResource.ioreqServer(GUEST, SERVER_ID, Xen.RESOURCE_FRAME_BUFIOREQ, 2)),
                    new HypercallOutput.ResourceFrames(List.of(bufioreqPage.mfn(), ioreqPage.mfn()), 2));
            answer(expect(new DmOp.GetIoreqServerInfo(SERVER_ID, Xen.DMOP_NO_GFNS)),
                    new HypercallOutput.IoreqServerInfo(bufioreqPort, 0, 0));
        }

        /** The whole of QEMU's start-up, answered as Xen answers it; returns the Started fact. */
        EmulatorEvent.Started start(ActorRef<IoreqServer.Command> qemu) {
            createAndMap();
            answer(expect(new DmOp.SetIoreqServerState(SERVER_ID, true)), HypercallOutput.None.INSTANCE);
            answer(expect(new DmOp.MapIoRangeToIoreqServer(SERVER_ID, RangeType.PORT.code(), UART, UART + 7)),
                    HypercallOutput.None.INSTANCE);
            return events.expectMessageClass(EmulatorEvent.Started.class);
        }

        EmulatorStats stats(ActorRef<IoreqServer.Command> qemu) {
            TestProbe<EmulatorStats> p = kit.createTestProbe();
            qemu.tell(new IoreqServer.GetStats(p.ref()));
            return p.receiveMessage();
        }

        /** Xen's send (spec 7.1 steps 5-8): the request with state NONE, then READY, then the notification. */
        void sendSynchronous(int vcpu, Ioreq p) {
            slots.store(vcpu, p.withPortAndState(vcpuPorts[vcpu], IoreqState.NONE));
            slots.setState(vcpu, IoreqState.READY);
            target.notifyViaXen(vcpuPorts[vcpu]);
        }

        /** Xen's buffered producer (spec 8.2): slot, then write pointer, then the bufioreq notification. */
        void sendBuffered(long port, long value) {
            int wp = ring.writePointer();
            ring.setSlotAt(wp, BufferedIoreqPage.encodeSlot(IoreqType.PIO.code(), 0, 0, port, value));
            ring.setWritePointer(wp + 1);
            target.notifyViaXen(bufioreqPort);
        }
    }

    static Ioreq pioRead(long port) {
        return new Ioreq(port, 0, 1, 1, 0, IoreqState.NONE, false, IoDirection.READ, false, IoreqType.PIO);
    }

    @Test
    void startUpMakesQemusHypercallsInOrderThenReportsTheBoundPorts() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        EmulatorEvent.Started started = g.start(qemu);

        assertEquals(SERVER_ID, started.serverId());
        assertEquals(g.bufioreqPort, started.bufioreqPort(), "the bufioreq port get_ioreq_server_info reported");
        assertEquals(2, started.localPorts().size(), "one local port per vCPU whose vp_eport is set");
        for (int v = 0; v < 2; v++) {
            EventChannel xenEnd = g.target.port(g.vcpuPorts[v]);
            assertEquals(EventChannel.State.INTERDOMAIN, xenEnd.state(), "vCPU " + v + "'s port bound (spec 4.2)");
        }
        assertEquals(EventChannel.State.INTERDOMAIN, g.target.port(g.bufioreqPort).state());
        EmulatorStats stats = g.stats(qemu);
        assertEquals(2, stats.spuriousUpcalls(), "the bind's pending events found no READY request (spec 7.2 step 1)");
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void withoutResourceMappingThePagesAreMappedByTheGfnsGetInfoReports() {
        Guest g = new Guest();
        g.frames.put(0xFEFFD, g.ioreqPage);
        g.frames.put(0xFEFFB, g.bufioreqPage);
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu().withResourceMapping(false));
        g.answer(g.expect(new DmOp.CreateIoreqServer(BufioreqMode.ATOMIC.code())),
                new HypercallOutput.IoreqServerId(SERVER_ID));
        g.answer(g.expect(new DmOp.GetIoreqServerInfo(SERVER_ID, 0)),
                new HypercallOutput.IoreqServerInfo(g.bufioreqPort, 0xFEFFD, 0xFEFFB));
        g.answer(g.expect(new DmOp.SetIoreqServerState(SERVER_ID, true)), HypercallOutput.None.INSTANCE);
        g.answer(g.expect(new DmOp.MapIoRangeToIoreqServer(SERVER_ID, RangeType.PORT.code(), UART, UART + 7)),
                HypercallOutput.None.INSTANCE);
        assertEquals(2, g.events.expectMessageClass(EmulatorEvent.Started.class).localPorts().size(),
                "the vp_eports were read from the page mapped by gfn (spec 11.1)");
    }

    @Test
    void onTheDefaultServerItReadsParams5And6And26AndRegistersNothing() {
        Guest g = new Guest();
        g.frames.put(0xFEFFD, g.ioreqPage);
        g.frames.put(0xFEFFB, g.bufioreqPage);
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu().withDefaultServer(true));
        g.answer(g.expect(new Hypercall.GetParam(GUEST, HvmParam.IOREQ_PFN)), new HypercallOutput.ParamValue(0xFEFFD));
        g.answer(g.expect(new Hypercall.GetParam(GUEST, HvmParam.BUFIOREQ_PFN)),
                new HypercallOutput.ParamValue(0xFEFFB));
        g.answer(g.expect(new Hypercall.GetParam(GUEST, HvmParam.BUFIOREQ_EVTCHN)),
                new HypercallOutput.ParamValue(g.bufioreqPort));
        EmulatorEvent.Started started = g.events.expectMessageClass(EmulatorEvent.Started.class);
        assertEquals(Xen.DEFAULT_IOSERVID, started.serverId(), "spec 14: the default server");
        assertEquals(g.bufioreqPort, started.bufioreqPort(), "param 26");
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void anErrnoAnswerToCreateAbortsTheStartAndStopsTheEmulator() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.fail(g.expect(new DmOp.CreateIoreqServer(BufioreqMode.ATOMIC.code())), Errno.ENOSPC);
        assertEquals(new EmulatorEvent.StartFailed(GUEST, "create", Errno.ENOSPC), g.events.receiveMessage(),
                "spec 10.2: all server ids in use");
        g.events.expectTerminated(qemu);
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void anErrnoAnswerLaterInTheStartNamesThatStep() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.createAndMap();
        g.answer(g.expect(new DmOp.SetIoreqServerState(SERVER_ID, true)), HypercallOutput.None.INSTANCE);
        g.fail(g.expect(new DmOp.MapIoRangeToIoreqServer(SERVER_ID, RangeType.PORT.code(), UART, UART + 7)),
                Errno.EEXIST);
        assertEquals(new EmulatorEvent.StartFailed(GUEST, "map_io_range uart", Errno.EEXIST),
                g.events.receiveMessage(), "spec 10.4: the range overlaps one already mapped");
        g.events.expectTerminated(qemu);
    }

    @Test
    void aFrameThatCannotBeMappedAbortsTheStart() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.answer(g.expect(new DmOp.CreateIoreqServer(BufioreqMode.ATOMIC.code())),
                new HypercallOutput.IoreqServerId(SERVER_ID));
        g.answer(g.expect(Hypercall.AcquireResource.ioreqServer(GUEST, SERVER_ID, Xen.RESOURCE_FRAME_BUFIOREQ, 2)),
                new HypercallOutput.ResourceFrames(List.of(0xDEAD0L, 0xDEAD1L), 2));
        assertEquals(new EmulatorEvent.StartFailed(GUEST, "map server pages", Errno.EFAULT), g.events.receiveMessage(),
                "frames nobody allocated (spec 10.7)");
        g.events.expectTerminated(qemu);
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void aPortThatCannotBeBoundAbortsTheStartAfterTheEnable() {
        Guest g = new Guest();
        g.target.close(g.vcpuPorts[1], false);
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.createAndMap();
        g.answer(g.expect(new DmOp.SetIoreqServerState(SERVER_ID, true)), HypercallOutput.None.INSTANCE);
        assertEquals(new EmulatorEvent.StartFailed(GUEST, "bind_interdomain vcpu 1", Errno.EINVAL),
                g.events.receiveMessage(), "spec 4.2: the remote port is not UNBOUND");
        g.events.expectTerminated(qemu);
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void aControllersDmOpDuringTheStartGetsItsOwnAnswer() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        HypercallRequest create = g.expect(new DmOp.CreateIoreqServer(BufioreqMode.ATOMIC.code()));
        TestProbe<Result<HypercallOutput>> reply = kit.createTestProbe();
        qemu.tell(new IoreqServer.SetEnabled(false, reply.ref()));
        HypercallRequest disable = g.expect(new DmOp.SetIoreqServerState(-1, false));
        g.fail(disable, Errno.ENOENT);
        assertEquals(Result.err(Errno.ENOENT), reply.receiveMessage());
        g.answer(create, new HypercallOutput.IoreqServerId(SERVER_ID));
        g.expect(Hypercall.AcquireResource.ioreqServer(GUEST, SERVER_ID, Xen.RESOURCE_FRAME_BUFIOREQ, 2));
        g.events.expectNoMessage(QUIET);
    }

    @Test
    void aSynchronousRequestIsTakenCarriedOutAndAnsweredOnItsPort() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.start(qemu);
        g.stats(qemu);
        g.sendSynchronous(1, pioRead(UART + 5));
        assertEquals("vcpu1", g.woken.receiveMessage(), "spec 7.2 step 6: the send on the local port wakes the vCPU");
        assertEquals(IoreqState.IORESP_READY, g.slots.state(1));
        assertEquals(0x60L, g.slots.data(1), "the UART's LSR");
        assertEquals(1, g.stats(qemu).requests());
    }

    @Test
    void bufferedWritesAreAppliedInRingOrderAndBeforeALaterSynchronousRequest() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.start(qemu);
        g.stats(qemu);
        g.sendBuffered(UART + 1, 0x11);
        g.sendBuffered(UART + 1, 0x22);
        g.sendSynchronous(0, pioRead(UART + 1));
        assertEquals("vcpu0", g.woken.receiveMessage());
        assertEquals(0x22L, g.slots.data(0), "spec 15: the ring is drained, in order, before the synchronous read");
        assertEquals(2, g.ring.readPointer(), "spec 8.4: rp advanced past both slots");
        assertEquals(2, g.stats(qemu).bufferedDelivered());
    }

    @Test
    void destroyEndsTheServerAndClosesThePortsOnlyWhenXenAgrees() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.start(qemu);
        TestProbe<Result<HypercallOutput>> reply = kit.createTestProbe();
        qemu.tell(new IoreqServer.Destroy(reply.ref()));
        g.fail(g.expect(new DmOp.DestroyIoreqServer(SERVER_ID)), Errno.EPERM);
        assertEquals(Result.err(Errno.EPERM), reply.receiveMessage());
        assertEquals(EventChannel.State.INTERDOMAIN, g.target.port(g.vcpuPorts[0]).state(), "refused: still bound");

        qemu.tell(new IoreqServer.Destroy(reply.ref()));
        g.answer(g.expect(new DmOp.DestroyIoreqServer(SERVER_ID)), HypercallOutput.None.INSTANCE);
        assertEquals(Result.ok(HypercallOutput.None.INSTANCE), reply.receiveMessage());
        assertEquals(new EmulatorEvent.Destroyed(GUEST, SERVER_ID), g.events.receiveMessage());
        assertEquals(EventChannel.State.UNBOUND, g.target.port(g.vcpuPorts[0]).state(), "spec 4.5");
        assertEquals(EventChannel.State.UNBOUND, g.target.port(g.bufioreqPort).state());
    }

    @Test
    void aCrashClosesThePortsAndStopsWithTheServerLeftInPlace() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.start(qemu);
        g.sendSynchronous(0, pioRead(UART + 5));
        g.woken.receiveMessage();
        TestProbe<EmulatorStats> last = kit.createTestProbe();
        qemu.tell(new IoreqServer.CrashWithStats(last.ref()));
        assertEquals(1, last.receiveMessage().requests(), "the figures up to the crash");
        last.expectTerminated(qemu);
        assertEquals(EventChannel.State.UNBOUND, g.target.port(g.vcpuPorts[0]).state(), "spec 4.5: Xen's end waits");
        assertEquals(EventChannel.State.UNBOUND, g.target.port(g.vcpuPorts[1]).state());
        g.xen.expectNoMessage(QUIET);
    }

    @Test
    void anUpcallOnAPortItNeverBoundIsFatal() {
        Guest g = new Guest();
        ActorRef<IoreqServer.Command> qemu = g.spawn(g.qemu());
        g.start(qemu);
        qemu.tell(new IoreqServer.Upcall(999));
        EmulatorEvent.Failed failed = assertInstanceOf(EmulatorEvent.Failed.class, g.events.receiveMessage());
        assertEquals("upcall on unknown port 999", failed.reason(), "spec 15: unknown port -> fatal");
        g.events.expectTerminated(qemu);
        assertEquals(EventChannel.State.UNBOUND, g.target.port(g.vcpuPorts[0]).state());
    }

    /** Guest frames by gfn, for mappings by gfn. */
    static final class Frames implements GuestMemory {
        private final Map<Long, Page> byGfn = new HashMap<>();

        void put(long gfn, Page page) {
            byGfn.put(gfn, page);
        }

        @Override
        public boolean isPopulated(long gpa) {
            return byGfn.containsKey(gpa >>> 12);
        }

        @Override
        public long read(long gpa, int size) {
            return -1L >>> (64 - 8 * size);
        }

        @Override
        public void write(long gpa, int size, long value) {
        }

        @Override
        public Page frame(long gfn) {
            return byGfn.get(gfn);
        }
    }
}
