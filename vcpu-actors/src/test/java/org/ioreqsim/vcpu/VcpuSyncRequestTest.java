package org.ioreqsim.vcpu;

import static org.ioreqsim.vcpu.VcpuHarness.QUIET;
import static org.ioreqsim.vcpu.VcpuHarness.ROUTES;
import static org.ioreqsim.vcpu.VcpuHarness.VCPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.IoStatus;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vCPU actor's synchronous request path: the domain's own answer, a request sent to a server and
 * the emulator's wake-up, completion and re-execution (spec 5, 7.1, 7.3), value merging by access
 * size, spurious wake-ups (spec 4.3, H18), and the broadcasts a vCPU issues (spec 9).
 */
class VcpuSyncRequestTest {
    static final ActorTestKit kit = ActorTestKit.create();
    private static final long DATA = 0x8877665544332211L;

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /**
     * Spec 7.1 and 7.3: a read sent to a server blocks the vCPU on that server; the emulator's answer
     * wakes it, completion latches the data ({@code hvm_io_assist}), the re-execution consumes it, and
     * the guest sees the low byte with the server's route.
     */
    @Test
    void aReadSentToAServerCompletesWithTheEmulatorsAnswer() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(2);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.runAndSend(read, 2);

        VcpuSnapshot blocked = h.inspect();
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, blocked.state());
        assertEquals(List.of(2), blocked.pendingServers());
        assertEquals("BLOCKED_ON_IOREQ(2)", blocked.describe());
        assertEquals(1, blocked.operations());
        assertEquals(0, blocked.completed());

        h.answer(2, DATA);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0x11, 1, ROUTES.get(2), false));
        VcpuSnapshot after = h.inspect();
        assertEquals(VcpuState.RUNNING, after.state());
        assertEquals(1, after.completed());
        assertEquals(IoreqState.NONE, after.latched().state());
        assertEquals(DATA, after.latched().data());
        assertEquals(IoreqState.NONE, h.slots(2).state(VCPU));
        assertFalse(h.io.isSentToServer());
    }

    /** Spec 7.1: the vCPU runs no guest code while blocked, so the next operation waits for completion. */
    @Test
    void theNextAccessIsIssuedOnlyAfterCompletion() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        TestProbe<Outcome> first = h.runAndSend(GuestOp.Io.pioRead(0x3FD, 1), 0);
        GuestOp.Io second = GuestOp.Io.pioWrite(0x3F8, 1, 0x41);
        TestProbe<Outcome> secondOutcome = h.run(second);
        h.domain.expectNoMessage(QUIET);
        assertEquals(1, h.inspect().operations());

        h.answer(0, 0x60);
        assertEquals(0x60, first.receiveMessage().value());
        VcpuRequest.EmulateIo m = h.expectEmulateIo();
        assertEquals(0x3F8, m.request().addr());
        assertEquals(IoDirection.WRITE, m.request().dir());
        h.handled(IoStatus.OKAY, 0, 1, Route.NULL_HANDLER);
        secondOutcome.expectMessage(new Outcome(second, Outcome.Kind.DONE, 0, 1, Route.NULL_HANDLER, false));
    }

    /**
     * Spec 7.3 ("pio: ... size 4 zero-extends, sizes 1/2 merge"; mmio re-executes) and Outcome: a read
     * sees exactly the access size's low bytes of what the emulator answered.
     */
    @ParameterizedTest(name = "mmio={0} size={1}")
    @CsvSource({"false,1,11", "false,2,2211", "false,4,44332211",
        "true,1,11", "true,2,2211", "true,4,44332211", "true,8,8877665544332211"})
    void aServersAnswerIsMergedByAccessSize(boolean mmio, int size, String expected) {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(7);
        GuestOp.Io read = mmio ? GuestOp.Io.mmioRead(0xE0000000L, size) : GuestOp.Io.pioRead(0x3F8, size);
        TestProbe<Outcome> outcome = h.runAndSend(read, 7);
        h.answer(7, DATA);
        long value = Long.parseUnsignedLong(expected, 16);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, value, 1, ROUTES.get(7), false));
    }

    /** Spec 5.1 and 5 step 7: the domain's own answer (null handler, intercepts) is merged the same way. */
    @ParameterizedTest(name = "mmio={0} size={1}")
    @CsvSource({"false,1,0xFF", "false,2,0xFFFF", "false,4,0xFFFFFFFF", "true,8,-1"})
    void theDomainsAnswerIsMergedByAccessSize(boolean mmio, int size, long expected) {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io read = mmio ? GuestOp.Io.mmioRead(0xE0000000L, size) : GuestOp.Io.pioRead(0x3F8, size);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.handled(IoStatus.OKAY, ~0L, 1, Route.NULL_HANDLER);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, expected, 1, Route.NULL_HANDLER, false));
    }

    /** Outcome: writes and pointer (rep string) requests report no value, whatever the answer holds. */
    @Test
    void writesAndPointerRequestsReportNoValue() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.Io ins = new GuestOp.Io(false, 0x3F8, 1, 4, IoDirection.READ, false, true, 0x9000);
        TestProbe<Outcome> outcome = h.run(ins);
        h.expectEmulateIo();
        h.handled(IoStatus.OKAY, DATA, 4, Route.NULL_HANDLER);
        outcome.expectMessage(new Outcome(ins, Outcome.Kind.DONE, 0, 4, Route.NULL_HANDLER, false));

        // a stdvga write that went into a server's buffered ring (spec 8.1): the outcome says so
        GuestOp.Io write = GuestOp.Io.mmioWrite(0xA0000L, 4, 5);
        outcome = h.run(write);
        h.expectEmulateIo();
        h.io.clearLatched();
        h.vcpu.tell(new Vcpu.IoHandled(IoStatus.OKAY, DATA, 1, ROUTES.get(4), true));
        outcome.expectMessage(new Outcome(write, Outcome.Kind.DONE, 0, 1, ROUTES.get(4), true));
    }

    /**
     * Spec 3.5 and 7.3: an MMIO write needs completion, so its answer is latched and the write is
     * re-executed to consume it; a port write needs none. Either way the latched state ends NONE
     * and the next access goes out as a new request.
     */
    @ParameterizedTest(name = "mmio={0}")
    @CsvSource({"true", "false"})
    void aWriteSentToAServerLeavesNothingLatched(boolean mmio) {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(1);
        GuestOp.Io write = mmio ? GuestOp.Io.mmioWrite(0xE0000000L, 4, 5) : GuestOp.Io.pioWrite(0x3F8, 1, 5);
        TestProbe<Outcome> outcome = h.runAndSend(write, 1);
        h.answer(1, DATA);
        outcome.expectMessage(new Outcome(write, Outcome.Kind.DONE, 0, 1, ROUTES.get(1), false));
        assertEquals(IoreqState.NONE, h.inspect().latched().state());

        GuestOp.Io next = GuestOp.Io.pioRead(0x3FD, 1);
        h.run(next);
        assertEquals(IoreqState.READY, h.expectEmulateIo().request().state());
    }

    /**
     * Spec 5 step 4 and 7.3: re-execution consumes the latched (truncated) count; the instruction then
     * runs again and the rest, from the next frame, is a new request ({@code hvmemul_do_io}'s
     * truncation, x86_emulate's {@code put_rep_prefix}).
     */
    @Test
    void aTruncatedRepContinuesWithTheRestAsANewRequest() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(0);
        GuestOp.Io rep = new GuestOp.Io(true, 0xE0000FF8L, 4, 16, IoDirection.READ, false, false, 0);
        TestProbe<Outcome> outcome = h.run(rep);
        VcpuRequest.EmulateIo m = h.expectEmulateIo();
        assertEquals(2, m.request().count());
        h.send(0, m.request());
        h.answer(0, 0xCAFE);
        VcpuRequest.EmulateIo rest = h.expectEmulateIo();
        assertEquals(14, rest.request().count());
        assertEquals(0xE0001000L, rest.request().addr());
        h.send(0, rest.request());
        h.answer(0, 0xBEEF);
        outcome.expectMessage(new Outcome(rep, Outcome.Kind.DONE, 0xBEEF, 16, ROUTES.get(0), false, 2));
    }

    /**
     * Spec 7.3 ({@code wait_for_io} on READY or INPROCESS), 4.3 and H18: a wake-up before the answer
     * re-runs completion, which finds the request still in service and blocks again.
     */
    @Test
    void earlyWakeUpsLeaveTheVcpuBlocked() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(4);
        GuestOp.Io read = GuestOp.Io.mmioRead(0xE0000000L, 4);
        TestProbe<Outcome> outcome = h.runAndSend(read, 4);
        h.wake(4);
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, h.state());
        h.slots(4).setState(VCPU, IoreqState.INPROCESS);
        h.wake(4);
        VcpuSnapshot s = h.inspect();
        assertEquals(VcpuState.BLOCKED_ON_IOREQ, s.state());
        assertEquals(0, s.completed());

        h.answer(4, 0x42);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0x42, 1, ROUTES.get(4), false));
    }

    /** Spec 4.3: the wake-up acts only on a vCPU blocked in Xen; nothing is remembered for later. */
    @Test
    void aWakeUpOfAVcpuNotBlockedOnAServerDoesNothing() {
        VcpuHarness h = new VcpuHarness(kit);
        h.wake(0);
        assertEquals(0, h.inspect().completed());

        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.wake(0);
        h.handled(IoStatus.OKAY, 0x1FF, 1, Route.NULL_HANDLER);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0xFF, 1, Route.NULL_HANDLER, false));
        h.domain.expectNoMessage(QUIET);
    }

    /** Spec 7.3: a slot found NONE (the emulator died or the slot was cleared) completes with all ones. */
    @Test
    void aClearedSlotCompletesWithAllOnes() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(3);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3F8, 2);
        TestProbe<Outcome> outcome = h.runAndSend(read, 3);
        h.slots(3).setState(VCPU, IoreqState.NONE);
        h.wake(3);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 0xFFFF, 1, ROUTES.get(3), false));
    }

    /** Spec 9 and H17: an INVALIDATE broadcast blocks the vCPU until every server it went to answered. */
    @Test
    void anInvalidateWaitsForEveryServer() {
        VcpuHarness h = new VcpuHarness(kit);
        h.addServer(6);
        h.addServer(1);
        GuestOp.DecreaseReservation op = new GuestOp.DecreaseReservation();
        TestProbe<Outcome> outcome = h.run(op);
        h.domain.expectMessage(new VcpuRequest.SendInvalidate(VCPU));
        h.send(6, VcpuHarness.invalidate());
        h.send(1, VcpuHarness.invalidate());

        h.answer(1, 0);
        assertEquals("BLOCKED_ON_IOREQ(6,1)", h.inspect().describe());
        h.answer(6, 0);
        outcome.expectMessage(new Outcome(op, Outcome.Kind.DONE, 0, 0, Route.BROADCAST_ROUTE, false));
        assertEquals(VcpuState.RUNNING, h.state());
    }

    /** Spec 9: an INVALIDATE no server took is answered by the domain; the vCPU does not block. */
    @Test
    void anInvalidateNoServerTookIsDoneAtOnce() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.DecreaseReservation op = new GuestOp.DecreaseReservation();
        TestProbe<Outcome> outcome = h.run(op);
        h.domain.expectMessage(new VcpuRequest.SendInvalidate(VCPU));
        assertEquals(VcpuState.RUNNING, h.state());
        h.handled(IoStatus.OKAY, 0, 0, Route.BROADCAST_ROUTE);
        outcome.expectMessage(new Outcome(op, Outcome.Kind.DONE, 0, 0, Route.BROADCAST_ROUTE, false));
    }

    /** Spec 9: a non-zero RTC offset is broadcast buffered; the vCPU does not wait. Zero sends nothing. */
    @Test
    void anRtcOffsetIsBroadcastWithoutWaiting() {
        VcpuHarness h = new VcpuHarness(kit);
        GuestOp.SetRtcOffset set = new GuestOp.SetRtcOffset(-3600);
        h.run(set).expectMessage(new Outcome(set, Outcome.Kind.DONE, 0, 0, Route.BROADCAST_ROUTE, false));
        h.domain.expectMessage(new VcpuRequest.SendTimeoffset(VCPU, -3600));

        GuestOp.SetRtcOffset zero = new GuestOp.SetRtcOffset(0);
        h.run(zero).expectMessage(new Outcome(zero, Outcome.Kind.DONE, 0, 0, Route.BROADCAST_ROUTE, false));
        h.run(GuestOp.Io.pioRead(0x71, 1));
        h.expectEmulateIo();
    }

    /** An answer for a vCPU that is not waiting in Xen (a stale or duplicate one) is ignored. */
    @Test
    void anAnswerNobodyWaitsForIsIgnored() {
        VcpuHarness h = new VcpuHarness(kit);
        h.handled(IoStatus.OKAY, 1, 1, Route.NULL_HANDLER);
        GuestOp.Io read = GuestOp.Io.pioRead(0x3FD, 1);
        TestProbe<Outcome> outcome = h.run(read);
        h.expectEmulateIo();
        h.handled(IoStatus.OKAY, 2, 1, Route.NULL_HANDLER);
        h.handled(IoStatus.OKAY, 3, 1, Route.NULL_HANDLER);
        outcome.expectMessage(new Outcome(read, Outcome.Kind.DONE, 2, 1, Route.NULL_HANDLER, false));
        outcome.expectNoMessage(QUIET);
        assertEquals(1, h.inspect().completed());
    }
}
