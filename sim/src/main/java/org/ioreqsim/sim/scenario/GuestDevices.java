package org.ioreqsim.sim.scenario;

import org.ioreqsim.ioreq.Pci;

/**
 * Where the devices of the built-in scenario sit (Scenario#of turns them into device specs): server 0 is a QEMU-like device model with a
 * 16550 UART at 0x3F8, the PCI host bridge's config ports 0xCF8..0xCFF (QEMU registers them, so CF8
 * writes reach it; CFC data cycles with CF8 enabled are routed by SBDF instead), an e1000-like PCI
 * function at 00:03.0 with a 128 KiB MMIO BAR, and the VGA window; servers 1..n-1 each own a small register bank and an MMIO page. Port 0x2F8 (an absent second
 * UART) is claimed by nobody.
 */
public final class GuestDevices {
    public static final long SERIAL = 0x3F8;
    public static final long UNCLAIMED_PORT = 0x2F8;
    public static final int PCI_BUS = 0;
    public static final int PCI_DEVICE = 3;
    public static final int PCI_FUNCTION = 0;
    public static final long PCI_SBDF = Pci.sbdf(0, PCI_BUS, PCI_DEVICE, PCI_FUNCTION);
    public static final long BAR0 = 0xFEBC0000L;
    public static final long BAR0_SIZE = 0x20000;
    public static final long VGA = 0xA0000;
    public static final long VGA_SIZE = 0x20000;
    public static final long EXTRA_PORTS = 0x1000;
    public static final long EXTRA_MMIO = 0xF0000000L;

    private GuestDevices() {
    }

    public static long extraPort(int k) {
        return EXTRA_PORTS + 0x10L * k;
    }

    public static long extraMmio(int k) {
        return EXTRA_MMIO + 0x10000L * k;
    }
}
