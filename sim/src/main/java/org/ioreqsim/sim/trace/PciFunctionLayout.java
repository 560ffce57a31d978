package org.ioreqsim.sim.trace;

import java.util.List;
import java.util.Objects;

/**
 * A PCI function QEMU realizes: its SBDF, which QEMU's Xen device listener registers with
 * {@code xen_map_pcidev} (a singleton PCI range, so config cycles to it reach QEMU), and the windows it
 * decodes once programmed.
 *
 * @param sbdf    {@code XEN_DMOP_PCI_SBDF} value
 * @param name    QEMU's device name, e.g. {@code PIIX4_PM}
 * @param windows its BARs and base registers
 */
public record PciFunctionLayout(long sbdf, String name, List<DecodeWindow> windows) {
    public PciFunctionLayout {
        Objects.requireNonNull(name, "name");
        windows = List.copyOf(windows);
    }
}
