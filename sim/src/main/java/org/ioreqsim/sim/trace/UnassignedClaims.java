package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a layout claims for QEMU what the trace shows QEMU did not have: a fixed port or MMIO region of
 * the layout that contains accesses the trace records in QEMU's unassigned regions ({@code io}, the
 * unassigned I/O that answers all ones, or {@code unassigned}), and a PCI function of the layout whose
 * config reads in the trace answered as no device does ({@link PciPresence}). Under Xen such accesses
 * go to the null handler; a layout that claims them sends them to the emulator instead.
 */
final class UnassignedClaims {
    /** QEMU's names for an access no device in QEMU handled. */
    static final Set<String> UNASSIGNED = Set.of("io", "unassigned");

    private UnassignedClaims() {
    }

    static boolean unassigned(String region) {
        return UNASSIGNED.contains(region);
    }

    /** Every claim of {@code layout} over what {@code trace} shows unassigned, in layout order. */
    static List<TraceReport.UnassignedClaim> of(QemuTrace trace, TraceLayout layout) {
        List<TraceReport.UnassignedClaim> out = new ArrayList<>();
        add(out, trace, layout.ports(), true);
        add(out, trace, layout.mmio(), false);
        PciPresence pci = PciPresence.of(trace);
        for (PciFunctionLayout f : layout.pci()) {
            if (pci.absent(f.sbdf())) {
                out.add(new TraceReport.UnassignedClaim(f.name(), "pci", PciPresence.describe(f.sbdf()),
                        PciPresence.describe(f.sbdf()), 0));
            }
        }
        return out;
    }

    private static void add(List<TraceReport.UnassignedClaim> out, QemuTrace trace, List<FixedRegion> regions,
                            boolean ports) {
        for (FixedRegion r : regions) {
            long n = count(trace, r, ports);
            if (n > 0) {
                out.add(new TraceReport.UnassignedClaim(r.name(), ports ? "port" : "mmio", TraceReport.hex(r.start()),
                        TraceReport.hex(r.end()), n));
            }
        }
    }

    /** Unassigned accesses of the trace that touch {@code r}. */
    static long count(QemuTrace trace, FixedRegion r, boolean ports) {
        long n = 0;
        for (int i = 0; i < trace.accesses(); i++) {
            TraceAccess a = trace.access(i);
            if (a.isPortIo() == ports && unassigned(a.region()) && touches(r, a)) {
                n++;
            }
        }
        return n;
    }

    static boolean touches(FixedRegion r, TraceAccess a) {
        long last = a.addr() + a.size() - 1;
        return Long.compareUnsigned(a.addr(), r.end()) <= 0 && Long.compareUnsigned(r.start(), last) <= 0;
    }
}
