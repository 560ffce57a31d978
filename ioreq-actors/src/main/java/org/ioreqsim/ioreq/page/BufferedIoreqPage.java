package org.ioreqsim.ioreq.page;

import org.ioreqsim.ioreq.Xen;

/**
 * A server's buffered page ({@code buffered_iopage_t}) laid over a {@link Page}: the pointer pair in
 * word 0 ({@code read_pointer} low 32 bits, {@code write_pointer} high 32 bits, which Xen also treats
 * as one 64-bit word for compare-and-swap) and 511 eight-byte {@code buf_ioreq_t} slots in words
 * 1..511. Slot {@code i} of the ring is at pointer value {@code p} when {@code i == p mod 511}.
 *
 * <p>Slot layout (GCC x86 bit-fields, spec section 3.2): bits 0..7 type, 8 pad, 9 dir, 10..11 size
 * code, 12..31 addr, 32..63 data.
 */
public final class BufferedIoreqPage {
    private static final int POINTERS = 0;

    private final Page page;

    public BufferedIoreqPage(Page page) {
        this.page = page;
    }

    public Page page() {
        return page;
    }

    public long mfn() {
        return page.mfn();
    }

    /** Both pointers in one atomic read: {@code read_pointer | write_pointer << 32}. */
    public long pointers() {
        return page.getAcquire(POINTERS);
    }

    public int readPointer() {
        return readPointerOf(pointers());
    }

    public int writePointer() {
        return writePointerOf(pointers());
    }

    public static int readPointerOf(long pointers) {
        return (int) pointers;
    }

    public static int writePointerOf(long pointers) {
        return (int) (pointers >>> 32);
    }

    public static long pointersOf(int readPointer, int writePointer) {
        return (readPointer & 0xFFFFFFFFL) | ((long) writePointer << 32);
    }

    /** Unsigned 32-bit {@code write_pointer - read_pointer}: how many slots are published and unread. */
    public static long used(long pointers) {
        return (writePointerOf(pointers) - readPointerOf(pointers)) & 0xFFFFFFFFL;
    }

    /** The 64-bit compare-and-swap of the pointer pair (ATOMIC mode canonicalisation). */
    public boolean compareAndSetPointers(long expect, long update) {
        return page.compareAndSet(POINTERS, expect, update);
    }

    /** Publishes a new write pointer, keeping the read pointer (release: slots before pointer). */
    public void setWritePointer(int wp) {
        long old;
        do {
            old = page.get(POINTERS);
        } while (!page.compareAndSet(POINTERS, old, pointersOf(readPointerOf(old), wp)));
    }

    /**
     * {@code rp += n} atomically, keeping the write pointer: the emulator's update (QEMU's
     * {@code qatomic_add}, spec 8.4). An add, not a store of a value computed earlier: in ATOMIC mode Xen
     * may canonicalise both pointers between the emulator's read and its update.
     */
    public void advanceReadPointer(int n) {
        long old;
        do {
            old = page.get(POINTERS);
        } while (!page.compareAndSet(POINTERS, old, pointersOf(readPointerOf(old) + n, writePointerOf(old))));
    }

    /** Sets the read pointer, keeping the write pointer (a test or a misbehaving emulator). */
    public void setReadPointer(int rp) {
        long old;
        do {
            old = page.get(POINTERS);
        } while (!page.compareAndSet(POINTERS, old, pointersOf(rp, writePointerOf(old))));
    }

    /** Sets both pointers (a malicious or test emulator, or a test pushing them towards 2^32). */
    public void setPointers(int rp, int wp) {
        page.set(POINTERS, pointersOf(rp, wp));
    }

    /** The raw slot at ring position {@code pointer} (taken mod 511 as an unsigned value). */
    public long slotAt(int pointer) {
        return page.get(1 + index(pointer));
    }

    public void setSlotAt(int pointer, long slot) {
        page.set(1 + index(pointer), slot);
    }

    /** {@code pointer % IOREQ_BUFFER_SLOT_NUM} with the pointer as an unsigned 32-bit value. */
    public static int index(int pointer) {
        return (int) Long.remainderUnsigned(pointer & 0xFFFFFFFFL, Xen.IOREQ_BUFFER_SLOT_NUM);
    }

    /** Packs a {@code buf_ioreq_t}. */
    public static long encodeSlot(int type, int dir, int sizeCode, long addr, long data32) {
        long lo = (type & 0xFF) | ((long) (dir & 1) << 9) | ((long) (sizeCode & 3) << 10) | ((addr & 0xFFFFF) << 12);
        return lo | ((data32 & 0xFFFFFFFFL) << 32);
    }

    public static int slotType(long slot) {
        return (int) (slot & 0xFF);
    }

    public static int slotDir(long slot) {
        return (int) ((slot >>> 9) & 1);
    }

    public static int slotSizeCode(long slot) {
        return (int) ((slot >>> 10) & 3);
    }

    public static long slotAddr(long slot) {
        return (slot >>> 12) & 0xFFFFF;
    }

    public static long slotData(long slot) {
        return slot >>> 32;
    }
}
