package org.ioreqsim.sim.trace;

import java.util.List;
import java.util.Objects;
import org.ioreqsim.domain.InterceptSpec;

/**
 * The guest a trace is replayed into, as Xen sees it with QEMU as its ioreq server: Xen's own emulators
 * (tried first, {@code hvm_io_intercept}), and what QEMU registers with Xen — the port and MMIO regions
 * of its flat views that are not unassigned, its PCI functions, and the windows those decode once the
 * guest programs them.
 *
 * @param name        the preset's name or the file's
 * @param description one line for reports
 * @param stdvga      Xen's stdvga handler is present (VGA-window writes go buffered)
 * @param intercepts  Xen's internal emulators besides the CF8 latch (always present)
 * @param ports       QEMU's fixed port regions
 * @param mmio        QEMU's fixed MMIO regions
 * @param pci         QEMU's PCI functions
 * @param notes       how the layout was derived ({@link AutoLayout}); empty for a preset or a file
 */
public record TraceLayout(String name, String description, boolean stdvga, List<InterceptSpec> intercepts,
                          List<FixedRegion> ports, List<FixedRegion> mmio, List<PciFunctionLayout> pci,
                          List<String> notes) {

    /** A layout as written (a preset or a file): no derivation notes. */
    public TraceLayout(String name, String description, boolean stdvga, List<InterceptSpec> intercepts,
                       List<FixedRegion> ports, List<FixedRegion> mmio, List<PciFunctionLayout> pci) {
        this(name, description, stdvga, intercepts, ports, mmio, pci, List.of());
    }

    public TraceLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        intercepts = List.copyOf(intercepts);
        ports = List.copyOf(ports);
        mmio = List.copyOf(mmio);
        pci = List.copyOf(pci);
        notes = List.copyOf(notes);
    }
}
