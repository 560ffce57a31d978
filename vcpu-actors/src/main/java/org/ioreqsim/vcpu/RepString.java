package org.ioreqsim.vcpu;

import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.GuestMemory;

/**
 * One rep instruction's progress, as x86_emulate and hvmemul keep it across passes: each pass is one
 * emulation of the instruction ({@code hvmemul_do_io} with the reps this pass may do); what the pass
 * did is retired ({@code put_rep_prefix}: rCX counts down, rSI/rDI and an MMIO address move by
 * reps&times;size, backwards with DF); while rCX is not zero rIP stays on the instruction and it runs
 * again ({@code mmio_retry} / the guest re-executing it), so the rest goes out as a new request.
 *
 * <p>What one pass may do before {@code hvmemul_do_io} cuts it further (rep MMIO at a 4 KiB frame,
 * an intercept doing only some reps):
 * <ul>
 *   <li>at most {@value #MAX_REPS} reps ({@code hvmemul_virtual_to_linear}, {@code hvmemul_linear_to_phys});
 *   <li>a guest-buffer access ({@code data_is_ptr}) stays within the buffer's page
 *       ({@code hvmemul_do_io_addr}: {@code df ? ((page_off + size - 1) & ~PAGE_MASK) / size
 *       : (PAGE_SIZE - page_off) / size}, and one rep when that is 0);
 *   <li>the last rep (rCX == 1) of a guest-buffer access does not use the buffer form: INS reads
 *       the port with {@code read_io} and writes the value to ES:rDI, OUTS and MOVS read the source
 *       first and write it with {@code write_io} or an ordinary MMIO write (x86_emulate at the seed:
 *       {@code nr_reps == 1}); that request is a single non-pointer access with DF clear.
 * </ul>
 * A single non-pointer access is its own only pass; {@link Vcpu} creates none of this for it.
 */
final class RepString {
    /** {@code hvmemul_linear_to_phys}: "Clip repetitions to a sensible maximum". */
    static final long MAX_REPS = 4096;

    private GuestOp.Io op;
    private GuestOp.Io pass;
    private long remaining;
    private long addr;
    private long ptr;
    private long done;
    private int passes;
    private boolean lastRep;

    /** A rep instruction starts: rCX = count, rSI/rDI = the buffer, the first pass. */
    void start(GuestOp.Io instruction, GuestMemory memory) {
        op = instruction;
        remaining = instruction.count();
        addr = instruction.addr();
        ptr = instruction.data();
        done = 0;
        passes = 0;
        pass = nextPass(memory);
    }

    /** The access this pass hands to {@code hvmemul_do_io}. */
    GuestOp.Io pass() {
        return pass;
    }

    /** Reps retired so far. */
    long done() {
        return done;
    }

    /** Passes retired so far. */
    int passes() {
        return passes;
    }

    /**
     * {@code put_rep_prefix(reps)} after a pass did {@code reps}: an INS last rep writes the value
     * read to ES:rDI; rCX counts down and the addresses move. Returns true when rCX is not zero (the
     * instruction runs again: {@link #pass()} is the next pass).
     */
    boolean retire(long reps, long data, GuestMemory memory) {
        if (lastRep && op.isRead()) {
            memory.write(ptr, op.size(), data);
        }
        passes++;
        done += reps;
        remaining -= reps;
        long step = reps * op.size();
        ptr = op.df() ? ptr - step : ptr + step;
        if (op.mmio()) {
            addr = op.df() ? addr - step : addr + step;
        }
        if (remaining == 0 || reps == 0 || Long.compareUnsigned(reps, remaining + reps) > 0) {
            return false;
        }
        pass = nextPass(memory);
        return true;
    }

    private GuestOp.Io nextPass(GuestMemory memory) {
        lastRep = op.dataIsPtr() && remaining == 1;
        if (lastRep) {
            long value = op.isRead() ? 0 : memory.read(ptr, op.size());
            return new GuestOp.Io(op.mmio(), addr, op.size(), 1, op.dir(), false, false, value);
        }
        long count = Long.compareUnsigned(remaining, MAX_REPS) < 0 ? remaining : MAX_REPS;
        if (op.dataIsPtr()) {
            count = Math.max(1, Math.min(count, bufferReps(ptr, op.size(), op.df())));
        }
        if (count == op.count() && addr == op.addr() && ptr == op.data()) {
            return op;
        }
        return new GuestOp.Io(op.mmio(), addr, op.size(), count, op.dir(), op.df(), op.dataIsPtr(),
                op.dataIsPtr() ? ptr : op.data());
    }

    /** {@code hvmemul_do_io_addr}: how many reps fit within the buffer's page (0: one spans two). */
    static long bufferReps(long gpa, int size, boolean df) {
        long pageOff = gpa & (Xen.PAGE_SIZE - 1);
        return df ? ((pageOff + size - 1) & (Xen.PAGE_SIZE - 1)) / size : (Xen.PAGE_SIZE - pageOff) / size;
    }

    /** Whether an access needs this: more than one rep, or one rep through a guest buffer. */
    static boolean needed(GuestOp.Io io) {
        return Long.compareUnsigned(io.count(), 1) > 0 || (io.count() == 1 && io.dataIsPtr());
    }
}
