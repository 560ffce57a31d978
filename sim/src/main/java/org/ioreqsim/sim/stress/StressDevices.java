package org.ioreqsim.sim.stress;

import java.util.List;
import java.util.function.IntConsumer;
import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.RangeType;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.IoDevice;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;

/**
 * The small address universe of a stress run: a handful of port banks, MMIO pages, the VGA window and
 * PCI functions (two on bus 0 at function 0, one on bus 1, one at function 2) that every emulator
 * client may claim, so that ranges of different servers overlap
 * and change under the vCPUs' feet. Guest VGA writes carry {@code vcpu << 12 | sequence} so that a
 * device can check that one vCPU's writes reach it in program order.
 */
public final class StressDevices {

    /** One range an emulator may register. */
    public record Region(RangeType type, long start, long end, String name) {
    }

    public static final long BANK_BASE = 0x1000;
    public static final int BANKS = 3;
    public static final long PAGE_BASE = 0xF0000000L;
    public static final int PAGES = 2;
    public static final long VGA = 0xA0000;
    public static final long VGA_END = 0xBFFFF;
    public static final int PCI_DEVICE_A = 3;
    public static final int PCI_DEVICE_B = 4;
    public static final long UNCLAIMED_PORT = 0x2F8;
    /** The bus of function C (device A's number on bus 1; {@link StressFeature#CF8_WIDE} only). */
    public static final int PCI_BUS_C = 1;
    /** The function number of function D (device A, bus 0, function 2; {@link StressFeature#CF8_WIDE} only). */
    public static final int PCI_FUNCTION_D = 2;
    /** The registrations every program may use; those after them only with {@link StressFeature#CF8_WIDE}. */
    public static final int BASE_REGISTRATIONS = 9;

    /** Bit i of a Start's device mask registers {@code REGISTRATIONS.get(i)}. */
    public static final List<Region> REGISTRATIONS = List.of(
            new Region(RangeType.PORT, bank(0), bank(0) + 7, "bank0"),
            new Region(RangeType.PORT, bank(1), bank(1) + 7, "bank1"),
            new Region(RangeType.PORT, bank(2), bank(2) + 7, "bank2"),
            new Region(RangeType.MEMORY, page(0), page(0) + 0xFFF, "page0"),
            new Region(RangeType.MEMORY, page(1), page(1) + 0xFFF, "page1"),
            new Region(RangeType.MEMORY, VGA, VGA_END, "vga"),
            new Region(RangeType.PCI, sbdf(PCI_DEVICE_A), sbdf(PCI_DEVICE_A), "pciA"),
            new Region(RangeType.PCI, sbdf(PCI_DEVICE_B), sbdf(PCI_DEVICE_B), "pciB"),
            new Region(RangeType.PORT, 0xCF8, 0xCFF, "pci-conf"),
            new Region(RangeType.PCI, Pci.sbdf(0, PCI_BUS_C, PCI_DEVICE_A, 0), Pci.sbdf(0, PCI_BUS_C, PCI_DEVICE_A, 0),
                    "pciC"),
            new Region(RangeType.PCI, Pci.sbdf(0, 0, PCI_DEVICE_A, PCI_FUNCTION_D),
                    Pci.sbdf(0, 0, PCI_DEVICE_A, PCI_FUNCTION_D), "pciD"));

    private StressDevices() {
    }

    public static long bank(int k) {
        return BANK_BASE + 0x10L * k;
    }

    public static long page(int k) {
        return PAGE_BASE + 0x1000L * k;
    }

    public static long sbdf(int device) {
        return Pci.sbdf(0, 0, device, 0);
    }

    /** A VGA write's data: the vCPU and its sequence number. */
    public static long vgaData(int vcpu, int seq) {
        return ((long) (vcpu & 0xF) << 12) | (seq & 0xFFF);
    }

    /**
     * The devices behind an emulator registering the regions of {@code mask}; its VGA window reports
     * every write's data to {@code vgaWrites}.
     */
    public static DeviceMap deviceMap(int mask, String label, IntConsumer vgaWrites) {
        DeviceMap.Builder b = DeviceMap.builder();
        for (int i = 0; i < REGISTRATIONS.size(); i++) {
            if ((mask & (1 << i)) == 0) {
                continue;
            }
            Region r = REGISTRATIONS.get(i);
            long len = r.end() - r.start() + 1;
            switch (r.name()) {
                case "vga" -> b.mmio(r.start(), len, new VgaRecorder(label + "-vga", vgaWrites));
                case "pciA", "pciB", "pciC", "pciD" -> b.pci(new PciFunction(r.name(), r.start(), 0x1AF4, 0x1000 + i, 0x020000, 1));
                default -> {
                    if (r.type() == RangeType.PORT) {
                        b.port(r.start(), len, new RegisterFilePortDevice(label + "-" + r.name(), (int) len));
                    } else {
                        b.mmio(r.start(), len, new RamMmioRegion(label + "-" + r.name(), len));
                    }
                }
            }
        }
        return b.build();
    }

    /** The VGA window of a stress emulator: remembers nothing, reports each write's data. */
    static final class VgaRecorder implements IoDevice {
        private final String name;
        private final IntConsumer writes;

        VgaRecorder(String name, IntConsumer writes) {
            this.name = name;
            this.writes = writes;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long read(long offset, int size) {
            return 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            writes.accept((int) (value & 0xFFFF));
        }
    }
}
