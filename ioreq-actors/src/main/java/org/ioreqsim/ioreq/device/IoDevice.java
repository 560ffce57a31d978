package org.ioreqsim.ioreq.device;

/**
 * A device model an emulator dispatches port or MMIO accesses to (QEMU's {@code MemoryRegionOps}).
 * Offsets are relative to the start of the range the device is mapped at; sizes are 1, 2, 4 or 8.
 * Implementations are plain objects, used by one emulator actor at a time.
 */
public interface IoDevice {

    /** A short name for reports, e.g. {@code "serial0"}. */
    String name();

    /** The value of a read of {@code size} bytes at {@code offset}, in the low bytes. */
    long read(long offset, int size);

    void write(long offset, int size, long value);

    /** All ones of {@code size} bytes: what an absent device answers. */
    static long allOnes(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** The low {@code size} bytes of {@code value}. */
    static long truncate(long value, int size) {
        return value & allOnes(size);
    }
}
