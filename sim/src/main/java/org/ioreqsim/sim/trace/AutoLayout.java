package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ioreqsim.domain.InterceptSpec;

/**
 * {@code --layout auto}: the layout of the machine the trace was taken on, derived from the trace itself.
 *
 * <ul>
 *   <li>Xen's internal emulators and stdvga are those of the preset whose QEMU region names the trace
 *       shares most ({@code qemu-q35} or {@code qemu-i440fx}): Xen's own devices do not depend on QEMU.</li>
 *   <li>A port or MMIO region of that preset is claimed unless the trace shows an access inside it in
 *       QEMU's unassigned I/O ({@code io}) or unassigned memory ({@code unassigned}): the traced machine
 *       had no device there, so QEMU's listener registers nothing and Xen sends it to the null handler.</li>
 *   <li>An access under a device name that no kept region, no window of a kept PCI function and no Xen
 *       emulator covers is claimed at the addresses the trace shows for that name (the trace carries
 *       no region sizes): each run of touching or overlapping accesses of one name becomes a region.</li>
 *   <li>PCI functions ({@link PciPresence}): a preset function whose vendor ID reads answered 0xFFFF
 *       is dropped; a function whose config reads answered is added (config space only) if the preset
 *       lacks it.</li>
 * </ul>
 * The layout's {@link TraceLayout#notes()} say what was dropped and added, and why.
 */
public final class AutoLayout {
    public static final String NAME = "auto";

    private AutoLayout() {
    }

    public static TraceLayout derive(QemuTrace trace) {
        TraceLayout base = closestPreset(trace);
        List<String> notes = new ArrayList<>();
        notes.add("Xen's emulators and the QEMU regions kept are those of " + base.name());
        List<FixedRegion> ports = keep(trace, base.ports(), true, notes);
        List<FixedRegion> mmio = keep(trace, base.mmio(), false, notes);
        PciPresence presence = PciPresence.of(trace);
        List<PciFunctionLayout> pci = new ArrayList<>();
        Set<Long> listed = new HashSet<>();
        for (PciFunctionLayout f : base.pci()) {
            listed.add(f.sbdf());
            if (presence.absent(f.sbdf())) {
                notes.add("dropped PCI function " + PciPresence.describe(f.sbdf()) + " (" + f.name()
                        + "): its vendor ID reads answered 0xffff");
            } else {
                pci.add(f);
            }
        }
        presence.presentFunctions().forEach((sbdf, vendor) -> {
            if (!listed.contains(sbdf)) {
                pci.add(new PciFunctionLayout(sbdf, "pci-" + PciPresence.describe(sbdf), List.of()));
                notes.add("added PCI function " + PciPresence.describe(sbdf) + " (config space only)"
                        + (vendor >= 0 ? ": vendor ID 0x" + Long.toHexString(vendor) : ""));
            }
        });
        Set<String> windowNames = windowNames(pci);
        ports = new ArrayList<>(ports);
        mmio = new ArrayList<>(mmio);
        addNamed(trace, true, ports, base.intercepts(), windowNames, notes);
        addNamed(trace, false, mmio, base.intercepts(), windowNames, notes);
        return new TraceLayout(NAME, "derived from the trace (" + base.name() + " for Xen's emulators)",
                base.stdvga(), base.intercepts(), ports, mmio, pci, notes);
    }

    /** The preset sharing the most region names with the trace (qemu-i440fx on a tie). */
    static TraceLayout closestPreset(QemuTrace trace) {
        Set<String> names = new HashSet<>(trace.regions());
        names.removeAll(UnassignedClaims.UNASSIGNED);
        TraceLayout best = null;
        int bestScore = -1;
        for (String p : LayoutLoader.PRESETS) {
            TraceLayout l = LayoutLoader.preset(p);
            Set<String> known = new HashSet<>(windowNames(l.pci()));
            l.ports().forEach(r -> known.add(r.name()));
            l.mmio().forEach(r -> known.add(r.name()));
            known.retainAll(names);
            if (known.size() > bestScore) {
                best = l;
                bestScore = known.size();
            }
        }
        return best;
    }

    private static List<FixedRegion> keep(QemuTrace trace, List<FixedRegion> regions, boolean ports,
                                          List<String> notes) {
        List<FixedRegion> out = new ArrayList<>();
        for (FixedRegion r : regions) {
            long n = UnassignedClaims.count(trace, r, ports);
            if (n == 0) {
                out.add(r);
            } else {
                notes.add("dropped " + (ports ? "port" : "MMIO") + " region " + r.name() + " " + TraceReport.hex(r.start())
                        + "-" + TraceReport.hex(r.end()) + ": the trace shows " + n + " access(es) there unassigned");
            }
        }
        return out;
    }

    private static Set<String> windowNames(List<PciFunctionLayout> pci) {
        Set<String> out = new HashSet<>();
        for (PciFunctionLayout f : pci) {
            for (DecodeWindow w : f.windows()) {
                out.add(w.name());
                w.regions().forEach(r -> out.add(r.name()));
            }
        }
        return out;
    }

    /** Claims what device-named accesses reach that nothing claims yet, one region per run of one name. */
    private static void addNamed(QemuTrace trace, boolean ports, List<FixedRegion> regions,
                                 List<InterceptSpec> intercepts, Set<String> windowNames, List<String> notes) {
        Map<String, TreeMap<Long, Long>> spans = new LinkedHashMap<>();
        for (int i = 0; i < trace.accesses(); i++) {
            TraceAccess a = trace.access(i);
            if (a.isPortIo() != ports || UnassignedClaims.unassigned(a.region()) || windowNames.contains(a.region())
                    || regions.stream().anyMatch(r -> UnassignedClaims.touches(r, a))
                    || intercepted(a, intercepts)) {
                continue;
            }
            spans.computeIfAbsent(a.region(), k -> new TreeMap<>(Long::compareUnsigned))
                    .merge(a.addr(), a.addr() + a.size() - 1, (x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y);
        }
        List<FixedRegion> added = new ArrayList<>();
        spans.forEach((name, starts) -> {
            long start = 0;
            long end = -1;
            boolean open = false;
            for (Map.Entry<Long, Long> e : starts.entrySet()) {
                if (open && Long.compareUnsigned(e.getKey(), end + 1) <= 0) {
                    end = Long.compareUnsigned(e.getValue(), end) > 0 ? e.getValue() : end;
                    continue;
                }
                if (open) {
                    added.add(new FixedRegion(name, start, end - start + 1));
                }
                start = e.getKey();
                end = e.getValue();
                open = true;
            }
            if (open) {
                added.add(new FixedRegion(name, start, end - start + 1));
            }
        });
        for (FixedRegion r : added) {
            if (regions.stream().noneMatch(r::overlaps)) {
                regions.add(r);
                notes.add("added " + (ports ? "port" : "MMIO") + " region " + r.name() + " " + TraceReport.hex(r.start())
                        + "-" + TraceReport.hex(r.end()) + ": accessed under that name, in no preset region");
            }
        }
    }

    /** Xen's own emulator takes the access before any server is asked (a write-only one passes reads on). */
    private static boolean intercepted(TraceAccess a, List<InterceptSpec> intercepts) {
        for (InterceptSpec s : intercepts) {
            if (s.mmio() != !a.isPortIo() || (s.writeOnly() && a.isRead())) {
                continue;
            }
            if (Long.compareUnsigned(a.addr(), s.start()) >= 0 && Long.compareUnsigned(a.addr(), s.end()) <= 0) {
                return true;
            }
        }
        return false;
    }
}
