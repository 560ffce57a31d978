package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.QUIET;
import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.page.ServerPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What Xen answers with {@code domain_crash()} on the vCPU, and the guest-visible alternative for MMIO:
 * emulation failures (spec 5 step 9), a bad slot state from the emulator (spec 7.3, XSA-262, H8) and a
 * server without a page (H12). The vCPU asks its domain to crash (CrashDomain) and settles its
 * operation only when the domain's DomainCrashed comes back; then it runs nothing more.
 */
class VcpuCrashTest {
    static final ActorTestKit kit = ActorTestKit.create();
    private static final String PIO_FAILURE = "Weird HVM ioemulation status (PIO emulation failure)";

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /**
     * Spec 5 step 9: a PIO emulation failure crashes the domain. The vCPU stops (CRASHED) and asks the
     * domain; its operation and the one queued behind it end DOMAIN_CRASHED once the domain has crashed.
     */
    @Test
    void aPioEmulationFailureCrashesTheDomain() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.run(read);
        GuestOp.Io queued = GuestOp.Io.pioRead(0x3F8, 1);
        TestProbe<Outcome> queuedOutcome = h.run(queued);
        h.expectEmulateIo();
        h.handled(IoStatus.UNHANDLEABLE, 0, 0, Route.NOWHERE);

        h.domain.expectMessage(new VcpuRequest.CrashDomain(VCPU, PIO_FAILURE));
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.CRASHED, s.state());
        assertEquals(0, s.completed());

        h.vcpu.tell(new Vcpu.DomainCrashed(PIO_FAILURE));
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
        queuedOutcome.expectMessage(new Outcome(queued, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
        h.domain.expectNoMessage(QUIET);
    }

    /** Spec 5 step 9: an MMIO emulation failure injects #GP(0); the guest goes on with its next access. */
    @Test
    void anMmioEmulationFailureIsAGeneralProtectionFault() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        TestProbe<Outcome> outcome = h.run(read);
        h.run(GuestOp.Io.pioRead(0x61, 1));
        h.expectEmulateIo();
        h.handled(IoStatus.UNHANDLEABLE, 0, 1, ROUTES.get(2));
        outcome.expectMessage(new Outcome(read, Outcome.Kind.GP_FAULT, 0, 0, ROUTES.get(2), false));
        assertEquals(0x61, h.expectEmulateIo().request().addr());
    }

    /** Spec 5 step 1: a bad size fails before the domain is asked: PIO crashes, MMIO faults. */
    @Test
    void aBadSizeFailsWithoutAskingTheDomain() {
        VcpuHarness pio = new VcpuHarness(kit);
        pio.run(new GuestOp.Io(false, 0x3F8, 3, 1, IoDirection.READ, false, false, 0));
        pio.domain.expectMessage(new VcpuRequest.CrashDomain(VCPU, PIO_FAILURE));

        VcpuHarness mmio = new VcpuHarness(kit);
        GuestOp.Io wide = GuestOp.Io.mmioRead(0xE0000000L, 16);
        mmio.run(wide).expectMessage(new Outcome(wide, Outcome.Kind.GP_FAULT, 0, 0, Route.NOWHERE, false));
        mmio.domain.expectNoMessage(QUIET);
    }

    /**
     * Spec 7.3 and XSA-262 (H8): an emulator that writes an illegal state into the slot makes the
     * completing vCPU crash its domain; the entry is no longer pending.
     */
    @Test
    void anIllegalSlotStateCrashesTheDomain() {
        VcpuHarness h = new VcpuHarness(kit);
        IoreqVcpuEntry e = h.addServer(0);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 0);
        h.slots(0).setState(VCPU, 9);
        h.wake(0);
        h.domain.expectMessage(new VcpuRequest.CrashDomain(VCPU, "Weird HVM iorequest state 9"));
        assertEquals(VcpuState.CRASHED, h.state());
        assertFalse(e.isPending());
        h.vcpu.tell(new Vcpu.DomainCrashed("Weird HVM iorequest state 9"));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, outcome.receiveMessage().kind());
    }

    /** H12: completion on a server that lost its synchronous page is a hypervisor fault: domain crash. */
    @Test
    void completionWithoutAPageCrashesTheDomain() {
        VcpuHarness h = new VcpuHarness(kit);
        IoreqVcpuEntry pageless = new IoreqVcpuEntry(1, VCPU, 9, new ServerPage());
        h.run(new GuestOp.DecreaseReservation());
        h.domain.expectMessage(new VcpuRequest.SendInvalidate(VCPU));
        h.io.setEntry(1, pageless);
        pageless.setPending(true);
        h.io.markSentToServer();
        h.vcpu.tell(new Vcpu.EventChannelNotified(9));
        VcpuRequest.CrashDomain crash = h.domain.expectMessageClass(VcpuRequest.CrashDomain.class);
        assertTrue(crash.reason().startsWith("hypervisor fault"), crash.reason());
    }

    /**
     * A crashed vCPU runs no guest code (spec 12, {@code domain_crash}): operations handed to it end
     * DOMAIN_CRASHED at once, before and after the domain's DomainCrashed, without reaching the domain;
     * wake-ups and late answers are ignored.
     */
    @Test
    void aCrashedVcpuRunsNothingMore() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        TestProbe<Outcome> first = h.runAndSend(GuestOp.Io.pioRead(0x3FD, 1), 0);
        h.slots(0).setState(VCPU, 5);
        h.wake(0);
        h.domain.expectMessageClass(VcpuRequest.CrashDomain.class);

        GuestOp.Io early = GuestOp.Io.pioRead(0x60, 1);
        h.run(early).expectMessage(new Outcome(early, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
        h.vcpu.tell(new Vcpu.DomainCrashed("test"));
        assertEquals(Outcome.Kind.DOMAIN_CRASHED, first.receiveMessage().kind());
        GuestOp.Io late = GuestOp.Io.pioRead(0x64, 1);
        h.run(late).expectMessage(new Outcome(late, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));

        h.answer(0, 1);
        h.handled(IoStatus.OKAY, 1, 1, Route.NULL_HANDLER);
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.CRASHED, s.state());
        assertEquals(1, s.completed());
        first.expectNoMessage(QUIET);
        h.domain.expectNoMessage(QUIET);
    }

    /**
     * The domain is destroyed before its DomainCrashed reached the vCPU (spec 12, {@code domain_kill}):
     * the operation in flight ends DOMAIN_CRASHED when the vCPU stops, exactly once.
     */
    @Test
    void stoppingACrashedVcpuSettlesItsOperationAsCrashed() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.handled(IoStatus.UNHANDLEABLE, 0, 0, Route.NOWHERE);
        h.domain.expectMessageClass(VcpuRequest.CrashDomain.class);
        kit.stop(h.vcpu);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DOMAIN_CRASHED, 0, 0, Route.NOWHERE, false));
        outcome.expectNoMessage(QUIET);
    }

    /**
     * A failure that is not Xen's (here the pause stash overflowing, a simulator limit) stops the vCPU and is
     * reported to its domain by the vCPU itself ({@code VcpuFailed}, with the vCPU and the exception), so that
     * the domain crashes without watching every vCPU.
     */
    @Test
    void anUnexpectedFailureIsReportedToTheDomainAndStopsTheVcpu() {
        VcpuHarness h = new VcpuHarness(kit);
        h.vcpu.tell(new Vcpu.Pause(1));
        h.domain.expectMessage(new VcpuRequest.PauseAcked(VCPU, 1));
        for (int i = 0; i < 65; i++) {
            h.vcpu.tell(new Vcpu.Run(GuestOp.Io.pioRead(0x3F8, 1), kit.<Outcome>createTestProbe().ref()));
        }
        VcpuRequest.VcpuFailed failed = h.domain.expectMessageClass(VcpuRequest.VcpuFailed.class);
        assertEquals(VCPU, failed.vcpuId());
        assertEquals(h.vcpu, failed.vcpu());
        assertTrue(failed.cause().contains("stash full while paused"), failed.cause());
        h.domain.expectTerminated(h.vcpu);
    }
}
