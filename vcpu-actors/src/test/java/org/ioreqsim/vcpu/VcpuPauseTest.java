package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.QUIET;
import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.XenOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code domain_pause} as the vCPU sees it (spec 17: "tells all VcpuActors to stop starting new guest
 * steps and waits for acknowledgements; blocked vCPUs stay blocked"; spec 10.8, 10.9, 11.3 pause
 * around their changes): the acknowledgement, what waits while paused, and the order it runs in after.
 */
class VcpuPauseTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Spec 17: the vCPU acknowledges each pause with its epoch, so the domain can match the answers. */
    @Test
    void aPauseIsAcknowledgedWithItsEpoch() {
        VcpuHarness h = new VcpuHarness(kit);
        h.vcpu.tell(new Vcpu.Pause(7));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 7));
        h.vcpu.tell(new Vcpu.Pause(8));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 8));
    }

    /** Spec 17: a paused vCPU starts no guest step; its operations wait, in order, until it is unpaused. */
    @Test
    void aPausedVcpuStartsNothingUntilUnpaused() {
        VcpuHarness h = new VcpuHarness(kit);
        h.vcpu.tell(new Vcpu.Pause(1));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 1));
        GuestOp.Io first = GuestOp.Io.pioRead(0x60, 1);
        GuestOp.Io second = GuestOp.Io.pioRead(0x64, 1);
        TestProbe<Outcome> a = h.run(first);
        TestProbe<Outcome> b = h.run(second);
        VcpuSnapshot paused = h.inspect();
        assertEquals(VcpuState.PAUSED, paused.state());
        assertEquals(0, paused.operations());
        h.domain.expectNoMessage(QUIET);

        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        assertEquals(0x60, h.expectEmulateIo().request().addr());
        assertEquals(VcpuState.RUNNING, h.state());
        h.handled(IoStatus.OKAY, 1, 1, Route.NULL_HANDLER);
        assertEquals(Outcome.Kind.DONE, a.receiveMessage().kind());
        assertEquals(0x64, h.expectEmulateIo().request().addr());
        h.handled(IoStatus.OKAY, 2, 1, Route.NULL_HANDLER);
        assertEquals(2, b.receiveMessage().value());
    }

    /**
     * Spec 17 ("blocked vCPUs stay blocked") and 7.3: a vCPU blocked on a server is reported blocked,
     * not paused, and does not run completion while paused even when the answer is there; it
     * completes once unpaused.
     */
    @Test
    void aBlockedVcpuStaysBlockedAndCompletesOnlyAfterUnpause() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 0);
        h.vcpu.tell(new Vcpu.Pause(3));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 3));
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, h.state());

        h.answer(0, 0x5A);
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, s.state());
        assertEquals(0, s.completed());
        assertEquals(IoreqState.IORESP_READY, h.slots(0).state(VCPU));

        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0x5A, 1, ROUTES.get(0), false));
        assertEquals(IoreqState.NONE, h.slots(0).state(VCPU));
    }

    /** Spec 17: the domain's own answer to a paused vCPU waits too; the vCPU reports PAUSED meanwhile. */
    @Test
    void theDomainsAnswerWaitsWhilePaused() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.vcpu.tell(new Vcpu.Pause(1));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 1));
        h.handled(IoStatus.OKAY, 0xAA, 1, Route.NULL_HANDLER);
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.PAUSED, s.state());
        assertEquals(0, s.completed());

        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0xAA, 1, Route.NULL_HANDLER, false));
    }

    /** Start is a guest step too: the workload does not begin while the vCPU is paused. */
    @Test
    void startWaitsWhilePaused() {
        VcpuHarness.ListWorkload w = new VcpuHarness.ListWorkload(GuestOp.Io.pioRead(0x61, 1));
        VcpuHarness h = new VcpuHarness(kit, XenOptions.SEED, w);
        h.vcpu.tell(new Vcpu.Pause(1));
        h.vcpu.tell(Vcpu.Start.INSTANCE);
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 1));
        h.domain.expectNoMessage(QUIET);
        h.vcpu.tell(Vcpu.Unpause.INSTANCE);
        assertEquals(0x61, h.expectEmulateIo().request().addr());
    }

    /**
     * Spec 12 and 10.9 H1 ("Destroy pauses the domain (the blocked vCPU stays blocked)"): crash,
     * shutdown and removal are not guest steps and act on a paused vCPU at once.
     */
    @Test
    void crashShutdownAndRetireActWhilePaused() {
        VcpuHarness crashed = new VcpuHarness(kit);
        crashed.addServer(0);
        TestProbe<Outcome> outcome = crashed.runAndSend(GuestOp.Io.pioRead(0x3FD, 1), 0);
        crashed.vcpu.tell(new Vcpu.Pause(1));
        crashed.vcpu.tell(new Vcpu.DomainCrashed("test"));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, outcome.receiveMessage().kind());
        assertEquals(VcpuState.CRASHED, crashed.state());

        VcpuHarness shut = new VcpuHarness(kit);
        shut.vcpu.tell(new Vcpu.Pause(1));
        shut.vcpu.tell(Vcpu.Shutdown.INSTANCE);
        assertEquals(VcpuState.SHUTDOWN, shut.state());

        VcpuHarness retired = new VcpuHarness(kit);
        TestProbe<Outcome> abandoned = retired.run(GuestOp.Io.pioRead(0x3FD, 1));
        retired.expectEmulateIo();
        retired.vcpu.tell(new Vcpu.Pause(1));
        retired.vcpu.tell(new Vcpu.Retire("vCPU removed"));
        assertEquals(Outcome.Kind.ABANDONED, abandoned.receiveMessage().kind());
        retired.domain.expectTerminated(retired.vcpu);
    }
}
