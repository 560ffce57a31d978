package org.ioreqsim.ioreq.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One 4 KiB frame of machine memory, shared by whoever maps it (Xen, the guest, an emulator), as 512
 * little-endian 64-bit words. Word access is atomic; {@link #getAcquire}/{@link #setRelease} give the
 * ordering Xen gets from {@code smp_rmb}/{@code smp_wmb} around the state byte and the ring pointers.
 *
 * <p>A frame nobody has written to holds no array of its own: it reads as the shared zero frame until
 * its first write, which installs its words with a compare-and-set (a guest's buffered-ioreq page, for
 * one, stays zero in a run without buffered writes, and every guest has one).
 */
public final class Page {
    public static final int WORDS = 512;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle WORDS_FIELD;
    /** Every unwritten frame's words; never written. */
    private static final long[] ZERO = new long[WORDS];

    static {
        try {
            WORDS_FIELD = MethodHandles.lookup().findVarHandle(Page.class, "words", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long mfn;
    private final int ownerDomid;
    /** ZERO until the first write; read with acquire, installed once with a compare-and-set. */
    private long[] words = ZERO;
    /** How many times the frame was cleared. */
    private volatile int clears;

    Page(long mfn, int ownerDomid) {
        this.mfn = mfn;
        this.ownerDomid = ownerDomid;
    }

    /** The machine frame number. */
    public long mfn() {
        return mfn;
    }

    /** The domain the frame was allocated to. */
    public int ownerDomid() {
        return ownerDomid;
    }

    private long[] words() {
        return (long[]) WORDS_FIELD.getAcquire(this);
    }

    /** The frame's own words, installed on the first write. */
    private long[] writable() {
        long[] w = words();
        if (w != ZERO) {
            return w;
        }
        long[] own = new long[WORDS];
        long[] witness = (long[]) WORDS_FIELD.compareAndExchange(this, ZERO, own);
        return witness == ZERO ? own : witness;
    }

    public long get(int word) {
        return (long) WORD.getVolatile(words(), word);
    }

    public void set(int word, long value) {
        WORD.setVolatile(writable(), word, value);
    }

    public long getPlain(int word) {
        return words()[word];
    }

    public void setPlain(int word, long value) {
        writable()[word] = value;
    }

    /** An atomic write without ordering of its own (a later release store publishes it). */
    public void setOpaque(int word, long value) {
        WORD.setOpaque(writable(), word, value);
    }

    public long getAcquire(int word) {
        return (long) WORD.getAcquire(words(), word);
    }

    public void setRelease(int word, long value) {
        WORD.setRelease(writable(), word, value);
    }

    public boolean compareAndSet(int word, long expect, long update) {
        return WORD.compareAndSet(writable(), word, expect, update);
    }

    /** {@code clear_page}. */
    public void clear() {
        long[] w = words();
        if (w != ZERO) {
            Arrays.fill(w, 0L);
        }
        clears++;
    }

    /**
     * How many times the frame was cleared: not something Xen keeps, but what lets a reader that copied
     * words out earlier (the buffered ring's read-ahead) tell that they are gone, whatever was written
     * since. Written only by the one clearing the page (Xen, with the domain paused).
     */
    public int clears() {
        return clears;
    }

    /** Reads {@code size} (1..8) bytes at byte offset {@code off}, little-endian; must not cross the page. */
    public long readBytes(int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | readByte(off + i);
        }
        return v;
    }

    /** Writes the low {@code size} (1..8) bytes of {@code value} at byte offset {@code off}. */
    public void writeBytes(int off, int size, long value) {
        for (int i = 0; i < size; i++) {
            writeByte(off + i, (int) (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readByte(int off) {
        return (int) (get(off >>> 3) >>> ((off & 7) * 8)) & 0xFF;
    }

    private void writeByte(int off, int b) {
        int w = off >>> 3;
        int shift = (off & 7) * 8;
        long old;
        long neu;
        do {
            old = get(w);
            neu = (old & ~(0xFFL << shift)) | ((long) b << shift);
        } while (!compareAndSet(w, old, neu));
    }

    @Override
    public String toString() {
        return "mfn 0x" + Long.toHexString(mfn);
    }
}
