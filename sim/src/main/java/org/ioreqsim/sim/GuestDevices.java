package org.ioreqsim.sim;

import org.ioreqsim.ioreq.Pci;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.ioreq.device.UartSink;

/**
 * The devices of the simulated guests and where they sit: server 0 is a QEMU-like device model with a
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

    /** The device map of server {@code k} of a guest. */
    public static DeviceMap forServer(int k) {
        if (k == 0) {
            PciFunction nic = new PciFunction("nic0", PCI_SBDF, 0x8086, 0x100E, 0x020000, 3)
                    .withBar(0, new PciFunction.Bar(BAR0_SIZE, false), BAR0).withSubsystem(0x1AF4, 0x1100);
            return DeviceMap.builder()
                    .port(SERIAL, 8, new UartSink("serial0"))
                    .port(0xCF8, 4, new RegisterFilePortDevice("pci-conf-idx", 4))
                    .port(0xCFC, 4, new RegisterFilePortDevice("pci-conf-data", 4))
                    .mmio(BAR0, BAR0_SIZE, new RamMmioRegion("nic0-bar0", BAR0_SIZE))
                    .mmio(VGA, VGA_SIZE, new RamMmioRegion("vga", VGA_SIZE))
                    .pci(nic)
                    .build();
        }
        return DeviceMap.builder()
                .port(extraPort(k), 8, new RegisterFilePortDevice("bank" + k, 8))
                .mmio(extraMmio(k), 0x1000, new RamMmioRegion("page" + k, 0x1000))
                .build();
    }

    public static long extraPort(int k) {
        return EXTRA_PORTS + 0x10L * k;
    }

    public static long extraMmio(int k) {
        return EXTRA_MMIO + 0x10000L * k;
    }
}
