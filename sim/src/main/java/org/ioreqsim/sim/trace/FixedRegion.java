package org.ioreqsim.sim.trace;

import java.util.Objects;

/**
 * One QEMU memory region as its flat view shows it ({@code info mtree -f}): a name and a range, either
 * absolute (ports, MMIO at a fixed address) or, inside a PCI window, an offset from the window's base.
 *
 * @param name   QEMU's region name, e.g. {@code acpi-tmr}
 * @param start  first address, or offset in a window
 * @param length bytes
 */
public record FixedRegion(String name, long start, long length) {
    public FixedRegion {
        Objects.requireNonNull(name, "name");
        if (length <= 0) {
            throw new IllegalArgumentException("region " + name + ": length must be positive");
        }
    }

    /** Last byte, inclusive. */
    public long end() {
        return start + length - 1;
    }

    public boolean overlaps(FixedRegion o) {
        return Long.compareUnsigned(start, o.end()) <= 0 && Long.compareUnsigned(o.start, end()) <= 0;
    }
}
