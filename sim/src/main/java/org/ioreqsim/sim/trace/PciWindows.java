package org.ioreqsim.sim.trace;

import java.util.List;

/**
 * Reads the {@code bars} and {@code windows} of a layout's PCI function into {@link DecodeWindow}s:
 * a BAR as {@code pci_register_bar} declares it, a device-specific base register with its enable bits.
 */
final class PciWindows {
    private PciWindows() {
    }

    /** {@code { bar = 1, type = io, size = 64, name = e1000-io, regions = [...] }}. */
    static DecodeWindow bar(HoconNode n) {
        n.onlyKeys("bar", "type", "size", "name", "regions");
        String type = n.string("type");
        if (!List.of("io", "mem32", "mem64").contains(type)) {
            throw n.error("type", "'" + type + "' is not io, mem32 or mem64");
        }
        boolean io = type.equals("io");
        boolean mem64 = type.equals("mem64");
        int index = (int) n.number("bar", 0, mem64 ? 4 : 5);
        long size = n.number("size", io ? 4 : 16, io ? 0x10000 : 1L << 62);
        if (Long.bitCount(size) != 1) {
            throw n.error("size", "0x" + Long.toHexString(size) + " is not a power of two");
        }
        String name = n.string("name", "bar" + index);
        return DecodeWindow.bar(name, index, io, mem64, size, regions(n, name, size));
    }

    /**
     * {@code { name = piix4-pm, space = io, base-register = 0x40, base-mask = 0xffc0, enable-register = 0x80,
     * enable-mask = 1, length = 64, regions = [...] }}.
     */
    static DecodeWindow window(HoconNode n) {
        n.onlyKeys("name", "space", "base-register", "base-width", "base-mask", "enable-register", "enable-mask",
                "require-nonzero", "length", "ecam", "regions");
        String space = n.string("space");
        if (!space.equals("io") && !space.equals("mmio")) {
            throw n.error("space", "'" + space + "' is not io or mmio");
        }
        boolean io = space.equals("io");
        int width = (int) n.number("base-width", 4);
        if (width != 4 && width != 8) {
            throw n.error("base-width", width + " is not 4 or 8");
        }
        int register = (int) n.number("base-register", 0x40, 0x1000 - width);
        long mask = n.number("base-mask");
        int enableRegister = (int) n.number("enable-register", 0, 0xFFF);
        int enableMask = (int) n.number("enable-mask", 1, 0xFF);
        long length = n.number("length", 1, io ? 0x10000 : 1L << 62);
        boolean ecam = n.bool("ecam", false);
        if (ecam && io) {
            throw n.error("ecam", "an ECAM (MMCONFIG) window is memory, not io");
        }
        String name = n.string("name");
        return new DecodeWindow(name, DecodeWindow.Kind.BASE, io, register, width, mask, enableRegister, enableMask,
                n.bool("require-nonzero", false), length, ecam, regions(n, name, length));
    }

    /** The regions inside a window; absent means one region over the whole window named after it. */
    private static List<FixedRegion> regions(HoconNode n, String name, long length) {
        if (!n.has("regions")) {
            return List.of(new FixedRegion(name, 0, length));
        }
        return LayoutLoader.regions(n.list("regions"), "offset", length - 1);
    }
}
