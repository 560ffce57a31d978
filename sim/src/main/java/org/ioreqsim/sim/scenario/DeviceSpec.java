package org.ioreqsim.sim.scenario;

import java.util.Objects;

/**
 * A device an emulator serves: a UART or a register bank on ports, RAM on MMIO, or a PCI function
 * (registered with Xen by SBDF; its BAR, if any, is a RAM region on MMIO).
 *
 * @param kind    {@code uart}, {@code registers}, {@code ram}, {@code pci}
 * @param start   first port or address (for PCI: the BAR base, or 0)
 * @param length  bytes (for PCI: the BAR size, or 0)
 * @param sbdf    the PCI function's SBDF
 * @param vendor  PCI vendor id
 * @param device  PCI device id
 * @param name    a name for reports
 */
public record DeviceSpec(Kind kind, long start, long length, long sbdf, int vendor, int device, String name) {

    public enum Kind {
        UART, REGISTERS, RAM, PCI
    }

    public DeviceSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
