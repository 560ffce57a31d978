package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.QUIET;
import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The end of a vCPU: the domain shutting down (spec 7.1 step 2 and 5 step 8d, shutdown deferral;
 * H16), the vCPU removed ({@code hvm_vcpu_destroy}, spec 12) and the domain destroyed with I/O in
 * flight ({@code domain_kill}, H3). Every operation handed to the vCPU ends exactly once.
 */
class VcpuShutdownTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /**
     * An idle vCPU stops at once and runs nothing more; an operation handed to it afterwards is
     * refused without reaching the domain (the vCPU answers DOMAIN_CRASHED for both terminal states).
     */
    @Test
    void anIdleVcpuShutsDownAtOnce() {
        VcpuHarness h = new VcpuHarness(kit);
        h.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        assertEquals(VcpuState.SHUTDOWN, h.state());
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        h.run(read).expectMessage(new Outcome(read, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
        h.domain.expectNoMessage(QUIET);
    }

    /**
     * Spec 7.1 step 2 and 7.3: a vCPU waiting on an emulator holds the shutdown open (its deferral) and
     * keeps waiting; its request completes normally, then it stops, abandoning what was queued.
     */
    @Test
    void aVcpuWaitingOnAServerFinishesItsRequestBeforeShuttingDown() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 0);
        GuestOp.Io queued = GuestOp.Io.pioRead(0x60, 1);
        TestProbe<Outcome> queuedOutcome = h.run(queued);
        h.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, h.state());
        assertTrue(h.io.isDeferringShutdown());

        h.answer(0, 0x33);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0x33, 1, ROUTES.get(0), false));
        queuedOutcome.expectMessage(new Outcome(queued, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        assertEquals(VcpuState.SHUTDOWN, h.state());
        assertFalse(h.io.isDeferringShutdown());
        h.domain.expectNoMessage(QUIET);
    }

    /**
     * A vCPU whose request the domain has not answered yet (nothing sent to a server, so no deferral)
     * stops at once; the domain's late answer is ignored.
     */
    @Test
    void aVcpuNotWaitingOnAServerAbandonsItsOperation() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        h.handled(IoStatus.OKAY, 1, 1, Route.NULL_HANDLER);
        assertEquals(VcpuState.SHUTDOWN, h.state());
        outcome.expectNoMessage(QUIET);
    }

    /**
     * Spec 7.1 step 2 and 5 step 8d (H16): a send refused because the domain is shutting down answers
     * RETRY; the instruction is not completed and the vCPU stops with its queue.
     */
    @Test
    void aRetryForShutdownStopsTheVcpu() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        TestProbe<Outcome> outcome = h.run(read);
        GuestOp.Io queued = GuestOp.Io.pioRead(0x60, 1);
        TestProbe<Outcome> queuedOutcome = h.run(queued);
        h.expectEmulateIo();
        h.handled(IoStatus.RETRY, 0, 1, ROUTES.get(0));
        outcome.expectMessage(new Outcome(read, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        queuedOutcome.expectMessage(new Outcome(queued, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        assertEquals(VcpuState.SHUTDOWN, h.state());
        h.domain.expectNoMessage(QUIET);
    }

    /**
     * Spec 12 ({@code hvm_vcpu_destroy}, vCPU removal): the vCPU abandons its operation and its queue
     * and stops; stopping settles nothing twice.
     */
    @Test
    void aRetiredVcpuAbandonsEverythingAndStops() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 0);
        GuestOp.Io queued = GuestOp.Io.pioRead(0x60, 1);
        TestProbe<Outcome> queuedOutcome = h.run(queued);
        h.vcpu.tell(new Vcpu.Retire("vCPU removed"));
        outcome.expectMessage(new Outcome(read, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        queuedOutcome.expectMessage(new Outcome(queued, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
        h.domain.expectTerminated(h.vcpu);
        outcome.expectNoMessage(QUIET);
        queuedOutcome.expectNoMessage(QUIET);
    }

    /** H3 ({@code domain_kill} with I/O in flight): stopped with its domain, the vCPU abandons the request. */
    @Test
    void aVcpuStoppedWithItsDomainAbandonsItsRequest() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(5);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 5);
        kit.stop(h.vcpu);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.ABANDONED, 0, 0, Route.NOWHERE, false));
    }
}
