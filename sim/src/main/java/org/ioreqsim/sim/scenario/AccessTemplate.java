package org.ioreqsim.sim.scenario;

import java.util.Objects;

/**
 * One kind of guest access a workload draws, with its weight: a port or MMIO access at an address or
 * uniformly within a range (aligned to the size), a PCI config access (the CF8 write and CFC data
 * cycle a guest issues) at a register in a range, an RTC update (TIMEOFFSET broadcast) or a
 * decrease_reservation (INVALIDATE broadcast).
 *
 * @param weight relative weight
 * @param kind   what
 * @param read   a read rather than a write
 * @param first  first address (or register, or the BDF as an SBDF for PCI)
 * @param last   last address (or register)
 * @param size   bytes per access
 * @param count  repetitions (rep string accesses go through a guest buffer)
 * @param sbdf   the PCI function, for {@link Kind#PCI}
 * @param text   the template as written, for reports
 */
public record AccessTemplate(int weight, Kind kind, boolean read, long first, long last, int size, long count,
                             long sbdf, String text) {

    public enum Kind {
        PIO, MMIO, PCI, RTC, INVALIDATE
    }

    public AccessTemplate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
