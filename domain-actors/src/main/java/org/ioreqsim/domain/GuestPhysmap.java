package org.ioreqsim.domain;

import java.util.HashMap;
import java.util.Map;
import org.ioreqsim.ioreq.RangeSet;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.page.GuestMemory;
import org.ioreqsim.ioreq.page.MachineMemory;
import org.ioreqsim.ioreq.page.Page;

/**
 * A domain's guest-physical address space, as far as the ioreq subsystem touches it: which frames are
 * populated RAM, and the pages behind those that someone has used (materialised on first use). An
 * ioreq server's gfn page leaves the physmap while the server is enabled and comes back on disable.
 *
 * <p>Read by emulators (foreign mappings of guest memory) while the domain changes it, so every method
 * holds the physmap's lock.
 */
final class GuestPhysmap implements GuestMemory {
    private final int domid;
    private final MachineMemory memory;
    private final RangeSet populated = new RangeSet(Integer.MAX_VALUE);
    private final Map<Long, Page> frames = new HashMap<>();

    GuestPhysmap(int domid, MachineMemory memory) {
        this.domid = domid;
        this.memory = memory;
    }

    synchronized void populate(long firstGfn, long lastGfn) {
        populated.add(firstGfn, lastGfn);
    }

    /** The highest populated gfn ({@code domain_get_maximum_gpfn}), or -1 if none. */
    synchronized long maxGfn() {
        return populated.isEmpty() ? -1 : populated.endAt(populated.size() - 1);
    }

    synchronized boolean isPopulatedGfn(long gfn) {
        return populated.containsSingleton(gfn);
    }

    /**
     * {@code prepare_ring_for_helper}: the page behind a populated gfn, or {@code null} (Xen: -EINVAL)
     * if the gfn is not populated RAM.
     */
    synchronized Page ringPage(long gfn) {
        if (!populated.containsSingleton(gfn)) {
            return null;
        }
        return frames.computeIfAbsent(gfn, g -> memory.allocate(domid));
    }

    /** {@code guest_physmap_remove_page}: the gfn stops being guest memory; whoever holds the page keeps it. */
    synchronized void remove(long gfn) {
        populated.remove(gfn, gfn);
        frames.remove(gfn);
    }

    /** {@code guest_physmap_add_page}. */
    synchronized void add(long gfn, Page page) {
        populated.add(gfn, gfn);
        frames.put(gfn, page);
    }

    @Override
    public Page frame(long gfn) {
        return ringPage(gfn);
    }

    @Override
    public synchronized boolean isPopulated(long gpa) {
        return populated.containsSingleton(gpa >>> 12);
    }

    @Override
    public synchronized long read(long gpa, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            Page p = pageAt(gpa + i);
            int b = p == null ? 0xFF : (int) p.readBytes((int) ((gpa + i) & (Xen.PAGE_SIZE - 1)), 1);
            v = (v << 8) | b;
        }
        return v;
    }

    @Override
    public synchronized void write(long gpa, int size, long value) {
        for (int i = 0; i < size; i++) {
            Page p = pageAt(gpa + i);
            if (p != null) {
                p.writeBytes((int) ((gpa + i) & (Xen.PAGE_SIZE - 1)), 1, value >>> (8 * i));
            }
        }
    }

    private Page pageAt(long gpa) {
        long gfn = gpa >>> 12;
        if (!populated.containsSingleton(gfn)) {
            return null;
        }
        return frames.computeIfAbsent(gfn, g -> memory.allocate(domid));
    }
}
