package org.ioreqsim.sim.scenario;

import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.DeviceMap;
import org.ioreqsim.ioreq.device.PciFunction;
import org.ioreqsim.ioreq.device.RamMmioRegion;
import org.ioreqsim.ioreq.device.RegisterFilePortDevice;
import org.ioreqsim.ioreq.device.UartSink;

/**
 * Builds the device map an emulator serves from a server's {@link DeviceSpec}s. Device models hold
 * state (RAM, registers), so every emulator gets its own. A server with PCI functions also claims the
 * config ports 0xCF8..0xCFF, as QEMU's host bridge does: CF8 writes (and CFC cycles with CF8's enable
 * bit clear) reach it, while enabled CFC cycles are routed by SBDF.
 */
public final class DeviceMaps {
    private DeviceMaps() {
    }

    /** The devices of {@code server}; overlapping devices throw {@link IllegalArgumentException}. */
    public static DeviceMap build(DomainGroup.ServerSpec server) {
        DeviceMap.Builder b = DeviceMap.builder();
        boolean pci = false;
        for (DeviceSpec d : server.devices()) {
            switch (d.kind()) {
                case UART -> b.port(d.start(), 8, new UartSink(d.name()));
                case REGISTERS -> b.port(d.start(), d.length(), new RegisterFilePortDevice(d.name(), (int) d.length()));
                case RAM -> b.mmio(d.start(), d.length(), new RamMmioRegion(d.name(), d.length()));
                case PCI -> {
                    pci = true;
                    PciFunction f = new PciFunction(d.name(), d.sbdf(), d.vendor(), d.device(), 0xFF0000, 0);
                    if (d.length() > 0) {
                        f.withBar(0, new PciFunction.Bar(d.length(), false), d.start());
                        b.mmio(d.start(), d.length(), new RamMmioRegion(d.name() + "-bar0", d.length()));
                    }
                    b.pci(f);
                }
            }
        }
        if (pci) {
            b.port(Xen.PCI_CF8, 4, new RegisterFilePortDevice("pci-conf-idx", 4));
            b.port(Xen.PCI_CF8 + 4, 4, new RegisterFilePortDevice("pci-conf-data", 4));
        }
        return b.build();
    }
}
