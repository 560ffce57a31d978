package org.ioreqsim.sim.trace;

import java.util.Objects;
import org.ioreqsim.ioreq.IoDirection;
import org.ioreqsim.ioreq.device.IoDevice;

/**
 * One {@code memory_region_ops_read} or {@code memory_region_ops_write} event of a QEMU trace: an
 * access QEMU's memory core dispatched to a region's {@code MemoryRegionOps} ({@code
 * memory_region_read_accessor} / {@code memory_region_write_accessor} in softmmu/memory.c).
 *
 * @param line   the line number in the trace file (1-based)
 * @param cpu    QEMU's cpu index ({@code current_cpu->cpu_index}), -1 when no vCPU thread made it
 * @param dir    read or write
 * @param addr   the absolute address: a port number up to 0xFFFF, else a guest-physical address
 * @param value  the value written, or the value the region's read callback returned (not yet masked)
 * @param size   bytes (1, 2, 4 or 8)
 * @param region the memory region's name, e.g. {@code rtc-index}; {@code io} is QEMU's unassigned I/O
 */
public record TraceAccess(long line, int cpu, IoDirection dir, long addr, long value, int size, String region) {
    /** The highest port number; higher addresses are MMIO (x86 has 64 KiB of port space). */
    public static final long MAX_PORT = 0xFFFF;

    public TraceAccess {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(region, "region");
    }

    public boolean isRead() {
        return dir == IoDirection.READ;
    }

    public boolean isPortIo() {
        return Long.compareUnsigned(addr, MAX_PORT) <= 0;
    }

    /** Made by a device (DMA, an MSI write), not by a vCPU: counted, never replayed. */
    public boolean isDeviceOriginated() {
        return cpu < 0;
    }

    /** The value as the guest saw it: the low {@code size} bytes. */
    public long maskedValue() {
        return IoDevice.truncate(value, size);
    }
}
