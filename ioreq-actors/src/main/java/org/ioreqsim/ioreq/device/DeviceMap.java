package org.ioreqsim.ioreq.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.RangeType;

/**
 * What an emulator has behind it (QEMU's address spaces as its memory listeners see them): devices
 * mapped at port ranges and MMIO ranges, and PCI functions by SBDF. Lookups are binary searches over
 * ranges sorted at build time. {@link #registrations()} lists what the emulator maps with Xen.
 */
public final class DeviceMap {
    /** One device at {@code [start, end]} (inclusive). */
    public record Mapping(long start, long end, IoDevice device) {
    }

    /** One range the emulator asks Xen to route to it. */
    public record Registration(RangeType type, long start, long end, String name) {
    }

    private final Mapping[] ports;
    private final Mapping[] mmio;
    private final Bounds portBounds;
    private final Bounds mmioBounds;
    private final Map<Long, PciFunction> pci;

    private DeviceMap(List<Mapping> ports, List<Mapping> mmio, Map<Long, PciFunction> pci) {
        this.ports = sorted(ports);
        this.mmio = sorted(mmio);
        this.portBounds = new Bounds(this.ports);
        this.mmioBounds = new Bounds(this.mmio);
        this.pci = Collections.unmodifiableMap(new TreeMap<>(pci));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port device whose range holds {@code port}, or {@code null}. */
    public Mapping port(long port) {
        int i = portBounds.find(port);
        return i < 0 ? null : ports[i];
    }

    /** The MMIO device whose range holds {@code addr}, or {@code null}. */
    public Mapping mmio(long addr) {
        int i = mmioBounds.find(addr);
        return i < 0 ? null : mmio[i];
    }

    /** The PCI function registered at {@code sbdf}, or {@code null}. */
    public PciFunction pci(long sbdf) {
        return pci.get(sbdf);
    }

    public List<Mapping> portMappings() {
        return List.of(ports);
    }

    public List<Mapping> mmioMappings() {
        return List.of(mmio);
    }

    /** The PCI functions by SBDF, in SBDF order. */
    public Map<Long, PciFunction> pciFunctions() {
        return pci;
    }

    /** Ports, then MMIO, then one singleton PCI range per function (what QEMU registers). */
    public List<Registration> registrations() {
        List<Registration> out = new ArrayList<>();
        for (Mapping m : ports) {
            out.add(new Registration(RangeType.PORT, m.start(), m.end(), m.device().name()));
        }
        for (Mapping m : mmio) {
            out.add(new Registration(RangeType.MEMORY, m.start(), m.end(), m.device().name()));
        }
        List<Long> sbdfs = new ArrayList<>(pci.keySet());
        Collections.sort(sbdfs);
        for (long s : sbdfs) {
            out.add(new Registration(RangeType.PCI, s, s, pci.get(s).name()));
        }
        return out;
    }

    /**
     * The sorted ranges' bounds in two flat arrays, so that a lookup (every request an emulator serves)
     * reads two arrays instead of one mapping object per probe.
     */
    private static final class Bounds {
        private final long[] starts;
        private final long[] ends;

        Bounds(Mapping[] sorted) {
            starts = new long[sorted.length];
            ends = new long[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                starts[i] = sorted[i].start();
                ends[i] = sorted[i].end();
            }
        }

        /** The index of the range holding {@code addr}, or -1. */
        int find(long addr) {
            int lo = 0;
            int hi = starts.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(addr, starts[mid]) < 0) {
                    hi = mid - 1;
                } else if (Long.compareUnsigned(addr, ends[mid]) > 0) {
                    lo = mid + 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }
    }

    private static Mapping[] sorted(List<Mapping> list) {
        Mapping[] a = list.toArray(new Mapping[0]);
        java.util.Arrays.sort(a, (x, y) -> Long.compareUnsigned(x.start(), y.start()));
        for (int i = 1; i < a.length; i++) {
            if (Long.compareUnsigned(a[i].start(), a[i - 1].end()) <= 0) {
                throw new IllegalArgumentException("devices overlap: " + a[i - 1].device().name() + " and "
                        + a[i].device().name());
            }
        }
        return a;
    }

    /** Collects devices; {@link #build()} checks that ranges of one kind do not overlap. */
    public static final class Builder {
        private final List<Mapping> ports = new ArrayList<>();
        private final List<Mapping> mmio = new ArrayList<>();
        private final Map<Long, PciFunction> pci = new HashMap<>();

        public Builder port(long start, long length, IoDevice device) {
            ports.add(new Mapping(start, start + length - 1, device));
            return this;
        }

        public Builder mmio(long start, long length, IoDevice device) {
            mmio.add(new Mapping(start, start + length - 1, device));
            return this;
        }

        public Builder pci(PciFunction function) {
            if (pci.put(function.sbdf(), function) != null) {
                throw new IllegalArgumentException("two PCI functions at " + function.sbdf());
            }
            return this;
        }

        public DeviceMap build() {
            return new DeviceMap(ports, mmio, pci);
        }
    }
}
