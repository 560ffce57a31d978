package org.ioreqsim.ioreq.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A PCI function's configuration space (type 0 header) as an emulator presents it: read-only
 * identification (vendor, device, class, revision, subsystem, header type, interrupt pin), a
 * writable command register and interrupt line, and up to six BARs that answer the standard sizing
 * protocol (write all ones, read back the size mask). Bytes at 0x40 and above are device-specific
 * and writable.
 */
public class PciFunction {
    /** A base address register: its size (a power of two) and whether it decodes I/O or memory. */
    public record Bar(long size, boolean io) {
        public Bar {
            if (size == 0 || Long.bitCount(size) != 1) {
                throw new IllegalArgumentException("BAR size must be a power of two: " + size);
            }
        }

        int typeBits() {
            return io ? 0x1 : 0x0;
        }
    }

    private static final int BAR0 = 0x10;
    private static final int COMMAND_WRITABLE = 0x0407;

    private final String name;
    private final long sbdf;
    private final byte[] config = new byte[256];
    private final byte[] writable = new byte[256];
    private final Bar[] bars = new Bar[6];

    public PciFunction(String name, long sbdf, int vendorId, int deviceId, int classCode, int revision) {
        this.name = name;
        this.sbdf = sbdf;
        put(0x00, 2, vendorId);
        put(0x02, 2, deviceId);
        put(0x08, 1, revision);
        put(0x09, 3, classCode);
        put(0x0E, 1, 0x00);
        put(0x3D, 1, 0x01);
        setWritable(0x04, 2, COMMAND_WRITABLE);
        setWritable(0x3C, 1, 0xFF);
        for (int i = 0x40; i < 0x100; i++) {
            writable[i] = (byte) 0xFF;
        }
    }

    public String name() {
        return name;
    }

    /** {@code XEN_DMOP_PCI_SBDF} value this function is registered under. */
    public long sbdf() {
        return sbdf;
    }

    /** Declares BAR {@code index} with an initial base address. */
    public PciFunction withBar(int index, Bar bar, long base) {
        bars[index] = bar;
        int off = BAR0 + 4 * index;
        put(off, 4, (base & ~(bar.size() - 1)) | bar.typeBits());
        setWritable(off, 4, (int) ~(bar.size() - 1) & (bar.io() ? 0xFFFFFFFC : 0xFFFFFFF0));
        return this;
    }

    public PciFunction withSubsystem(int vendorId, int subsystemId) {
        put(0x2C, 2, vendorId);
        put(0x2E, 2, subsystemId);
        return this;
    }

    /** The BARs that are defined, with their current base addresses (index, bar, base). */
    public List<long[]> barsWithBase() {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < bars.length; i++) {
            if (bars[i] != null) {
                long raw = get(BAR0 + 4 * i, 4);
                out.add(new long[] {i, raw & (bars[i].io() ? ~3L : ~0xFL) & 0xFFFFFFFFL, bars[i].size()});
            }
        }
        return out;
    }

    /** A configuration read of {@code size} bytes at register {@code reg}; outside the space reads all ones. */
    public long readConfig(long reg, int size) {
        if (reg < 0 || reg + size > config.length) {
            return IoDevice.allOnes(size);
        }
        return get((int) reg, size);
    }

    /** A configuration write; read-only bits keep their value. */
    public void writeConfig(long reg, int size, long value) {
        if (reg < 0 || reg + size > config.length) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int off = (int) reg + i;
            int mask = writable[off] & 0xFF;
            int b = (int) (value >>> (8 * i)) & 0xFF;
            config[off] = (byte) ((config[off] & ~mask) | (b & mask));
        }
    }

    private long get(int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (config[off + i] & 0xFF);
        }
        return v;
    }

    private void put(int off, int size, long value) {
        for (int i = 0; i < size; i++) {
            config[off + i] = (byte) (value >>> (8 * i));
        }
    }

    private void setWritable(int off, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writable[off + i] = (byte) (mask >>> (8 * i));
        }
    }
}
