package org.ioreqsim.ioreq.device;

import java.util.HashMap;
import java.util.Map;

/**
 * RAM behind an MMIO range (a frame buffer, a BAR's memory): reads return what was written, zero
 * where nothing was. Storage is allocated per 4 KiB page on first write, so a large region that is
 * barely touched costs little.
 */
public class RamMmioRegion implements IoDevice {
    private static final int PAGE = 4096;
    /** Regions of up to this many pages (256 MiB) index their pages in an array; larger ones in a map. */
    private static final long MAX_INDEXED_PAGES = 1 << 16;

    private final String name;
    private final long size;
    /** The pages by number, for a region of at most {@link #MAX_INDEXED_PAGES}; else null. */
    private final byte[][] indexed;
    /** The pages by number, for a larger region; else null. */
    private final Map<Long, byte[]> mapped;
    private long writes;

    public RamMmioRegion(String name, long size) {
        this.name = name;
        this.size = size;
        long pages = (Math.max(size, 0) + PAGE - 1) / PAGE;
        this.indexed = pages <= MAX_INDEXED_PAGES ? new byte[(int) pages][] : null;
        this.mapped = indexed == null ? new HashMap<>() : null;
    }

    @Override
    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    /** Number of write accesses received. */
    public long writes() {
        return writes;
    }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | byteAt(offset + i);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        writes++;
        for (int i = 0; i < size; i++) {
            long o = offset + i;
            if (o >= 0 && o < this.size) {
                page(o / PAGE, true)[(int) (o % PAGE)] = (byte) (value >>> (8 * i));
            }
        }
    }

    private int byteAt(long o) {
        if (o < 0 || o >= size) {
            return 0xFF;
        }
        byte[] p = page(o / PAGE, false);
        return p == null ? 0 : p[(int) (o % PAGE)] & 0xFF;
    }

    /** Page {@code n} (within the region), made on first write when {@code create}; null if never written. */
    private byte[] page(long n, boolean create) {
        if (indexed != null) {
            byte[] p = indexed[(int) n];
            if (p == null && create) {
                p = new byte[PAGE];
                indexed[(int) n] = p;
            }
            return p;
        }
        return create ? mapped.computeIfAbsent(n, k -> new byte[PAGE]) : mapped.get(n);
    }
}
