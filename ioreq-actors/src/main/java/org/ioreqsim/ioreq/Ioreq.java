package org.ioreqsim.ioreq;

import java.util.Objects;

/**
 * One I/O request, field for field Xen's {@code ioreq_t} (public/hvm/ioreq.h): what Xen latches per
 * vCPU, copies into a server's shared slot, and what an emulator reads back.
 *
 * @param addr      port number, guest-physical address, or {@code (SBDF << 32) | register} for PCI_CONFIG
 * @param data      the value (write, or a read's answer), or a guest-physical buffer address if {@code dataIsPtr}
 * @param count     repetitions (u32)
 * @param size      bytes per repetition (u32)
 * @param vpEport   the target-domain event-channel port of this (server, vCPU)
 * @param state     the 4-bit state, see {@link IoreqState}
 * @param dataIsPtr whether {@code data} is a guest buffer address
 * @param dir       read or write
 * @param df        the direction flag of rep string ops (addresses decrease)
 * @param type      the request type
 */
public record Ioreq(long addr, long data, long count, long size, long vpEport, int state,
                    boolean dataIsPtr, IoDirection dir, boolean df, IoreqType type) {

    public Ioreq {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(type, "type");
    }

    public boolean isRead() {
        return dir == IoDirection.READ;
    }

    public boolean isWrite() {
        return dir == IoDirection.WRITE;
    }

    public Ioreq withState(int newState) {
        return new Ioreq(addr, data, count, size, vpEport, newState, dataIsPtr, dir, df, type);
    }

    public Ioreq withCount(long newCount) {
        if (newCount == count) {
            return this;
        }
        return new Ioreq(addr, data, newCount, size, vpEport, state, dataIsPtr, dir, df, type);
    }

    public Ioreq withData(long newData) {
        return new Ioreq(addr, newData, count, size, vpEport, state, dataIsPtr, dir, df, type);
    }

    public Ioreq withPortAndState(long port, int newState) {
        return new Ioreq(addr, data, count, size, port, newState, dataIsPtr, dir, df, type);
    }

    /** Routing rewrite of a PCI config data cycle (hvm_select_ioreq_server). */
    public Ioreq asPciConfig(long key) {
        return new Ioreq(key, data, count, size, vpEport, state, dataIsPtr, dir, df, IoreqType.PCI_CONFIG);
    }

    /**
     * {@code hvm_ioreq_needs_completion}: a latched request must be re-executed to consume its answer
     * unless it is a pointer request or a port write.
     */
    public boolean needsCompletion() {
        return state == IoreqState.READY && completesByReexecution();
    }

    /**
     * The state-independent part of {@link #needsCompletion}: the answer is consumed by re-executing the
     * access (not a pointer request, not a port write).
     */
    public boolean completesByReexecution() {
        return !dataIsPtr && !(type == IoreqType.PIO && dir == IoDirection.WRITE);
    }

    /** {@code hvm_mmio_first_byte}. */
    public long firstByte() {
        return df ? addr - (count - 1) * size : addr;
    }

    /** {@code hvm_mmio_last_byte}. */
    public long lastByte() {
        return df ? addr + size - 1 : addr + count * size - 1;
    }

    /** A fresh guest-originated request in state READY, as {@code hvmemul_do_io} builds it. */
    public static Ioreq guest(boolean mmio, long addr, long size, long count, IoDirection dir, boolean df,
                              boolean dataIsPtr, long data) {
        return new Ioreq(addr, data, count, size, 0, IoreqState.READY, dataIsPtr, dir, df,
                mmio ? IoreqType.COPY : IoreqType.PIO);
    }

    /** An all-zero ioreq_t (a cleared slot). */
    public static final Ioreq ZERO = new Ioreq(0, 0, 0, 0, 0, IoreqState.NONE, false, IoDirection.WRITE, false,
            IoreqType.PIO);
}
