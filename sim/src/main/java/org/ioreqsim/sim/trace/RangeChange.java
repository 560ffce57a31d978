package org.ioreqsim.sim.trace;

import java.util.Objects;
import org.ioreqsim.ioreq.RangeType;

/**
 * One map or unmap dm_op QEMU's Xen listener issues ({@code xen_map_io_section},
 * {@code xen_unmap_memory_section}, ...): a section of a region appearing in or leaving a flat view.
 *
 * @param map    map ({@code region_add}) rather than unmap ({@code region_del})
 * @param type   port or memory range
 * @param start  first address
 * @param end    last address, inclusive
 * @param region QEMU's region name
 */
record RangeChange(boolean map, RangeType type, long start, long end, String region) {
    RangeChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(region, "region");
    }

    String describe() {
        return (map ? "map " : "unmap ") + region + " " + (type == RangeType.PORT ? "port" : "mmio") + " 0x"
                + Long.toHexString(start) + "-0x" + Long.toHexString(end);
    }
}
