package org.ioreqsim.vcpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RepString}: the passes of a rep instruction (spec 5), as x86_emulate's {@code put_rep_prefix}
 * re-runs it and hvmemul limits each pass ({@code hvmemul_linear_to_phys}'s 4096 reps,
 * {@code hvmemul_do_io_addr}'s guest-buffer page, the seed's {@code nr_reps == 1} read_io/write_io).
 */
class RepStringTest {

    /** Byte-addressed RAM everywhere. */
    private static final class Ram implements GuestMemory {
        final Map<Long, Byte> bytes = new HashMap<>();

        @Override
        public boolean isPopulated(long gpa) {
            return true;
        }

        @Override
        public long read(long gpa, int size) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (bytes.getOrDefault(gpa + i, (byte) 0) & 0xFF);
            }
            return v;
        }

        @Override
        public void write(long gpa, int size, long value) {
            for (int i = 0; i < size; i++) {
                bytes.put(gpa + i, (byte) (value >>> (8 * i)));
            }
        }

        @Override
        public Page frame(long gfn) {
            return null;
        }
    }

    private final Ram ram = new Ram();

    /** Runs every pass as if it did all its reps; returns each pass's (count, ptr-or-data). */
    private List<long[]> passes(GuestOp.Io op) {
        RepString r = new RepString();
        r.start(op, ram);
        List<long[]> out = new ArrayList<>();
        boolean again = true;
        while (again) {
            GuestOp.Io p = r.pass();
            out.add(new long[] {p.count(), p.data(), p.addr(), p.dataIsPtr() ? 1 : 0});
            again = r.retire(p.count(), 0x1234, ram);
        }
        assertEquals(op.count(), r.done());
        assertEquals(out.size(), r.passes());
        return out;
    }

    @ParameterizedTest(name = "hvmemul_do_io_addr: ptr {0} size {1} df {2} -> {3} reps")
    @CsvSource({
        "0x5000, 4, false, 1024", "0x5ff8, 4, false, 2", "0x5ffe, 4, false, 0",
        "0x5004, 4, true, 1", "0x5000, 4, true, 0", "0x5ffc, 4, true, 1023", "0x5ffe, 4, true, 0"})
    void guestBufferPageLimitsAPass(String ptr, int size, boolean df, long reps) {
        assertEquals(reps, RepString.bufferReps(Long.decode(ptr), size, df));
    }

    @Test
    void aPortReadIntoABufferCrossingAPageRunsAgainFromTheNextPage() {
        List<long[]> p = passes(new GuestOp.Io(false, 0x300, 4, 4, IoDirection.READ, false, true, 0x5ff8));
        assertEquals(2, p.size());
        assertEquals(List.of(2L, 0x5ff8L), List.of(p.get(0)[0], p.get(0)[1]));
        assertEquals(List.of(2L, 0x6000L, 0x300L), List.of(p.get(1)[0], p.get(1)[1], p.get(1)[2]));
    }

    @Test
    void withDfTheBufferMovesDownAndAZeroFitIsOneRep() {
        List<long[]> p = passes(new GuestOp.Io(false, 0x300, 4, 4, IoDirection.WRITE, true, true, 0x5004));
        assertEquals(3, p.size());
        assertEquals(1, p.get(0)[0]);
        assertEquals(0x5000, p.get(1)[1]);
        assertEquals(1, p.get(1)[0]);
        assertEquals(0x4ffc, p.get(2)[1]);
        assertEquals(2, p.get(2)[0]);
    }

    @Test
    void aPassDoesAtMost4096Reps() {
        List<long[]> p = passes(new GuestOp.Io(false, 0x80, 1, 5000, IoDirection.WRITE, false, true, 0x10000));
        assertEquals(4096, p.get(0)[0]);
        assertEquals(904, p.get(1)[0]);
        assertEquals(0x11000, p.get(1)[1]);
    }

    @Test
    void theLastRepOfAnInsIsAPlainReadWhoseValueGoesToEsRdi() {
        RepString r = new RepString();
        r.start(new GuestOp.Io(false, 0x300, 2, 3, IoDirection.READ, false, true, 0x7ffc), ram);
        assertEquals(2, r.pass().count());
        assertTrue(r.retire(2, 0, ram));
        GuestOp.Io last = r.pass();
        assertFalse(last.dataIsPtr());
        assertEquals(1, last.count());
        assertFalse(r.retire(1, 0xbeef, ram));
        assertEquals(0xbeef, ram.read(0x8000, 2));
        assertEquals(3, r.done());
    }

    @Test
    void theLastRepOfAnOutsCarriesTheValueReadFromEsRsi() {
        ram.write(0x6100, 2, 0xcafe);
        RepString r = new RepString();
        r.start(new GuestOp.Io(false, 0x300, 2, 1, IoDirection.WRITE, true, true, 0x6100), ram);
        GuestOp.Io last = r.pass();
        assertFalse(last.dataIsPtr());
        assertFalse(last.df());
        assertEquals(0xcafe, last.data());
    }

    @Test
    void aPassThatFitsIsTheInstructionItselfAndRepMmioMovesTheAddress() {
        GuestOp.Io op = new GuestOp.Io(true, 0xe0000ff8L, 4, 4, IoDirection.READ, false, true, 0x5000);
        RepString r = new RepString();
        r.start(op, ram);
        assertSame(op, r.pass());
        // hvmemul_do_io cut it at the MMIO frame: 2 done
        assertTrue(r.retire(2, 0, ram));
        assertEquals(0xe0001000L, r.pass().addr());
        assertEquals(0x5008, r.pass().data());
        assertEquals(2, r.pass().count());
    }

    @Test
    void aSingleNonPointerAccessNeedsNoPasses() {
        assertFalse(RepString.needed(GuestOp.Io.pioRead(0x60, 1)));
        assertTrue(RepString.needed(new GuestOp.Io(false, 0x60, 1, 1, IoDirection.READ, false, true, 0x5000)));
        assertTrue(RepString.needed(new GuestOp.Io(true, 0xe0000000L, 4, 2, IoDirection.WRITE, false, false, 7)));
    }
}
