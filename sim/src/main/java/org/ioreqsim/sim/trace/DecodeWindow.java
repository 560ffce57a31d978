package org.ioreqsim.sim.trace;

import java.util.List;
import java.util.Objects;

/**
 * An address window a PCI function decodes once the guest programs it, which QEMU maps into its port or
 * memory address space (and so, through its Xen memory listener, registers with Xen): a BAR, or a
 * device-specific base register such as PIIX4's PMBASE or Q35's PCIEXBAR.
 *
 * <p>A BAR is mapped as {@code pci_bar_address} decides: the command register's I/O or memory enable bit
 * set, a non-zero base, no wrap, below 4 GiB for a 32-bit BAR. A base register is mapped while its enable
 * bits are set (and, with {@code requireNonZero}, its base is not zero), as the device's own
 * {@code config_write} hook does it.
 *
 * @param name           a label for messages
 * @param kind           BAR or device-specific base register
 * @param io             port space rather than memory
 * @param register       config-space offset of the base (BAR: 0x10 + 4 * index)
 * @param width          bytes of the base register (4, or 8 for a 64-bit BAR or PCIEXBAR)
 * @param mask           base address bits
 * @param enableRegister config offset of the enable bits (BAR: the command register, 0x04)
 * @param enableMask     the enable bits (BAR: 0x1 for I/O, 0x2 for memory)
 * @param requireNonZero a zero base leaves the window unmapped
 * @param length         bytes decoded
 * @param ecam           memory writes in the window are PCI Express config cycles (MMCONFIG)
 * @param regions        QEMU's regions inside it, as offsets; gaps are unassigned and not registered
 */
public record DecodeWindow(String name, Kind kind, boolean io, int register, int width, long mask, int enableRegister,
                           int enableMask, boolean requireNonZero, long length, boolean ecam,
                           List<FixedRegion> regions) {

    public enum Kind {
        BAR,
        BASE
    }

    /** The PCI command register and its decode enable bits. */
    public static final int COMMAND = 0x04;
    public static final int COMMAND_IO = 0x1;
    public static final int COMMAND_MEMORY = 0x2;

    public DecodeWindow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        regions = List.copyOf(regions);
    }

    /** BAR {@code index} of {@code size} bytes ({@code pci_register_bar}). */
    public static DecodeWindow bar(String name, int index, boolean io, boolean mem64, long size,
                                   List<FixedRegion> regions) {
        long mask = ~(size - 1) & (io ? 0xFFFFFFFCL : (mem64 ? ~0xFL : 0xFFFFFFF0L));
        return new DecodeWindow(name, Kind.BAR, io, 0x10 + 4 * index, mem64 ? 8 : 4, mask, COMMAND,
                io ? COMMAND_IO : COMMAND_MEMORY, true, size, false, regions);
    }
}
