package org.ioreqsim.ioreq;

/**
 * PCI configuration mechanism #1 as Xen decodes it (asm-x86/pci.h CF8 macros,
 * {@code hvm_pci_decode_addr}, {@code XEN_DMOP_PCI_SBDF}).
 */
public final class Pci {
    private Pci() {
    }

    /** {@code XEN_DMOP_PCI_SBDF(s, b, d, f)}. */
    public static long sbdf(int segment, int bus, int device, int function) {
        return ((long) (segment & 0xFFFF) << 16) | ((bus & 0xFF) << 8) | ((device & 0x1F) << 3) | (function & 7);
    }

    /** {@code CF8_ENABLED}: bit 31. */
    public static boolean cf8Enabled(long cf8) {
        return (cf8 & 0x80000000L) != 0;
    }

    /** {@code CF8_BDF}: bus, device, function from bits 23..8. */
    public static int cf8Bdf(long cf8) {
        return (int) ((cf8 & 0x00FFFF00L) >>> 8);
    }

    /** {@code CF8_ADDR_LO}: the register dword, bits 7..2. */
    public static int cf8AddrLo(long cf8) {
        return (int) (cf8 & 0xFCL);
    }

    /** {@code CF8_ADDR_HI}: AMD extended register bits 27..24 moved to register bits 11..8. */
    public static int cf8AddrHi(long cf8) {
        return (int) ((cf8 & 0x0F000000L) >>> 16);
    }

    /** {@code hvm_pci_decode_addr}: the register for a data access at {@code port} (0xCFC..0xCFF). */
    public static int decodeRegister(long cf8, long port) {
        return cf8AddrLo(cf8) | (int) (port & 3);
    }

    /** The PCI_CONFIG ioreq address: {@code (sbdf << 32) | register}. */
    public static long configKey(long sbdf, long register) {
        return (sbdf << 32) | (register & 0xFFFFFFFFL);
    }

    /** The CF8 value a guest writes to address {@code bus:dev.fn} register {@code reg}. */
    public static long cf8Address(int bus, int device, int function, int register) {
        return 0x80000000L | ((long) (bus & 0xFF) << 16) | ((device & 0x1F) << 11) | ((function & 7) << 8)
                | (register & 0xFC) | ((long) (register & 0xF00) << 16);
    }

    /** The CF8 value a guest writes to reach register {@code register} (0..0xFF) of function {@code sbdf}. */
    public static long cf8Address(long sbdf, int register) {
        return 0x80000000L | ((sbdf & 0xFFFF) << 8) | (register & 0xFC);
    }

    /** {@code "00:03.0"} (segment 0 omitted) or {@code "0001:00:03.0"}. */
    public static String describeSbdf(long sbdf) {
        int seg = (int) ((sbdf >>> 16) & 0xFFFF);
        int bus = (int) ((sbdf >>> 8) & 0xFF);
        int dev = (int) ((sbdf >>> 3) & 0x1F);
        int fn = (int) (sbdf & 7);
        String bdf = String.format("%02x:%02x.%x", bus, dev, fn);
        return seg == 0 ? bdf : String.format("%04x:%s", seg, bdf);
    }
}
