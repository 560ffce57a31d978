package org.ioreqsim.sim.stress;

import java.util.Map;
import java.util.TreeMap;

/**
 * The findings the monitors name, what each is, and which Xen option (if any) fixes it. With the fix
 * flag on, a finding becomes a violation: the fix must prevent it.
 */
public final class Hazards {

    /** One named hazard. */
    public record Hazard(String name, String description, String fixedBy) {
    }

    public static final Map<String, Hazard> ALL = new TreeMap<>();

    static {
        add("H1", "a server was destroyed while a vCPU waited for its answer: the vCPU is orphaned (Xen at HEAD too)",
                null);
        add("H1-stale", "an orphaned vCPU was woken and the stale latched READY state failed its next emulation "
                + "(PIO: domain crash, MMIO: #GP)", "fixOrphanedCompletion");
        add("H2", "adding a vCPU failed part-way and left entries and ports on higher-id servers", "fixAddVcpuCleanup");
        add("H3", "the domain was destroyed with I/O in flight: the requests are abandoned", null);
        add("H4", "a buffered ring was full: the write fell back to the synchronous path", null);
        add("H5", "an unbufferable request was dropped while claiming success", "fixBufferedDropClaim");
        add("H6", "a server was disabled with a request in flight", null);
        add("H7", "a range was unmapped while a request routed by it was in flight", null);
        add("H11", "a failed acquire_resource on a gfn-mapped server dropped the server's page "
                + "(hvm_ioreq_server_alloc_pages' error path)", null);
        add("H12", "a server was enabled before its pages existed: the send was refused or faulted", null);
        add("H13", "gfns were mapped after enabling: the page stays guest-visible", null);
        add("H14", "NR_IOREQ_SERVER_PAGES was set again: gfns held by servers were marked free", null);
        add("H15", "the CF8 latch, shared by all vCPUs, routed a config cycle with another vCPU's address", null);
        add("H18", "a vCPU's port was never bound by its emulator: its notifications are dropped", null);
        add("H21", "an emulator died before its target: a vCPU waits forever", null);
        add("S9", "a TIMEOFFSET broadcast counted a bufioreq-OFF server as failed (Unsuccessful timeoffset update)",
                "skipNonBufferedInBroadcast");
        add("S10-vcpu-destroy", "a vCPU was destroyed with a request in flight; its slot, left behind, refuses the "
                + "next send of the vCPU that reuses the id", null);
        add("PORT-REUSE", "an event-channel port freed by a server destroy or a vCPU removal (vCPU 0 takes the "
                + "bufioreq port with it) was allocated again while an emulator still held its old number: the "
                + "emulator bound the new owner's port and the right emulator never hears of the request", null);
        add("GFN-REUSE", "a server whose pages were mapped at gfns was destroyed or lost its page while its "
                + "emulator ran on; the gfn went back to the pool and to another server, and the emulator, still "
                + "mapping the frame, drains a ring whose pointer word is now another page's: up to 2^32 empty slots",
                null);
        add("EMU", "an emulator moved a slot outside the protocol (answered a slot that was not INPROCESS, as a "
                + "late manual answer does after a disable zeroed the page; wrote an illegal state or a vp_eport)",
                null);
        add("FAULT", "an injected notification fault (lost, duplicated or delayed event) stalled or confused a vCPU",
                null);
    }

    private Hazards() {
    }

    private static void add(String name, String description, String fixedBy) {
        ALL.put(name, new Hazard(name, description, fixedBy));
    }
}
