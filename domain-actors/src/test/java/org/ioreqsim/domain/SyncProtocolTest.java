package org.ioreqsim.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.ioreqsim.vcpu.GuestOp;
import org.ioreqsim.vcpu.Outcome;
import org.ioreqsim.vcpu.VcpuState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The synchronous protocol (spec 7): send, the emulator's side, completion, and what a bad emulator does. */
class SyncProtocolTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final Duration QUIET = Duration.ofMillis(200);

    @AfterAll
    static void tearDown() {
        kit.shutdownTestKit();
    }

    /** A guest with {@code vcpus} vCPUs and one hand-played emulator claiming ports 0x3F8..0x3FF and MMIO. */
    static XenFixture.EmulatorProbe setUp(XenFixture xen, int vcpus) {
        int d = xen.guest(vcpus);
        XenFixture.EmulatorProbe e = xen.emulator(0, d, vcpus, 2);
        assertTrue(e.map(0, 0x3F8, 0x3FF).isOk());
        assertTrue(e.map(1, 0xE0000000L, 0xE0000FFFL).isOk());
        return e;
    }

    @Test
    void aVcpuBlocksUntilTheEmulatorAnswersThenReadsTheAnswer() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        int d = e.target();
        TestProbe<Outcome> out = xen.start(d, 0, GuestOp.Io.pioRead(0x3FD, 1));
        e.awaitRequest(0);
        Ioreq req = e.page().load(0);
        assertEquals(new Ioreq(0x3FD, 0, 1, 1, 1, IoreqState.READY, false, IoDirection.READ, false, IoreqType.PIO),
                req, "the slot carries the request with Xen's port in vp_eport");
        assertEquals("BLOCKED_ON_IOREQ(0)", xen.vcpu(d, 0).describe());
        out.expectNoMessage(QUIET);
        e.page().setState(0, IoreqState.INPROCESS);
        e.respond(0, 0x1234_5660L);
        Outcome o = out.receiveMessage();
        assertEquals(0x60L, o.value(), "a one-byte read keeps the low byte");
        assertEquals(Route.server(d, 0), o.route());
        assertEquals(IoreqState.NONE, e.page().state(0), "completion set the slot back to NONE");
        assertEquals(VcpuState.RUNNING, xen.vcpu(d, 0).state());
    }

    @Test
    void anEmulatorThatClearsTheSlotCompletesTheRequestWithAllOnes() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        TestProbe<Outcome> out = xen.start(e.target(), 0, GuestOp.Io.mmioRead(0xE0000010L, 4));
        e.awaitRequest(0);
        e.page().setState(0, IoreqState.NONE);
        xen.host.send(0, e.localPorts().get(0));
        assertEquals(0xFFFFFFFFL, out.receiveMessage().value());
    }

    @Test
    void anIllegalStateValueCrashesTheDomain() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        TestProbe<Outcome> out = xen.start(e.target(), 0, GuestOp.Io.pioRead(0x3F8, 1));
        e.awaitRequest(0);
        e.page().setState(0, 5);
        xen.host.send(0, e.localPorts().get(0));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, out.receiveMessage().kind());
        DomainSnapshot s = xen.inspect(e.target());
        assertEquals(DomainState.CRASHED, s.state());
        assertEquals("Weird HVM iorequest state 5", s.crashReason());
        assertEquals(VcpuState.CRASHED, xen.vcpu(e.target(), 0).state());
    }

    @Test
    void aSpuriousWakeUpLeavesTheVcpuBlocked() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        TestProbe<Outcome> out = xen.start(e.target(), 0, GuestOp.Io.pioWrite(0x3F8, 1, 0x41));
        e.awaitRequest(0);
        e.page().setState(0, IoreqState.INPROCESS);
        xen.host.send(0, e.localPorts().get(0));
        out.expectNoMessage(QUIET);
        assertEquals("BLOCKED_ON_IOREQ(0)", xen.vcpu(e.target(), 0).describe());
        e.respond(0, 0);
        assertEquals(Outcome.Kind.DONE, out.receiveMessage().kind(), "a PIO write also waits for the answer");
    }

    @Test
    void aSlotLeftBusyRefusesTheSendPioCrashesMmioGetsGp() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 2);
        e.page().setState(0, IoreqState.IORESP_READY);
        Outcome mmio = xen.run(e.target(), 0, GuestOp.Io.mmioRead(0xE0000000L, 4));
        assertEquals(Outcome.Kind.GP_FAULT, mmio.kind(), "device model set bad IO state: MMIO failure injects #GP");
        assertTrue(xen.inspect(e.target()).state() == DomainState.RUNNING);
        e.page().setVpEport(1, 99);
        Outcome pio = xen.run(e.target(), 1, GuestOp.Io.pioRead(0x3F8, 1));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, pio.kind(), "bad event channel: PIO failure crashes the domain");
        assertEquals(DomainState.CRASHED, xen.inspect(e.target()).state());
    }

    @Test
    void invalidateIsBroadcastToEveryEnabledServerAndTheVcpuWaitsForAll() {
        XenFixture xen = new XenFixture(kit);
        int d = xen.guest(1);
        XenFixture.EmulatorProbe a = xen.emulator(0, d, 1, 0);
        XenFixture.EmulatorProbe b = xen.emulator(0, d, 1, 2);
        int disabled = xen.createServer(d, 0);
        TestProbe<Outcome> out = xen.start(d, 0, new GuestOp.DecreaseReservation());
        a.awaitRequest(0);
        b.awaitRequest(0);
        Ioreq inv = a.page().load(0);
        assertEquals(IoreqType.INVALIDATE, inv.type());
        assertEquals(0, inv.count(), "the seed never sets count on an invalidate");
        assertEquals(4, inv.size());
        assertEquals(-1L, inv.data());
        assertEquals("BLOCKED_ON_IOREQ(1,0)", xen.vcpu(d, 0).describe());
        assertEquals(List.of(), xen.server(d, disabled).pendingVcpus(), "a disabled server gets no broadcast");
        b.respond(0, 0);
        out.expectNoMessage(QUIET);
        assertEquals("BLOCKED_ON_IOREQ(0)", xen.vcpu(d, 0).describe());
        a.respond(0, 0);
        assertEquals(Route.BROADCAST_ROUTE, out.receiveMessage().route());
    }

    @Test
    void destroyingTheServerOrphansAWaitingVcpuAndNothingWakesIt() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        int d = e.target();
        TestProbe<Outcome> out = xen.start(d, 0, GuestOp.Io.pioRead(0x3F8, 1));
        e.awaitRequest(0);
        assertTrue(xen.dmOp(0, d, new org.ioreqsim.ioreq.hypercall.DmOp.DestroyIoreqServer(e.id())).isOk());
        assertEquals(VcpuState.BLOCKED_ORPHANED, xen.vcpu(d, 0).state());
        assertTrue(xen.inspect(d).findings().contains("H1: vCPU 0 orphaned by the destruction of server 0"));
        assertEquals(org.ioreqsim.ioreq.evtchn.EventChannel.State.UNBOUND,
                xen.host.port(0, e.localPorts().get(0)).state(), "the emulator's end became UNBOUND");
        assertTrue(xen.host.send(0, e.localPorts().get(0)).isOk(), "a send on an UNBOUND port is dropped");
        out.expectNoMessage(QUIET);
        assertEquals(VcpuState.BLOCKED_ORPHANED, xen.vcpu(d, 0).state());
    }

    @Test
    void anOrphanWokenLaterFailsAtTheSeedAndCompletesWithTheFix() {
        for (boolean fixed : List.of(false, true)) {
            XenOptions o = XenOptions.SEED.with("fixOrphanedCompletion", fixed);
            XenFixture xen = new XenFixture(kit, o);
            int d = xen.guest(DomainConfig.guest("g", 1, o));
            XenFixture.EmulatorProbe e = xen.emulator(0, d, 1, 0);
            assertTrue(e.map(0, 0x3F8, 0x3FF).isOk());
            TestProbe<Outcome> out = xen.start(d, 0, GuestOp.Io.pioRead(0x3F8, 1));
            e.awaitRequest(0);
            assertTrue(xen.dmOp(0, d, new org.ioreqsim.ioreq.hypercall.DmOp.DestroyIoreqServer(e.id())).isOk());
            XenFixture.EmulatorProbe again = xen.emulator(0, d, 1, 0);
            assertEquals(e.page().vpEport(0), again.page().vpEport(0), "the new server reuses Xen's port number");
            assertTrue(xen.host.send(0, again.localPorts().get(0)).isOk(), "its send wakes the orphan");
            Outcome done = out.receiveMessage();
            if (fixed) {
                assertEquals(Outcome.Kind.DONE, done.kind(), "f7039ee41b: the latched state is reset");
            } else {
                assertEquals(Outcome.Kind.DOMAIN_CRASHED, done.kind(), "stale READY: PIO re-execution fails");
                assertEquals("Weird HVM ioemulation status (PIO emulation failure)",
                        xen.inspect(d).crashReason());
            }
        }
    }

    @Test
    void disablingDoesNotCancelAnInFlightRequestOnResourcePages() {
        XenFixture xen = new XenFixture(kit);
        XenFixture.EmulatorProbe e = setUp(xen, 1);
        TestProbe<Outcome> out = xen.start(e.target(), 0, GuestOp.Io.pioRead(0x3F8, 1));
        e.awaitRequest(0);
        assertTrue(xen.enable(0, e.target(), e.id(), false).isOk());
        assertEquals(IoreqState.READY, e.page().state(0), "resource pages keep their contents (H6)");
        e.respond(0, 0x33);
        assertEquals(0x33L, out.receiveMessage().value());
        assertEquals(Route.NULL_HANDLER, xen.run(e.target(), 0, GuestOp.Io.pioRead(0x3F8, 1)).route(),
                "but nothing new is routed to it");
    }
}
