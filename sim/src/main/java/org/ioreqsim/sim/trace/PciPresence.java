package org.ioreqsim.sim.trace;

import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Pci;

/**
 * Which PCI functions the traced machine had, read off the config cycles in the trace: port cycles
 * through the CF8 latch (followed in trace order: a 4-byte write to 0xCF8 sets it, spec 6.1; a read
 * of 0xCFC-0xCFF with bit 31 set reads register {@code (cf8 & 0xFC) | (port & 3)} of the latched
 * function) and MMCONFIG reads in QEMU's {@code pcie-mmcfg-mmio} window (its base taken as the lowest
 * such address rounded down to 256 MiB, the alignment of Q35's PCIEXBAR for 256 buses).
 *
 * <p>A function is present when any config read of it answered something other than all ones, and
 * absent when its vendor ID read answered 0xFFFF and nothing ever answered otherwise (QEMU's
 * {@code pci_data_read} answers all ones for a function no device implements).
 */
final class PciPresence {
    static final String MMCONFIG_REGION = "pcie-mmcfg-mmio";

    private final Map<Long, Boolean> seen = new TreeMap<>();
    private final Map<Long, Long> vendor = new TreeMap<>();

    static PciPresence of(QemuTrace trace) {
        PciPresence p = new PciPresence();
        long ecamBase = -1;
        for (int i = 0; i < trace.accesses(); i++) {
            TraceAccess a = trace.access(i);
            if (MMCONFIG_REGION.equals(a.region()) && (ecamBase < 0 || Long.compareUnsigned(a.addr(), ecamBase) < 0)) {
                ecamBase = a.addr() & ~0xFFFFFFFL;
            }
        }
        long cf8 = 0;
        for (int i = 0; i < trace.accesses(); i++) {
            TraceAccess a = trace.access(i);
            if (a.isPortIo() && a.addr() == 0xCF8 && a.size() == 4 && !a.isRead()) {
                cf8 = a.value() & 0xFFFFFFFFL;
            } else if (a.isPortIo() && a.isRead() && a.addr() >= 0xCFC && a.addr() <= 0xCFF
                    && (cf8 & 0x80000000L) != 0) {
                long sbdf = Pci.sbdf(0, (int) (cf8 >>> 16) & 0xFF, (int) (cf8 >>> 11) & 0x1F, (int) (cf8 >>> 8) & 7);
                p.read(sbdf, (int) ((cf8 & 0xFC) | (a.addr() & 3)), a);
            } else if (ecamBase >= 0 && a.isRead() && MMCONFIG_REGION.equals(a.region())) {
                long off = a.addr() - ecamBase;
                long sbdf = Pci.sbdf(0, (int) (off >>> 20) & 0xFF, (int) (off >>> 15) & 0x1F, (int) (off >>> 12) & 7);
                p.read(sbdf, (int) (off & 0xFFF), a);
            }
        }
        return p;
    }

    private void read(long sbdf, int register, TraceAccess a) {
        long all = a.size() == 8 ? -1L : (1L << (8 * a.size())) - 1;
        long v = a.maskedValue();
        if (v != all) {
            seen.put(sbdf, true);
        }
        if (register == 0 && a.size() >= 2) {
            if ((v & 0xFFFF) == 0xFFFF) {
                seen.putIfAbsent(sbdf, false);
            } else {
                vendor.put(sbdf, v & 0xFFFF);
            }
        }
    }

    /** Functions with a config read that answered something other than all ones, by SBDF. */
    boolean present(long sbdf) {
        return Boolean.TRUE.equals(seen.get(sbdf));
    }

    /** Functions whose vendor ID read answered 0xFFFF and nothing else answered. */
    boolean absent(long sbdf) {
        return Boolean.FALSE.equals(seen.get(sbdf));
    }

    /** Every function seen present, by SBDF, with its vendor ID (or -1 when it was not read). */
    Map<Long, Long> presentFunctions() {
        Map<Long, Long> out = new TreeMap<>();
        seen.forEach((sbdf, yes) -> {
            if (yes) {
                out.put(sbdf, vendor.getOrDefault(sbdf, -1L));
            }
        });
        return out;
    }

    static String describe(long sbdf) {
        return Pci.describeSbdf(sbdf);
    }
}
