package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.device.DeviceMap;

/**
 * The device map of the QEMU-like emulator a trace is replayed against, built from a layout: a replay
 * device behind each of QEMU's fixed regions, a replay function at each PCI function, and replay
 * devices over every gap of the port and memory spaces, as QEMU's own address spaces cover every
 * address (its unassigned I/O region answers the holes).
 *
 * <p>The emulator registers everything its device map holds when it starts. QEMU registers neither
 * unassigned I/O nor windows no one has programmed yet, so {@link #unregisteredAtStart()} lists the
 * gaps, which the replay driver unmaps before the guest's first access: from then on Xen's range sets
 * hold exactly what QEMU's listener registered, and BARs come and go as the guest programs them.
 */
final class ReplayEmulator {
    private static final String GAP = "unregistered";

    private final DeviceMap devices;
    private final List<RangeChange> unregisteredAtStart;

    ReplayEmulator(TraceLayout layout, AnswerSheet sheet, XenMemoryListener listener) {
        DeviceMap.Builder b = DeviceMap.builder();
        List<RangeChange> gaps = new ArrayList<>();
        cover(layout.ports(), 0, TraceAccess.MAX_PORT, RangeType.PORT, b, gaps, sheet, listener);
        cover(layout.mmio(), 0, -1L, RangeType.MEMORY, b, gaps, sheet, listener);
        for (PciFunctionLayout f : layout.pci()) {
            b.pci(new ReplayPciFunction(f, sheet, listener));
        }
        this.devices = b.build();
        this.unregisteredAtStart = List.copyOf(gaps);
    }

    DeviceMap devices() {
        return devices;
    }

    /** The unmap dm_ops that bring the emulator's start-up registrations down to QEMU's. */
    List<RangeChange> unregisteredAtStart() {
        return unregisteredAtStart;
    }

    /** Maps {@code regions} and fills the rest of {@code [first, last]} with unregistered replay devices. */
    private static void cover(List<FixedRegion> regions, long first, long last, RangeType type, DeviceMap.Builder b,
                              List<RangeChange> gaps, AnswerSheet sheet, XenMemoryListener listener) {
        boolean mmio = type == RangeType.MEMORY;
        List<FixedRegion> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparing(FixedRegion::start, Long::compareUnsigned));
        long next = first;
        boolean done = false;
        for (FixedRegion r : sorted) {
            if (Long.compareUnsigned(r.start(), next) > 0) {
                gap(next, r.start() - 1, type, b, gaps, sheet, listener);
            }
            add(b, mmio, r.start(), r.length(), new ReplayDevice(r.name(), r.start(), mmio, sheet, listener));
            if (r.end() == last) {
                done = true;
                break;
            }
            next = r.end() + 1;
        }
        if (!done) {
            gap(next, last, type, b, gaps, sheet, listener);
        }
    }

    private static void gap(long start, long end, RangeType type, DeviceMap.Builder b, List<RangeChange> gaps,
                            AnswerSheet sheet, XenMemoryListener listener) {
        boolean mmio = type == RangeType.MEMORY;
        add(b, mmio, start, end - start + 1, new ReplayDevice(GAP, start, mmio, sheet, listener));
        gaps.add(new RangeChange(false, type, start, end, GAP));
    }

    private static void add(DeviceMap.Builder b, boolean mmio, long start, long length, ReplayDevice d) {
        if (mmio) {
            b.mmio(start, length, d);
        } else {
            b.port(start, length, d);
        }
    }
}
