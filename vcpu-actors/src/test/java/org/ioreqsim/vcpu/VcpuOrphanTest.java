package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hazard H1 (spec 16, with spec 10.9 step 6 and 7.3): the server a vCPU waits on is destroyed with the
 * request in flight. Its entry goes with its pending flag, nothing wakes the vCPU, and if something
 * does, the seed's completion finds no pending server and leaves the latched request READY, so the
 * re-execution fails (PIO: domain crash; MMIO: #GP) — or, for a port write, the next access does
 * (H1-stale). {@code fixOrphanedCompletion} (f7039ee41b) settles the latched state instead.
 */
class VcpuOrphanTest {
    static final ActorTestKit kit = ActorTestKit.create();
    private static final String PIO_FAILURE = "Weird HVM ioemulation status (PIO emulation failure)";

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** A vCPU blocked on server 2 with {@code access}, and the destroy of server 2. */
    private record Orphan(VcpuHarness h, TestProbe<Outcome> outcome) {
        static Orphan of(XenOptions options, GuestOp.Io access) {
            VcpuHarness h = new VcpuHarness(kit, options, Workload.IDLE);
            h.addServer(2);
            TestProbe<Outcome> outcome = h.runAndSend(access, 2);
            h.destroyServer(2);
            return new Orphan(h, outcome);
        }
    }

    /** H1, spec 17: the vCPU is reported BLOCKED_ORPHANED, still holding its shutdown deferral open. */
    @Test
    void aVcpuWhoseServerWasDestroyedIsOrphaned() {
        Orphan o = Orphan.of(XenOptions.SEED, GuestOp.Io.pioRead(0x3FD, 1));
        VcpuHarness h = o.h();
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.BLOCKED_ORPHANED, s.state());
        assertEquals(List.of(), s.pendingServers());
        assertEquals("BLOCKED_ORPHANED", s.describe());

        h.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        assertEquals(VcpuState.BLOCKED_ORPHANED, h.state());
        assertTrue(h.io.isDeferringShutdown());
    }

    /** H1 at the seed, woken anyway: the stale READY makes the PIO re-execution fail, crashing the domain. */
    @Test
    void aWokenOrphanedPioReadCrashesTheDomainAtTheSeed() {
        Orphan o = Orphan.of(XenOptions.SEED, GuestOp.Io.pioRead(0x3FD, 1));
        VcpuHarness h = o.h();
        h.wake(2);
        h.domain.expectMessage(new VcpuRequest.CrashDomain(VCPU, PIO_FAILURE));
        assertEquals(VcpuState.CRASHED, h.state());
    }

    /** H1 at the seed, woken anyway: the MMIO re-execution fails, and the guest gets #GP(0). */
    @Test
    void aWokenOrphanedMmioReadFaultsAtTheSeed() {
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        Orphan o = Orphan.of(XenOptions.SEED, read);
        VcpuHarness h = o.h();
        h.wake(2);
        o.outcome().expectMessage(new Outcome(read, Outcome.Kind.GP_FAULT, 0, 0, Route.NOWHERE, false));
    }

    /**
     * H1-stale at the seed: an orphaned port write needs no re-execution, so it ends DONE, but its
     * latched READY is left behind and the vCPU's next port access crashes the domain (spec 5 step 2).
     */
    @Test
    void aWokenOrphanedPortWriteBreaksTheNextAccessAtTheSeed() {
        GuestOp.Io write = GuestOp.Io.pioWrite(0x3F8, 1, 0x41);
        Orphan o = Orphan.of(XenOptions.SEED, write);
        VcpuHarness h = o.h();
        h.wake(2);
        assertEquals(Outcome.Kind.DONE, o.outcome().receiveMessage().kind());
        assertEquals(IoreqState.READY, h.inspect().latched().state());

        h.run(GuestOp.Io.pioRead(0x3FD, 1));
        h.domain.expectMessage(new VcpuRequest.CrashDomain(VCPU, PIO_FAILURE));
    }

    /**
     * H1 with {@code fixOrphanedCompletion}: completion settles the latched request and ends the
     * deferral, the read completes with what was latched, and the next access goes out normally.
     */
    @Test
    void theFixLetsAWokenOrphanCarryOn() {
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        Orphan o = Orphan.of(XenOptions.SEED.with("fixOrphanedCompletion", true), read);
        VcpuHarness h = o.h();
        assertEquals(VcpuState.BLOCKED_ORPHANED, h.state());
        h.wake(2);
        o.outcome().expectMessage(new Outcome(read, Outcome.Kind.DONE, 0, 1, Route.NOWHERE, false));
        assertFalse(h.io.isDeferringShutdown());
        h.run(GuestOp.Io.pioRead(0x60, 1));
        assertEquals(0x60, h.expectEmulateIo().request().addr());
    }

    /**
     * H1 and spec 17 ("BLOCKED_ORPHANED"): a vCPU waiting on an INVALIDATE broadcast (spec 9) whose
     * only server is destroyed is just as orphaned: no pending entry, nothing will wake it, its
     * deferral holds shutdown open.
     */
    @Test
    void aVcpuOrphanedOnAnInvalidateIsReportedOrphaned() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(4);
        h.run(new GuestOp.DecreaseReservation());
        h.domain.expectMessage(new VcpuRequest.SendInvalidate(VCPU));
        h.send(4, VcpuHarness.invalidate());
        h.destroyServer(4);
        VcpuSnapshot s = h.inspect();
        assertEquals(List.of(), s.pendingServers());
        assertEquals(VcpuState.BLOCKED_ORPHANED, s.state());
    }

    /**
     * H1 with the fix: a woken orphan's outcome names the server that answered it (spec 7.3,
     * {@code hvm_io_assist} runs for no server here), which is none.
     */
    @Test
    void aWokenOrphanIsNotCreditedToAnEarlierServer() {
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED.with("fixOrphanedCompletion", true), Workload.IDLE);
        h.addServer(6);
        h.addServer(2);
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        TestProbe<Outcome> first = h.runAndSend(read, 6);
        h.answer(6, 1);
        assertEquals(ROUTES.get(6), first.receiveMessage().route());

        TestProbe<Outcome> second = h.runAndSend(read, 2);
        h.destroyServer(2);
        h.wake(2);
        assertEquals(Route.NOWHERE, second.receiveMessage().route());
    }
}
