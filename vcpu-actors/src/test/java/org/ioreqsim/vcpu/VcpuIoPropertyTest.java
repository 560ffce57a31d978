package org.ioreqsim.vcpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.Ioreq;
import org.ioreqsim.ioreq.IoreqState;
import org.ioreqsim.ioreq.IoreqType;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.trace.ModelTracer;

/**
 * Properties of {@link VcpuIo} over random accesses: the size check (spec 5 step 1), rep MMIO
 * truncation (spec 5 step 4, H20), and the send / answer / completion / re-execution round trip
 * (spec 7.3 and spec 5 step 2) under both completion variants (H1's {@code fixOrphanedCompletion}).
 */
class VcpuIoPropertyTest {

    /** Spec 5 step 1: exactly sizes 1, 2, 4 and 8 go on; the others fail with nothing latched. */
    @Property(tries = 200)
    void onlyPowerOfTwoSizesUpToEightAreSent(@ForAll @IntRange(min = -9, max = 70) int size, @ForAll boolean mmio) {
        VcpuIo io = new VcpuIo(0);
        VcpuIo.Start s = io.begin(new GuestOp.Io(mmio, 0x1000, size, 1, IoDirection.READ, false, false, 0));
        if (size == 1 || size == 2 || size == 4 || size == 8) {
            assertInstanceOf(VcpuIo.Send.class, s);
        } else {
            assertInstanceOf(VcpuIo.Refused.class, s);
            assertSame(Ioreq.ZERO, io.latched());
        }
    }

    /**
     * Spec 5 step 4: the truncated count is at least 1 and at most the count asked; when one item fits
     * in the frame the request's bytes ({@code hvm_mmio_first_byte} .. {@code last_byte}) stay in one
     * 4 KiB frame, and one more rep would leave it (the count is the largest that fits).
     */
    @Property(tries = 1000)
    void repMmioStaysInOneFrameAndIsAsLongAsPossible(@ForAll("repMmio") Ioreq p) {
        long n = VcpuIo.truncatedCount(p);
        assertTrue(n >= 1 && n <= p.count(), "count " + n);
        long off = p.addr() & (Xen.PAGE_SIZE - 1);
        if (Xen.PAGE_SIZE - off < p.size()) {
            assertEquals(1, n);
            return;
        }
        assertTrue(inOneFrame(p.withCount(n)), "crosses with count " + n);
        assertTrue(n == p.count() || !inOneFrame(p.withCount(n + 1)), "could be longer than " + n);
    }

    private static boolean inOneFrame(Ioreq p) {
        return Math.floorDiv(p.firstByte(), Xen.PAGE_SIZE) == Math.floorDiv(p.lastByte(), Xen.PAGE_SIZE);
    }

    @Provide
    Arbitrary<Ioreq> repMmio() {
        Arbitrary<Long> addr = Arbitraries.longs().between(3 * Xen.PAGE_SIZE, 6 * Xen.PAGE_SIZE - 1)
                .edgeCases(c -> c.add(4L * Xen.PAGE_SIZE, 5L * Xen.PAGE_SIZE - 1, 5L * Xen.PAGE_SIZE - 4));
        return Combinators.combine(addr, Arbitraries.of(1, 2, 4, 8), Arbitraries.longs().between(2, 3000),
                Arbitraries.of(true, false)).as((a, size, count, df) -> new Ioreq(a, 0, count, size, 0,
                IoreqState.READY, true, IoDirection.READ, df, IoreqType.COPY));
    }

    /**
     * Spec 7.3 then spec 5 step 2, for any non-pointer access and answer: after completion a request
     * that needs completion (spec 3.5) is latched IORESP_READY with exactly the emulator's data, and
     * re-executing the access returns that data and the latched count; any other request (port
     * writes) is done with its latched data untouched, and the same access starts a new request.
     * Both completion variants agree.
     */
    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void anAnswerIsReturnedByReexecutionExactlyWhenTheRequestNeedsCompletion(
            @ForAll("access") GuestOp.Io access, @ForAll("data") long data, @ForAll boolean fixOrphanedCompletion,
            @ForAll @IntRange(min = 0, max = 7) int server) {
        VcpuIo io = new VcpuIo(1, 4, ModelTracer.NONE);
        IoreqVcpuEntry e = TestServers.entry(new MachineMemory(), server, 4);
        io.setEntry(server, e);
        Ioreq p = ((VcpuIo.Send) io.begin(access)).request();
        TestServers.send(io, e, p);
        TestServers.respond(e, data);

        assertEquals(VcpuIo.Step.DONE, io.complete(fixOrphanedCompletion));
        assertEquals(IoreqState.NONE, TestServers.slots(e).state(4));
        assertEquals(server, io.lastAnsweredServer());
        boolean needsCompletion = access.mmio() || access.isRead();
        assertEquals(needsCompletion, p.needsCompletion());
        assertEquals(needsCompletion ? data : p.data(), io.latched().data());
        if (needsCompletion) {
            assertEquals(IoreqState.IORESP_READY, io.latched().state());
            assertEquals(new VcpuIo.Reexecuted(data, p.count()), io.begin(access));
        } else {
            assertEquals(IoreqState.NONE, io.latched().state());
            assertInstanceOf(VcpuIo.Send.class, io.begin(access));
        }
        assertEquals(needsCompletion ? IoreqState.NONE : IoreqState.READY, io.latched().state());
    }

    @Provide
    Arbitrary<GuestOp.Io> access() {
        Arbitrary<Boolean> mmio = Arbitraries.of(true, false);
        return mmio.flatMap(m -> Combinators.combine(
                m ? Arbitraries.longs().between(0xE0000000L, 0xE0003FFFL) : Arbitraries.longs().between(0, 0xFFFF),
                m ? Arbitraries.of(1, 2, 4, 8) : Arbitraries.of(1, 2, 4),
                Arbitraries.longs().between(1, 4), Arbitraries.of(IoDirection.READ, IoDirection.WRITE),
                Arbitraries.of(true, false), Arbitraries.longs())
                .as((addr, size, count, dir, df, value) -> new GuestOp.Io(m, addr, size, count, dir, df, false,
                        dir == IoDirection.READ ? 0 : value)));
    }

    /** Answers, with the extremes drawn often (edge-case generation is off: too many combinations). */
    @Provide
    Arbitrary<Long> data() {
        return Arbitraries.oneOf(Arbitraries.of(0L, -1L, 0xFFL, Long.MIN_VALUE, Long.MAX_VALUE), Arbitraries.longs());
    }

    /** H1: with no pending entry the seed leaves the latched request READY; the fix always settles it. */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void anOrphanedCompletionSettlesTheLatchedStateOnlyWithTheFix(@ForAll("access") GuestOp.Io access,
                                                                  @ForAll boolean fix,
                                                                  @ForAll @IntRange(min = 0, max = 7) int id) {
        VcpuIo io = new VcpuIo(1, 0, ModelTracer.NONE);
        IoreqVcpuEntry e = TestServers.entry(new MachineMemory(), id, 0);
        io.setEntry(id, e);
        Ioreq p = ((VcpuIo.Send) io.begin(access)).request();
        TestServers.send(io, e, p);
        io.setEntry(id, null);

        assertEquals(VcpuIo.Step.DONE, io.complete(fix));
        int expected = !fix ? IoreqState.READY : p.needsCompletion() ? IoreqState.IORESP_READY : IoreqState.NONE;
        assertEquals(expected, io.latched().state());
        assertEquals(!fix, io.isDeferringShutdown());
    }
}
