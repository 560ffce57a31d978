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

    private final String name;
    private final long size;
    private final Map<Long, byte[]> pages = new HashMap<>();
    private long writes;

    public RamMmioRegion(String name, long size) {
        this.name = name;
        this.size = size;
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
                pages.computeIfAbsent(o / PAGE, k -> new byte[PAGE])[(int) (o % PAGE)] = (byte) (value >>> (8 * i));
            }
        }
    }

    private int byteAt(long o) {
        if (o < 0 || o >= size) {
            return 0xFF;
        }
        byte[] p = pages.get(o / PAGE);
        return p == null ? 0 : p[(int) (o % PAGE)] & 0xFF;
    }
}
