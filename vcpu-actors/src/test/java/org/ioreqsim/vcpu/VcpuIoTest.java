package org.ioreqsim.vcpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.ServerPage;
import org.ioreqsim.ioreq.trace.ModelTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VcpuIo} on its own: the vCPU's steps 1 to 5 of {@code hvmemul_do_io} (spec 5) and
 * {@code handle_hvm_io_completion} with {@code hvm_wait_for_io} and {@code hvm_io_assist} (spec 7.3),
 * played against hand-made entries and slots.
 */
class VcpuIoTest {
    private static final int V = 2;
    private static final GuestOp.Io PIO_READ = GuestOp.Io.pioRead(0x3FD, 1);
    private static final GuestOp.Io PIO_WRITE = GuestOp.Io.pioWrite(0x3F8, 1, 0x41);

    private final MachineMemory memory = new MachineMemory();
    private final VcpuIo io = new VcpuIo(1, V, ModelTracer.NONE);

    private IoreqVcpuEntry server(int id) {
        IoreqVcpuEntry e = TestServers.entry(memory, id, V);
        io.setEntry(id, e);
        return e;
    }

    /** begin, then the domain sends the latched request to {@code e}. */
    private Ioreq beginAndSend(GuestOp.Io access, IoreqVcpuEntry e) {
        Ioreq p = ((VcpuIo.Send) io.begin(access)).request();
        TestServers.send(io, e, p);
        return p;
    }

    /** Spec 5 steps 3 and 5: the request is built READY, typed PIO or COPY, and latched as sent. */
    @Test
    void beginBuildsAndLatchesTheRequest() {
        Ioreq expected = new Ioreq(0x3FD, 0, 1, 1, 0, IoreqState.READY, false, IoDirection.READ, false, IoreqType.PIO);
        assertEquals(new VcpuIo.Send(expected), io.begin(PIO_READ));
        assertEquals(expected, io.latched());

        VcpuIo other = new VcpuIo(V);
        Ioreq mmio = ((VcpuIo.Send) other.begin(GuestOp.Io.mmioWrite(0xE0000008L, 8, 0x1122334455667788L))).request();
        assertEquals(new Ioreq(0xE0000008L, 0x1122334455667788L, 1, 8, 0, IoreqState.READY, false, IoDirection.WRITE,
                false, IoreqType.COPY), mmio);
    }

    @Test
    void beginClearsTheCompletionOfTheLastAccess() {
        io.setIoCompletion(IoCompletion.PIO);
        io.begin(PIO_READ);
        assertEquals(IoCompletion.NONE, io.ioCompletion());
    }

    /** Spec 5 step 1: a size above 8 or not a power of two is an emulation failure; nothing is latched. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 6, 7, 12, 16, 32, -4})
    void aBadSizeIsRefusedBeforeAnythingIsLatched(int size) {
        VcpuIo.Start s = io.begin(new GuestOp.Io(true, 0xE0000000L, size, 1, IoDirection.READ, false, false, 0));
        assertInstanceOf(VcpuIo.Refused.class, s);
        assertSame(Ioreq.ZERO, io.latched());
    }

    /** Spec 5 step 2, "anything else (READY = still in flight)": UNHANDLEABLE, the latched request kept. */
    @Test
    void anAccessWhileTheLastIsInFlightIsRefused() {
        Ioreq first = ((VcpuIo.Send) io.begin(PIO_READ)).request();
        assertEquals(new VcpuIo.Refused("io_req.state STATE_IOREQ_READY"), io.begin(PIO_WRITE));
        assertEquals(first, io.latched());
    }

    /** Spec 5 step 4 and H20: rep MMIO stops at the 4 KiB frame; PIO and single accesses are not cut. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("repAccesses")
    void repMmioIsTruncatedAtTheFrame(String name, GuestOp.Io access, long expectedCount) {
        Ioreq sent = ((VcpuIo.Send) io.begin(access)).request();
        assertEquals(expectedCount, sent.count());
        assertEquals(expectedCount, io.latched().count());
    }

    static Stream<Arguments> repAccesses() {
        return Stream.of(
                Arguments.of("up, 8 bytes left", rep(true, 0x1FF8, 4, 16, false), 2L),
                Arguments.of("up, whole frame left", rep(true, 0x1000, 4, 16, false), 16L),
                Arguments.of("up, item straddles the frame", rep(true, 0x1FFE, 4, 16, false), 1L),
                Arguments.of("down, 8 bytes below", rep(true, 0x1008, 4, 16, true), 3L),
                Arguments.of("down, at the frame start", rep(true, 0x1000, 8, 16, true), 1L),
                Arguments.of("PIO is not truncated", rep(false, 0xFFE, 2, 16, false), 16L));
    }

    private static GuestOp.Io rep(boolean mmio, long addr, int size, long count, boolean df) {
        return new GuestOp.Io(mmio, addr, size, count, IoDirection.WRITE, df, true, 0x8000);
    }

    /** The domain's side: intercepts set the latched count; a handled request clears the latched state. */
    @Test
    void theDomainSetsTheCountAndClearsTheLatchedState() {
        io.begin(GuestOp.Io.mmioRead(0xE0000000L, 4));
        io.setLatchedCount(1);
        assertEquals(1, io.latched().count());
        io.clearLatched();
        assertEquals(IoreqState.NONE, io.latched().state());
        assertInstanceOf(VcpuIo.Send.class, io.begin(PIO_READ));
    }

    /**
     * Spec 7.3 then spec 5 step 2: the answer is latched IORESP_READY with the emulator's data
     * ({@code hvm_io_assist}), the slot goes back to NONE, and re-executing the same access consumes it.
     */
    @Test
    void anAnswerIsLatchedAndConsumedByReexecution() {
        IoreqVcpuEntry e = server(0);
        beginAndSend(PIO_READ, e);
        TestServers.respond(e, 0xAB);

        assertEquals(VcpuIo.Step.DONE, io.complete(false));
        assertEquals(IoreqState.IORESP_READY, io.latched().state());
        assertEquals(0xAB, io.latched().data());
        assertEquals(IoreqState.NONE, TestServers.slots(e).state(V));
        assertFalse(e.isPending());
        assertFalse(io.isSentToServer());
        assertFalse(io.isDeferringShutdown());
        assertEquals(0, io.lastAnsweredServer());

        assertEquals(new VcpuIo.Reexecuted(0xAB, 1), io.begin(PIO_READ));
        assertEquals(IoreqState.NONE, io.latched().state());
    }

    /**
     * Spec 5 steps 2 to 5 and 7.3 on the vCPU's hot path ({@code start}, which builds no records): the
     * request it sends is the latched one itself; the answer latched by {@code hvm_io_assist} and its
     * consumption by the re-execution show in {@code latched()} as begin's path shows them, and the
     * re-execution's data and reps are the latched ones.
     */
    @Test
    void theHotPathLatchesAndConsumesAnAnswerAsBeginDoes() {
        IoreqVcpuEntry e = server(0);
        GuestOp.Io read = new GuestOp.Io(true, 0xE0000FF0L, 4, 9, IoDirection.READ, false, false, 0);
        assertEquals(VcpuIo.SEND, io.start(read));
        Ioreq sent = io.latched();
        assertSame(sent, io.latched());
        assertEquals(new Ioreq(0xE0000FF0L, 0, 4, 4, 0, IoreqState.READY, false, IoDirection.READ, false,
                IoreqType.COPY), sent);
        assertEquals(4, io.latchedCount());
        TestServers.send(io, e, sent);
        TestServers.respond(e, 0xCAFE);

        assertEquals(VcpuIo.Step.DONE, io.complete(false));
        assertEquals(sent.withData(0xCAFE).withState(IoreqState.IORESP_READY), io.latched());
        assertEquals(VcpuIo.REEXECUTED, io.start(read));
        assertEquals(0xCAFE, io.latchedData());
        assertEquals(4, io.latchedCount());
        assertEquals(sent.withData(0xCAFE).withState(IoreqState.NONE), io.latched());

        assertEquals(VcpuIo.REFUSED, io.start(GuestOp.Io.mmioRead(0xE0000000L, 3)));
        assertEquals(VcpuIo.SEND, io.start(PIO_READ));
        assertEquals(VcpuIo.REFUSED, io.start(PIO_READ));
        assertEquals(new VcpuIo.Refused("io_req.state STATE_IOREQ_READY"), io.begin(PIO_READ));
    }

    /**
     * Spec 5 step 6 (the domain's side while the vCPU waits): the intercepts' count and a request handled
     * without a server change only the latched count and state.
     */
    @Test
    void theDomainsEditsChangeOnlyCountAndState() {
        Ioreq sent = ((VcpuIo.Send) io.begin(new GuestOp.Io(true, 0xE0000000L, 2, 6, IoDirection.READ, false, false, 0))).request();
        io.setLatchedCount(2);
        assertEquals(sent.withCount(2), io.latched());
        io.clearLatched();
        assertEquals(sent.withCount(2).withState(IoreqState.NONE), io.latched());
        assertEquals(2, io.latchedCount());
        assertInstanceOf(VcpuIo.Send.class, io.begin(PIO_READ));
    }

    /** Spec 3.5: a port write needs no completion, so the answer leaves nothing to re-execute. */
    @Test
    void aPortWriteNeedsNoReexecution() {
        IoreqVcpuEntry e = server(0);
        beginAndSend(PIO_WRITE, e);
        TestServers.respond(e, 0);
        assertEquals(VcpuIo.Step.DONE, io.complete(false));
        assertEquals(IoreqState.NONE, io.latched().state());
        assertInstanceOf(VcpuIo.Send.class, io.begin(PIO_WRITE));
    }

    /**
     * Spec 5 step 2: the re-issued access must match the latched one (type, addr, size, count &le;,
     * dir, df, data_is_ptr), else the domain crashes; the latched state is NONE either way.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void aReissuedAccessThatDiffersCrashesTheDomain(String field, GuestOp.Io reissued) {
        GuestOp.Io access = new GuestOp.Io(true, 0xE0000010L, 4, 2, IoDirection.READ, false, false, 0);
        IoreqVcpuEntry e = server(0);
        beginAndSend(access, e);
        TestServers.respond(e, 7);
        io.complete(false);

        DomainCrash crash = assertThrows(DomainCrash.class, () -> io.begin(reissued));
        assertEquals("re-issued access does not match the latched ioreq", crash.reason());
        assertEquals(IoreqState.NONE, io.latched().state());
    }

    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("type", new GuestOp.Io(false, 0xE0000010L, 4, 2, IoDirection.READ, false, false, 0)),
                Arguments.of("addr", new GuestOp.Io(true, 0xE0000014L, 4, 2, IoDirection.READ, false, false, 0)),
                Arguments.of("size", new GuestOp.Io(true, 0xE0000010L, 2, 2, IoDirection.READ, false, false, 0)),
                Arguments.of("count", new GuestOp.Io(true, 0xE0000010L, 4, 1, IoDirection.READ, false, false, 0)),
                Arguments.of("dir", new GuestOp.Io(true, 0xE0000010L, 4, 2, IoDirection.WRITE, false, false, 0)),
                Arguments.of("df", new GuestOp.Io(true, 0xE0000010L, 4, 2, IoDirection.READ, true, false, 0)),
                Arguments.of("data_is_ptr", new GuestOp.Io(true, 0xE0000010L, 4, 2, IoDirection.READ, false, true, 0)));
    }

    /** Spec 5 step 2: "count &le;" — a re-issue with more reps matches and gets the latched count. */
    @Test
    void aReissueWithMoreRepsGetsTheLatchedCount() {
        IoreqVcpuEntry e = server(0);
        beginAndSend(new GuestOp.Io(true, 0xE0000010L, 4, 2, IoDirection.READ, false, false, 0), e);
        TestServers.respond(e, 7);
        io.complete(false);
        assertEquals(new VcpuIo.Reexecuted(7, 2),
                io.begin(new GuestOp.Io(true, 0xE0000010L, 4, 9, IoDirection.READ, false, false, 0)));
    }

    /** Spec 7.3, {@code hvm_wait_for_io} on each slot state of a pending entry (XSA-262 for 4..15). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 7, 15})
    void completionOnEachSlotState(int state) {
        IoreqVcpuEntry e = server(5);
        beginAndSend(GuestOp.Io.mmioRead(0xE0000000L, 4), e);
        TestServers.slots(e).setData(V, 0x1234);
        TestServers.slots(e).setState(V, state);

        switch (state) {
            case IoreqState.NONE, IoreqState.IORESP_READY -> {
                assertEquals(VcpuIo.Step.DONE, io.complete(false));
                assertEquals(state == IoreqState.NONE ? ~0L : 0x1234, io.latched().data());
                assertEquals(IoreqState.IORESP_READY, io.latched().state());
                assertEquals(IoreqState.NONE, TestServers.slots(e).state(V));
                assertFalse(e.isPending());
                assertEquals(5, io.lastAnsweredServer());
            }
            case IoreqState.READY, IoreqState.INPROCESS -> {
                assertEquals(VcpuIo.Step.WAIT, io.complete(false));
                assertTrue(e.isPending());
                assertTrue(io.isSentToServer());
                assertTrue(io.isDeferringShutdown());
                assertEquals(IoreqState.READY, io.latched().state());
                assertEquals(state, TestServers.slots(e).state(V));
            }
            default -> {
                DomainCrash crash = assertThrows(DomainCrash.class, () -> io.complete(false));
                assertEquals("Weird HVM iorequest state " + state, crash.reason());
                assertFalse(e.isPending());
            }
        }
    }

    /**
     * Spec 7.3 and H17: servers are waited for from 7 down to 0, every pending one; a pass stops at the
     * first server still busy and leaves lower ones (even answered ones) for the next wake-up.
     */
    @Test
    void completionWaitsForEveryPendingServerFromSevenDown() {
        IoreqVcpuEntry high = server(6);
        IoreqVcpuEntry low = server(1);
        TestServers.send(io, high, VcpuHarness.invalidate());
        TestServers.send(io, low, VcpuHarness.invalidate());
        assertArrayEquals(new int[] {6, 1}, io.pendingServers());

        TestServers.respond(low, 0);
        assertEquals(VcpuIo.Step.WAIT, io.complete(false));
        assertTrue(low.isPending());
        assertEquals(IoreqState.IORESP_READY, TestServers.slots(low).state(V));

        TestServers.respond(high, 0);
        assertEquals(VcpuIo.Step.DONE, io.complete(false));
        assertArrayEquals(new int[0], io.pendingServers());
        assertEquals(IoreqState.NONE, TestServers.slots(low).state(V));
        assertEquals(1, io.lastAnsweredServer());
        assertFalse(io.isSentToServer());
    }

    @Test
    void aHigherServerAnsweredFirstIsConsumedWhileALowerOneIsAwaited() {
        IoreqVcpuEntry high = server(6);
        IoreqVcpuEntry low = server(1);
        TestServers.send(io, high, VcpuHarness.invalidate());
        TestServers.send(io, low, VcpuHarness.invalidate());
        TestServers.respond(high, 0);
        assertEquals(VcpuIo.Step.WAIT, io.complete(false));
        assertArrayEquals(new int[] {1}, io.pendingServers());
        assertEquals(6, io.lastAnsweredServer());
    }

    /** Spec 7.3: only entries with {@code pending} are looked at; another server's slot is not read. */
    @Test
    void entriesWithoutAPendingRequestAreIgnored() {
        IoreqVcpuEntry idle = server(7);
        TestServers.slots(idle).setState(V, 9);
        IoreqVcpuEntry e = server(0);
        beginAndSend(PIO_READ, e);
        TestServers.respond(e, 1);
        assertEquals(VcpuIo.Step.DONE, io.complete(false));
    }

    /** H12: completion on a server whose synchronous page is gone is a hypervisor fault (domain crash). */
    @Test
    void aPendingEntryWithoutAPageCrashesTheDomain() {
        IoreqVcpuEntry e = new IoreqVcpuEntry(2, V, 9, new ServerPage());
        io.setEntry(2, e);
        e.setPending(true);
        DomainCrash crash = assertThrows(DomainCrash.class, () -> io.complete(false));
        assertTrue(crash.reason().startsWith("hypervisor fault"), crash.reason());
    }

    /**
     * H1 at the seed: the server was destroyed with the request pending. A wake-up finds no pending
     * entry and completes, but the latched state stays READY and shutdown deferral stays on, so the
     * next access is refused (spec 5 step 2).
     */
    @Test
    void anOrphanedCompletionLeavesTheLatchedRequestInFlightAtTheSeed() {
        beginAndSend(PIO_READ, server(0));
        io.setEntry(0, null);
        assertEquals(VcpuIo.Step.DONE, io.complete(false));
        assertEquals(IoreqState.READY, io.latched().state());
        assertTrue(io.isDeferringShutdown());
        assertFalse(io.isSentToServer());
        assertInstanceOf(VcpuIo.Refused.class, io.begin(PIO_READ));
    }

    /** H1 with f7039ee41b ({@code fixOrphanedCompletion}): completion resets the latched state and deferral. */
    @Test
    void anOrphanedCompletionIsResetWithTheFix() {
        beginAndSend(PIO_READ, server(0));
        io.setEntry(0, null);
        assertEquals(VcpuIo.Step.DONE, io.complete(true));
        assertEquals(IoreqState.IORESP_READY, io.latched().state());
        assertFalse(io.isDeferringShutdown());
        assertEquals(new VcpuIo.Reexecuted(0, 1), io.begin(PIO_READ));

        beginAndSend(PIO_WRITE, server(1));
        io.setEntry(1, null);
        assertEquals(VcpuIo.Step.DONE, io.complete(true));
        assertEquals(IoreqState.NONE, io.latched().state());
    }

    /** With the fix the answered data is still what re-execution returns (assist stores it, the loop's end latches). */
    @Test
    void theFixKeepsTheAnsweredData() {
        IoreqVcpuEntry e = server(3);
        beginAndSend(GuestOp.Io.mmioRead(0xE0000000L, 2), e);
        TestServers.respond(e, 0xBEEF);
        assertEquals(VcpuIo.Step.DONE, io.complete(true));
        assertEquals(new VcpuIo.Reexecuted(0xBEEF, 1), io.begin(GuestOp.Io.mmioRead(0xE0000000L, 2)));
    }

    @Test
    void entriesAreInstalledAndFreedBySlot() {
        IoreqVcpuEntry e = server(4);
        assertSame(e, io.entry(4));
        assertArrayEquals(new int[0], io.pendingServers());
        io.setEntry(4, null);
        assertNull(io.entry(4));
    }
}
